/**
 * Folding measures and clocks into the referral's data: each step moves its measure through its kind's machine and
 * adds the facts it records; each deadline event updates its clock. Legacy interventions (`record-intervention`
 * with an SPO or MAPPA kind, before measures had lifecycles) fold into the same measures, so the statistics and
 * views read one model: an SPO advised, then applied, then granted is one SPO, not three.
 */
import type { Intervention, MeasureKind, MeasureStep, ReferralEvent } from '@hru/events';
import type { DeadlineState, MeasureState, ReferralState } from '../referral/referral-state.js';
import { measureKindSpec, nextStatus } from './measure-kinds.js';

export { measureKindOfEventType as measureKindOfEvent } from '@hru/events';

function withMeasure(state: ReferralState, measure: MeasureState): ReferralState {
  const known = state.measures.some((m) => m.measureId === measure.measureId);
  return { ...state, measures: known ? state.measures.map((m) => (m.measureId === measure.measureId ? measure : m)) : [...state.measures, measure] };
}

export function foldMeasureStep(
  state: ReferralState,
  kind: MeasureKind,
  measureId: string,
  step: MeasureStep,
  at: string,
  recordedAt: string,
  note: string | null,
): ReferralState {
  const spec = measureKindSpec(kind);
  const before: MeasureState = state.measures.find((m) => m.measureId === measureId) ?? { measureId, kind, status: 'none', facts: {}, steps: [], breaches: [] };
  // The decider only records steps the machine allows; a stored one it does not allow leaves the status as it was.
  const status = nextStatus(spec.machine, before.status, step.step) ?? before.status;
  const breaches = step.step === 'breached' ? [...before.breaches, { breachOn: step.breachOn, crimeReference: step.crimeReference, at }] : before.breaches;
  return withMeasure(state, {
    ...before,
    status,
    facts: spec.facts(before.facts, step as never, at),
    steps: [...before.steps, { step: step.step, at, recordedAt, note }],
    breaches,
  });
}

export function foldStepCorrection(state: ReferralState, measureId: string, step: string, at: string, previousAt: string): ReferralState {
  const measure = state.measures.find((m) => m.measureId === measureId);
  if (!measure) return state;
  let moved = false;
  const steps = [...measure.steps].reverse().map((s) => {
    if (moved || s.step !== step || s.at !== previousAt) return s;
    moved = true;
    return { ...s, at };
  }).reverse();
  const facts = measure.kind === 'bail' && step === 'granted' ? { ...measure.facts, bailStart: at } : measure.facts;
  return withMeasure(state, { ...measure, steps, facts });
}

/** The legacy intervention kinds that were legal measures, as steps of the new lifecycles. */
function legacyStep(intervention: Intervention): { kind: MeasureKind; step: MeasureStep } | undefined {
  switch (intervention.kind) {
    case 'spo_advised':
      return { kind: 'spo', step: { step: 'advised' } };
    case 'spo_applied':
      return { kind: 'spo', step: { step: 'applied', order: intervention.order } };
    case 'spo_granted':
      return { kind: 'spo', step: { step: 'granted', order: intervention.order, endsOn: null } };
    case 'mappa_support':
      return { kind: 'mappa', step: { step: 'referred', category: intervention.category, level: intervention.level } };
    default:
      return undefined;
  }
}

export function foldLegacyMeasure(state: ReferralState, intervention: Intervention, occurredOn: string, recordedAt: string): ReferralState {
  const legacy = legacyStep(intervention);
  if (!legacy) return state;
  const at = `${occurredOn}T12:00:00.000Z`;
  const spec = measureKindSpec(legacy.kind);
  // The latest measure of the kind the step can continue (advised, then applied); otherwise a new one.
  const continued = state.measures.findLast((m) => m.kind === legacy.kind && nextStatus(spec.machine, m.status, legacy.step.step) !== undefined);
  const measureId = continued?.measureId ?? `m${state.measures.length + 1}`;
  const folded = foldMeasureStep(state, legacy.kind, measureId, legacy.step, at, recordedAt, null);
  // A legacy MAPPA link was a case supported: referred and accepted in one.
  return legacy.kind === 'mappa' ? foldMeasureStep(folded, 'mappa', measureId, { step: 'accepted' }, at, recordedAt, null) : folded;
}

type DeadlineEvent = Extract<ReferralEvent, { type: 'DeadlineSet' | 'DeadlineWarned' | 'DeadlineMissed' | 'DeadlineClosed' }>;

function withDeadline(state: ReferralState, deadlineId: string, change: (d: DeadlineState) => DeadlineState): ReferralState {
  return { ...state, deadlines: state.deadlines.map((d) => (d.deadlineId === deadlineId ? change(d) : d)) };
}

export function foldDeadline(state: ReferralState, event: DeadlineEvent, at: string): ReferralState {
  switch (event.type) {
    case 'DeadlineSet': {
      const { referralId: _referralId, ...d } = event.data;
      const set: DeadlineState = { ...d, status: 'open', warnedAt: null, missedAt: null, closedAt: null, late: false };
      return state.deadlines.some((x) => x.deadlineId === d.deadlineId)
        ? withDeadline(state, d.deadlineId, () => set)
        : { ...state, deadlines: [...state.deadlines, set] };
    }
    case 'DeadlineWarned':
      return withDeadline(state, event.data.deadlineId, (d) => ({ ...d, warnedAt: at }));
    case 'DeadlineMissed':
      return withDeadline(state, event.data.deadlineId, (d) => ({ ...d, status: 'missed', missedAt: at }));
    case 'DeadlineClosed': {
      const { outcome, at: closedAt, late } = event.data;
      return withDeadline(state, event.data.deadlineId, (d) => ({ ...d, status: outcome, closedAt, late }));
    }
    default: {
      const never: never = event;
      throw new Error(`not a deadline event ${JSON.stringify(never)}`);
    }
  }
}
