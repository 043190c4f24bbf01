/**
 * Deciding a step of a legal measure: staff send a step (checked against the kind's machine and facts); a clock
 * decides a clock step (notification missed, bail lapsed, order expired) through the same path without the checks
 * staff face. Either way the step's event comes first, then its consequences (clocks, a Victims' Code contact, an
 * alert), in one decision.
 */
import { measureEventTypes, type MeasureKind, type MeasureStep, type MeasureStepOf } from '@hru/events';
import { draft, type CommandMeta, type Decision, type DraftEvent } from '../referral/decision.js';
import type { ReferralState } from '../referral/referral-state.js';
import { Decided } from '../deadlines/decided.js';
import { applyEffects, type ClockStepRecorder } from '../deadlines/deadline-effects.js';
import { measureKindSpec, nextStatus } from './measure-kinds.js';

/** A step may be recorded up to this long after `now` (clocks disagree a little); later is a mistake. */
const FUTURE_TOLERANCE_MS = 5 * 60_000;

export function nextMeasureId(state: ReferralState): string {
  return `m${state.measures.length + 1}`;
}

function recordStep<K extends MeasureKind>(b: Decided, kind: K, measureId: string, step: MeasureStepOf<K>, at: string, note?: string): void {
  const spec = measureKindSpec(kind);
  const measure = b.state.measures.find((m) => m.measureId === measureId);
  // Consequences are read from the measure as it was before the step (a bail extension runs from the bail start).
  const effects = spec.effects({ state: b.state, measure, measureId, step, at, meta: b.meta });
  b.add(
    draft(measureEventTypes[kind], {
      referralId: b.state.referralId,
      measureId,
      at,
      step,
      personal: note === undefined ? {} : { note },
    } as never) as DraftEvent,
  );
  applyEffects(b, measureId, step.step, effects, at, recordClockStep);
}

/** A clock's step: taken only where the measure's machine still allows it (an order discharged meanwhile stays so). */
export const recordClockStep: ClockStepRecorder = (b, measureId, step, at) => {
  const measure = b.state.measures.find((m) => m.measureId === measureId);
  if (!measure || !nextStatus(measureKindSpec(measure.kind).machine, measure.status, step)) return;
  recordStep(b, measure.kind, measureId, { step } as MeasureStep, at);
};

export interface MeasureStepPayload<K extends MeasureKind> {
  /** Absent: the step starts a new measure of the kind. */
  measureId?: string | undefined;
  at: string;
  step: MeasureStepOf<K>;
  note?: string | undefined;
}

export function decideMeasureStep<K extends MeasureKind>(state: ReferralState, kind: K, payload: MeasureStepPayload<K>, meta: CommandMeta): Decision {
  const spec = measureKindSpec(kind);
  const { step, at } = payload;
  if (Date.parse(at) > Date.parse(meta.now) + FUTURE_TOLERANCE_MS) return { rejected: `A step is recorded once it has happened: ${at} is in the future` };
  if ((spec.clockSteps as readonly string[]).includes(step.step)) return { rejected: `${step.step} is decided by its clock, not recorded by staff` };
  const measure = payload.measureId === undefined ? undefined : state.measures.find((m) => m.measureId === payload.measureId);
  if (payload.measureId !== undefined && !measure) return { rejected: `Measure ${payload.measureId} is not one of this referral's` };
  if (measure && measure.kind !== kind) return { rejected: `Measure ${measure.measureId} is a ${measure.kind}, not a ${kind}` };
  const from = measure?.status ?? 'none';
  if (!nextStatus(spec.machine, from, step.step)) {
    return { rejected: measure ? `${spec.title} ${measure.measureId} is ${from}: it cannot be ${step.step} now` : `A new ${spec.title} cannot start ${step.step}` };
  }
  const measureId = measure?.measureId ?? nextMeasureId(state);
  const why = spec.check?.({ state, measure, measureId, step, at, meta });
  if (why) return { rejected: why };
  const b = new Decided(state, meta);
  recordStep(b, kind, measureId, step, at, payload.note);
  return b.events;
}
