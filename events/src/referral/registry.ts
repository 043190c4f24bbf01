/** Every referral event type. Add each new referral event definition here; the one registry is in ../catalogue.ts. */
import type { EventOf } from '../envelope.js';
import { FormulationRecorded, RiskAssessmentRecorded } from './assessment-events.js';
import {
  AdviceRecorded,
  CaseDiscussionHeld,
  CaseDiscussionScheduled,
  CaseReviewed,
  DirectedToService,
  ManagementPlanAgreed,
  PlanActionCompleted,
  ReferralAssigned,
  ReferralDisclosed,
  TimeLogged,
} from './case-events.js';
import {
  ReferralClosed,
  ReferralDetailsUpdated,
  ReferralReceived,
  ReferralReopened,
  ScreeningCompleted,
  TriageCompleted,
} from './events.js';
import { CrimeOutcomeRecorded, InterventionRecorded } from './outcome-events.js';
import { PartyErased, RetentionReviewed } from './data-protection-events.js';
import { DeadlineClosed, DeadlineMissed, DeadlineSet, DeadlineWarned, VictimContacted } from './deadline-events.js';
import {
  BailStepRecorded,
  DisclosureSchemeStepRecorded,
  DvpoStepRecorded,
  MappaStepRecorded,
  MeasureStepCorrected,
  SpoStepRecorded,
  SuspectArrested,
} from './measure-events.js';
import {
  UrgentActionAcknowledged,
  UrgentActionEscalated,
  UrgentActionRaised,
  UrgentActionResolved,
} from './urgent-events.js';
import { CounterfactualHarmRecorded, CounterfactualHarmWithdrawn } from './value-events.js';

export const referralEventDefinitions = [
  ReferralReceived,
  ReferralDetailsUpdated,
  TriageCompleted,
  ScreeningCompleted,
  UrgentActionRaised,
  UrgentActionAcknowledged,
  UrgentActionEscalated,
  UrgentActionResolved,
  ReferralAssigned,
  CaseDiscussionScheduled,
  CaseDiscussionHeld,
  RiskAssessmentRecorded,
  FormulationRecorded,
  ManagementPlanAgreed,
  PlanActionCompleted,
  DirectedToService,
  AdviceRecorded,
  InterventionRecorded,
  CrimeOutcomeRecorded,
  TimeLogged,
  CaseReviewed,
  ReferralClosed,
  ReferralReopened,
  ReferralDisclosed,
  PartyErased,
  RetentionReviewed,
  SpoStepRecorded,
  DvpoStepRecorded,
  BailStepRecorded,
  MappaStepRecorded,
  DisclosureSchemeStepRecorded,
  MeasureStepCorrected,
  SuspectArrested,
  VictimContacted,
  DeadlineSet,
  DeadlineWarned,
  DeadlineMissed,
  DeadlineClosed,
  CounterfactualHarmRecorded,
  CounterfactualHarmWithdrawn,
] as const;

export type ReferralEvent = EventOf<(typeof referralEventDefinitions)[number]>;
export type ReferralEventType = ReferralEvent['type'];

