/**
 * What the research extract keeps of one referral, folded from its events' non-personal facts only: enumerated
 * values, counts and months. Nothing here reads `data.personal`, and no free text (reasons, notes, summaries,
 * decisions, descriptions, activities) or exact date is kept. The ids it holds (referral, parties, crime
 * references) never leave it: the rows (rows.ts) turn ids into pseudonyms and crimes into their outcome codes.
 */
import type {
  Intervention,
  ProblemBehaviour,
  ReferralEvent,
  RiskIndicator,
  Service,
  Srp,
  StalkerType,
  StrategyKind,
} from '@hru/events';
import { lifecycleStages } from '../referral/decision.js';

export interface FoldedIntervention {
  month: string;
  intervention: Intervention;
}

export interface FoldedCase {
  referralId: string;
  receivedMonth: string;
  crimeRecordedMonth: string;
  problemBehaviour: ProblemBehaviour;
  principalOffenceCode: string;
  includedOffenceCodes: string[];
  /** Party ids by role; pseudonymised on the way out, and dropped once the person is erased. */
  victims: string[];
  perpetrators: string[];
  erasedParties: Set<string>;
  indicators: RiskIndicator[];
  intakeDashYesCount: number | null;
  intakeSdashYesCount: number | null;
  triageDecision: string | null;
  screeningDecision: string | null;
  alertsRaised: number;
  alertsRaisedByIntakeRule: number;
  alertEscalations: number;
  discussionsHeld: number;
  riskAssessments: number;
  dashYesCount: number | null;
  sdashYesCount: number | null;
  srp: Srp | null;
  stalkerType: StalkerType | null;
  formulations: number;
  plansAgreed: number;
  strategies: StrategyKind[];
  planActionsCompleted: number;
  services: Service[];
  adviceRecorded: number;
  reviews: number;
  staffMinutes: number;
  disclosures: number;
  /** The latest outcome per crime, keyed by crime reference (kept inside the fold: a reference identifies the crime). */
  outcomes: Map<string, { code: string; month: string }>;
  closed: { month: string; from: string } | null;
  closures: number;
  /** Referrals (ids) whose arrival reopened this case: the perpetrator came back. */
  reopenedBy: string[];
  retentionDisposed: boolean;
  interventions: FoldedIntervention[];
  /** MAPPA measures' category and level as referred, for the intervention row their acceptance becomes. */
  mappaReferrals: Map<string, { category: number; level: number }>;
}

/** The UTC month (`YYYY-MM`) of an ISO time, whatever offset it was written with. */
export function monthOf(isoTime: string): string {
  return new Date(isoTime).toISOString().slice(0, 7);
}

/** The month of an ISO calendar date (`2026-11-20`), which has no time zone to convert. */
const monthOfDate = (isoDate: string) => isoDate.slice(0, 7);

/**
 * Home Office offence classifications look like `8/65`, `195/94` or `8Q`. The intake accepts any short string, so
 * anything else is reported as `unrecognised` rather than copied: a code field must not become a way for a name
 * to reach the extract.
 */
const offenceCodePattern = /^[0-9]{1,3}[A-Z]?(\/[0-9]{1,3}[A-Z]?)?$/;
export const safeOffenceCode = (code: string) => (offenceCodePattern.test(code) ? code : 'unrecognised');

/** The stage a referral closed from is written by the decider; anything else reads `other`, never as written. */
const closingStages = new Set<string>([...lifecycleStages, 'open']);
const safeStage = (stage: string) => (closingStages.has(stage) ? stage : 'other');

const yesCount = (answers: readonly boolean[] | null | undefined) => (answers ? answers.filter(Boolean).length : null);

function withParties(folded: FoldedCase, parties: readonly { partyId: string; category: string }[]): void {
  folded.victims = parties.filter((p) => p.category === 'victim').map((p) => p.partyId);
  // Suspects and convicted offenders are both the perpetrator, as for re-offending; witnesses are not kept.
  folded.perpetrators = parties.filter((p) => p.category === 'suspect' || p.category === 'offender').map((p) => p.partyId);
}

function withOffences(folded: FoldedCase, offences: readonly { code: string; principal: boolean }[]): void {
  folded.principalOffenceCode = safeOffenceCode(offences.find((o) => o.principal)?.code ?? '');
  folded.includedOffenceCodes = offences.filter((o) => !o.principal).map((o) => safeOffenceCode(o.code));
}

const addOnce = <T>(list: T[], value: T) => (list.includes(value) ? list : [...list, value]);

/** A new case from its `ReferralReceived`. */
export function startCase(event: Extract<ReferralEvent, { type: 'ReferralReceived' }>): FoldedCase {
  const d = event.data;
  const folded: FoldedCase = {
    referralId: d.referralId,
    receivedMonth: monthOf(event.metadata.occurredAt),
    crimeRecordedMonth: monthOf(d.source.recordedAt),
    problemBehaviour: d.problemBehaviour,
    principalOffenceCode: '',
    includedOffenceCodes: [],
    victims: [],
    perpetrators: [],
    erasedParties: new Set(),
    indicators: d.indicators,
    intakeDashYesCount: d.risk.dashYesCount ?? null,
    intakeSdashYesCount: yesCount(d.risk.sdashAnswers),
    triageDecision: null,
    screeningDecision: null,
    alertsRaised: 0,
    alertsRaisedByIntakeRule: 0,
    alertEscalations: 0,
    discussionsHeld: 0,
    riskAssessments: 0,
    dashYesCount: null,
    sdashYesCount: null,
    srp: null,
    stalkerType: null,
    formulations: 0,
    plansAgreed: 0,
    strategies: [],
    planActionsCompleted: 0,
    services: [],
    adviceRecorded: 0,
    reviews: 0,
    staffMinutes: 0,
    disclosures: 0,
    outcomes: new Map(),
    closed: null,
    closures: 0,
    reopenedBy: [],
    retentionDisposed: false,
    interventions: [],
    mappaReferrals: new Map(),
  };
  withParties(folded, d.parties);
  withOffences(folded, d.offences);
  return folded;
}

/** Folds one later event of the case into it (in place: the fold is private to one extract). */
export function foldCase(folded: FoldedCase, event: ReferralEvent): void {
  switch (event.type) {
    case 'ReferralReceived':
      return; // a stream's first event: startCase took it
    case 'ReferralDetailsUpdated': {
      const d = event.data;
      if (d.recordedAt) folded.crimeRecordedMonth = monthOf(d.recordedAt);
      if (d.offences) withOffences(folded, d.offences);
      if (d.problemBehaviour) folded.problemBehaviour = d.problemBehaviour;
      if (d.parties) withParties(folded, d.parties);
      if (d.risk) {
        folded.intakeDashYesCount = d.risk.dashYesCount ?? null;
        folded.intakeSdashYesCount = yesCount(d.risk.sdashAnswers);
      }
      if (d.indicators) folded.indicators = d.indicators;
      return;
    }
    case 'TriageCompleted':
      folded.triageDecision = event.data.decision;
      return;
    case 'ScreeningCompleted':
      folded.screeningDecision = event.data.decision;
      return;
    case 'UrgentActionRaised':
      folded.alertsRaised += 1;
      if (event.data.raisedBy === 'intake_rule') folded.alertsRaisedByIntakeRule += 1;
      return;
    case 'UrgentActionEscalated':
      folded.alertEscalations += 1;
      return;
    case 'CaseDiscussionHeld':
      folded.discussionsHeld += 1;
      return;
    case 'RiskAssessmentRecorded': {
      const d = event.data;
      folded.riskAssessments += 1;
      // The latest assessment that rated a tool wins for that tool: assessments are appended, never overwritten.
      if (d.dashYesCount !== null) folded.dashYesCount = d.dashYesCount;
      if (d.sdashAnswers !== null) folded.sdashYesCount = yesCount(d.sdashAnswers);
      if (d.srp !== null) folded.srp = d.srp;
      return;
    }
    case 'FormulationRecorded':
      folded.formulations += 1;
      folded.stalkerType = event.data.stalkerType;
      return;
    case 'ManagementPlanAgreed':
      folded.plansAgreed += 1;
      for (const action of event.data.actions) folded.strategies = addOnce(folded.strategies, action.kind);
      return;
    case 'PlanActionCompleted':
      folded.planActionsCompleted += 1;
      return;
    case 'DirectedToService':
      folded.services = addOnce(folded.services, event.data.service);
      return;
    case 'AdviceRecorded':
      folded.adviceRecorded += 1;
      return;
    case 'CaseReviewed':
      folded.reviews += 1;
      return;
    case 'TimeLogged':
      folded.staffMinutes += event.data.minutes;
      return;
    case 'ReferralDisclosed':
      folded.disclosures += 1;
      return;
    case 'InterventionRecorded':
      folded.interventions.push({ month: monthOfDate(event.data.occurredOn), intervention: event.data.intervention });
      return;
    case 'CrimeOutcomeRecorded':
      // A later outcome for the same crime replaces the earlier one; a first outcome keeps the crimes' order.
      folded.outcomes.set(event.data.crimeReference, { code: event.data.outcomeCode, month: monthOfDate(event.data.outcomeDate) });
      return;
    case 'ReferralClosed':
      folded.closed = { month: monthOf(event.metadata.occurredAt), from: safeStage(event.data.closedFrom) };
      folded.closures += 1;
      return;
    case 'ReferralReopened':
      folded.closed = null;
      folded.reopenedBy.push(event.data.linkedReferralId);
      return;
    case 'PartyErased':
      folded.erasedParties.add(event.data.partyId);
      return;
    case 'RetentionReviewed':
      if (event.data.decision === 'dispose') {
        folded.retentionDisposed = true;
        for (const partyId of event.data.disposedParties) folded.erasedParties.add(partyId);
      }
      return;
    // Who is assigned, which agencies are invited, acknowledgements and resolutions: staff and workflow, not research.
    case 'ReferralAssigned':
    case 'CaseDiscussionScheduled':
    case 'UrgentActionAcknowledged':
    case 'UrgentActionResolved':
      return;
    // The steps of the legal measures that the intervention kinds always counted keep their intervention rows, so
    // the extract reads one series across the change to lifecycles (legacy `record-intervention` and `record-spo`
    // alike); the other steps and the clocks are casework, not in the data dictionary.
    case 'SpoStepRecorded': {
      const step = event.data.step;
      const month = monthOf(event.data.at);
      if (step.step === 'advised') folded.interventions.push({ month, intervention: { kind: 'spo_advised' } });
      if (step.step === 'applied') folded.interventions.push({ month, intervention: { kind: 'spo_applied', order: step.order } });
      if (step.step === 'granted') folded.interventions.push({ month, intervention: { kind: 'spo_granted', order: step.order } });
      return;
    }
    case 'MappaStepRecorded': {
      const step = event.data.step;
      if (step.step === 'referred') folded.mappaReferrals.set(event.data.measureId, { category: step.category, level: step.level });
      const referred = folded.mappaReferrals.get(event.data.measureId);
      if (step.step === 'accepted' && referred) folded.interventions.push({ month: monthOf(event.data.at), intervention: { kind: 'mappa_support', ...referred } });
      return;
    }
    case 'DvpoStepRecorded':
    case 'BailStepRecorded':
    case 'DisclosureSchemeStepRecorded':
    case 'MeasureStepCorrected':
    case 'SuspectArrested':
    case 'VictimContacted':
    case 'DeadlineSet':
    case 'DeadlineWarned':
    case 'DeadlineMissed':
    case 'DeadlineClosed':
      return;
    default: {
      const never: never = event;
      throw new Error(`the research extract does not know ${(never as { type: string }).type}`);
    }
  }
}
