/**
 * The data a referral's machine carries (its XState context): everything the events said, folded.
 * JSON-serialisable. Names, dates of birth and source references are under `personal`; the case's free text
 * (reasons, notes, advice, rationales, decisions, descriptions) is read from each event's `personal` section and
 * folded beside the fact it explains, so the view reads as before.
 *
 * Erased text (the case's key destroyed: PartyErased, or a retention review that disposed of the case) reads
 * `null`, field by field, and `personal` reads `{erased: true, people}` with each erased person as
 * `{partyId, erased: true}`. The one rule: a text field that is `null` was erased (or, where the field is
 * optional, never written: an open plan action's note).
 */
import type {
  DataOf,
  Intervention,
  IntakeRisk,
  Offence,
  Party,
  PersonalSection,
  ProblemBehaviour,
  Service,
  Source,
  Srp,
  StaffRef,
  StalkerType,
  StrategyKind,
  RiskIndicator,
  CaseDiscussionHeld,
  MopiGroup,
  MeasureKind,
  DeadlineKind,
  Role,
  UrgentRaisedBy,
} from '@hru/events';

export type UrgentActionStatus = 'raised' | 'acknowledged' | 'resolved';

export interface UrgentActionState {
  alertId: string;
  status: UrgentActionStatus;
  /** 0 when raised; each escalation raises it by one. */
  level: number;
  /** null once erased. */
  reason: string | null;
  raisedBy: UrgentRaisedBy;
  /** The role that must act on it (supervisors see every alert). */
  addressedTo: Role;
  rules: string[];
  raisedAt: string;
  /** When the next escalation falls due; null once acknowledged, or when no further level exists. */
  ackDueAt: string | null;
  acknowledgedAt: string | null;
  resolvedAt: string | null;
}

export interface DecisionRecord<D extends string> {
  decision: D;
  reason: string | null;
  at: string;
}

export interface CaseDiscussionState {
  discussionId: string;
  status: 'scheduled' | 'held';
  scheduledFor: string | null;
  invitedAgencies: string[];
  heldAt: string | null;
  attendees: DataOf<typeof CaseDiscussionHeld>['attendees'];
  /** Empty until held; null once erased. */
  decisions: string[] | null;
}

export interface RiskAssessmentState {
  assessmentId: string;
  assessedOn: string;
  dashYesCount: number | null;
  sdashAnswers: boolean[] | null;
  /** Derived from the answers: S-DASH has no official bands, so only the count is kept beside them. */
  sdashYesCount: number | null;
  srp: Srp | null;
  rationale: string | null;
  recordedAt: string;
}

export interface FormulationState {
  formulationId: string;
  stalkerType: StalkerType;
  rationale: string | null;
  supersedes: string | null;
  recordedAt: string;
}

export interface PlanActionState {
  actionId: string;
  kind: StrategyKind;
  description: string | null;
  owner: StaffRef;
  dueDate: string;
  status: 'open' | 'completed';
  completedAt: string | null;
  note: string | null;
}

export interface PlanState {
  planId: string;
  agreedAt: string;
  actions: PlanActionState[];
}

/** The facts a measure's steps recorded, folded (each kind uses its own). */
export interface MeasureFacts {
  /** SPO: the stage of the order applied for or granted. */
  order?: 'interim' | 'full';
  /** An order's end date; null for "until further order". */
  endsOn?: string | null;
  /** DVPN: the rank that authorised the notice. */
  authorisedBy?: string;
  /** DVPO: the length of the order in days. */
  days?: number;
  /** Pre-charge bail: the bail start (the period runs from it), and who set the current period. */
  bailStart?: string;
  bailAuthority?: 'initial' | 'inspector' | 'superintendent' | 'court';
  withConditions?: boolean;
  /** MAPPA. */
  category?: number;
  level?: number;
  /** Disclosure scheme. */
  route?: 'right_to_ask' | 'right_to_know';
}

export interface MeasureStepState {
  step: string;
  /** When it happened (a correction moves it). */
  at: string;
  recordedAt: string;
  /** null once erased, or when none was written. */
  note: string | null;
}

/** A legal measure (DOMAIN.md §4): its kind's machine state, its facts and its steps. */
export interface MeasureState {
  measureId: string;
  kind: MeasureKind;
  /** The state of the kind's machine (workflows/src/measures), e.g. `notification_due`. */
  status: string;
  facts: MeasureFacts;
  steps: MeasureStepState[];
  breaches: { breachOn: string; crimeReference: string; at: string }[];
}

export type DeadlineStatus = 'open' | 'missed' | 'met' | 'cancelled' | 'expired';

/** A clock: when it falls due, whom it is for, and how it ended. */
export interface DeadlineState {
  deadlineId: string;
  kind: DeadlineKind;
  clock: string;
  measureId: string | null;
  owner: Role;
  triggerAt: string;
  /** The measure step whose time the trigger is; null for the case's own clocks (an arrest, a plan review). */
  startedBy: string | null;
  dueAt: string;
  warnAt: string | null;
  version: number;
  status: DeadlineStatus;
  warnedAt: string | null;
  missedAt: string | null;
  closedAt: string | null;
  /** Met after it was missed. */
  late: boolean;
}

export interface ReferralState {
  referralId: string;
  source: Source | null;
  offences: Offence[];
  problemBehaviour: ProblemBehaviour | null;
  parties: Party[];
  intakeRisk: IntakeRisk;
  indicators: RiskIndicator[];
  receivedAt: string | null;
  triage: DecisionRecord<'proceed' | 'not_stalking' | 'out_of_scope'> | null;
  screening: DecisionRecord<'adopt' | 'advice_only' | 'no_added_value'> | null;
  urgentActions: UrgentActionState[];
  assignee: StaffRef | null;
  caseDiscussions: CaseDiscussionState[];
  /** Appended, never overwritten: the latest is last. */
  riskAssessments: RiskAssessmentState[];
  /** Appended; the last one is the current formulation, each superseding the one before. */
  formulations: FormulationState[];
  plan: PlanState | null;
  /** Plans agreed so far (a new plan supersedes the last), for the next plan id. */
  planCount: number;
  services: { service: Service; reason: string | null; at: string }[];
  advice: { advice: string | null; at: string }[];
  interventions: { interventionId: string; intervention: Intervention; occurredOn: string; recordedAt: string }[];
  /** One entry per crime reference: a later outcome for the same crime replaces the earlier one. */
  crimeOutcomes: { crimeReference: string; outcomeCode: string; outcomeDate: string }[];
  timeLogged: { totalMinutes: number; byAgency: Record<string, number> };
  reviews: { summary: string | null; nextReviewDue: string | null; at: string }[];
  closed: { reason: string | null; closedFrom: string; at: string } | null;
  closures: number;
  reopenings: { linkedReferralId: string; reason: string | null; at: string }[];
  /** Partner agencies the referral was disclosed to (ReferralDisclosed), each once, in order. */
  disclosedTo: string[];
  /** The last retention review (MoPI); after a disposal the case takes no further command. */
  retention: { decision: 'retain' | 'dispose'; mopiGroup: MopiGroup; nextReviewDue: string | null; at: string } | null;
  /** The intake's narrative and people; `{erased: true, people}` once the case's text was erased. */
  personal: PersonalSection;
  /** Legal measures, in the order they were started (`m1`, `m2`…). Legacy SPO and MAPPA interventions appear here too. */
  measures: MeasureState[];
  /** Every clock ever set, in order (`d1`, `d2`…); a moved clock keeps its id with a higher version. */
  deadlines: DeadlineState[];
  arrests: string[];
  victimContacts: { deadlineId: string; at: string; method: string; note: string | null }[];
}

export function emptyReferralState(): ReferralState {
  return {
    referralId: '',
    source: null,
    offences: [],
    problemBehaviour: null,
    parties: [],
    intakeRisk: {},
    indicators: [],
    receivedAt: null,
    triage: null,
    screening: null,
    urgentActions: [],
    assignee: null,
    caseDiscussions: [],
    riskAssessments: [],
    formulations: [],
    plan: null,
    planCount: 0,
    services: [],
    advice: [],
    interventions: [],
    crimeOutcomes: [],
    timeLogged: { totalMinutes: 0, byAgency: {} },
    reviews: [],
    closed: null,
    closures: 0,
    reopenings: [],
    disclosedTo: [],
    retention: null,
    personal: { people: [] },
    measures: [],
    deadlines: [],
    arrests: [],
    victimContacts: [],
  };
}

/** Deadlines not yet met, cancelled or expired: open ones and missed ones still unmet. */
export function unmetDeadlines(state: ReferralState): DeadlineState[] {
  return state.deadlines.filter((d) => d.status === 'open' || d.status === 'missed');
}

/** The alert that is raised or acknowledged, if any: at most one is open at a time. */
export function openUrgentAction(state: ReferralState): UrgentActionState | undefined {
  return state.urgentActions.find((a) => a.status !== 'resolved');
}
