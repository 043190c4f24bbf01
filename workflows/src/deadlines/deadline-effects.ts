/**
 * Carries out the consequences a step declares (../measures/measure-kind.ts `Effect`) and what a clock's passing
 * means, onto a decision being built. The rules, in one place:
 *
 * - A clock is set with its due and warning times read from the clock table at the trigger (or at the end of a
 *   named local day); moving it sets it again under the same id with the next version.
 * - A clock set (or moved) with its due time already past is missed at once: a backdated trigger is reported, never
 *   silently armed in the past.
 * - Closing meets (or cancels, or expires) an unmet clock, a missed one included; it is late when what met it
 *   happened after the due time (a contact made at 16:00 and recorded at 18:00 met a 17:00 deadline in time).
 * - A clock passing unmet is missed: DeadlineMissed, the measure's clock step where the kind has one (notification
 *   missed, hearing missed, bail lapsed), and an alert addressed to the clock's owner. An order's end is no failure:
 *   the order expires.
 */
import { draft } from '../referral/decision.js';
import { unmetDeadlines, type DeadlineState, type ReferralState } from '../referral/referral-state.js';
import type { Effect } from '../measures/measure-kind.js';
import type { DeadlineKind } from '@hru/events';
import type { Decided } from './decided.js';
import { raiseSystemAlert } from './system-alert.js';

/** What a missed clock of each kind does to its measure, if anything (see ../measures). */
export const clockSteps: Partial<Record<DeadlineKind, string>> = {
  spo_notification: 'notification_missed',
  dvpo_hearing: 'hearing_missed',
  bail_expiry: 'lapsed',
  order_end: 'expired',
};

/** For people: alert reasons, the console. */
export const deadlineTitles: Record<DeadlineKind, string> = {
  spo_notification: 'SPO notification by the subject',
  dvpo_hearing: 'DVPO hearing',
  bail_expiry: 'End of pre-charge bail',
  mappa_review: 'MAPPA review',
  disclosure_decision: 'Disclosure scheme decision',
  victim_contact: "Victims' Code contact",
  plan_review: 'Management plan review',
  order_end: 'End of the order',
};

/** Records a step a clock decided (the measure's own step path, without the checks staff face). */
export type ClockStepRecorder = (b: Decided, measureId: string, step: string, at: string) => void;

export function nextDeadlineId(state: ReferralState): string {
  return `d${state.deadlines.length + 1}`;
}

function deadlineOf(state: ReferralState, deadlineId: string): DeadlineState | undefined {
  return state.deadlines.find((d) => d.deadlineId === deadlineId);
}

function unmetOf(state: ReferralState, kind: DeadlineKind, measureId: string | null): DeadlineState[] {
  return unmetDeadlines(state).filter((d) => d.kind === kind && d.measureId === measureId);
}

/**
 * Whether the victim has enhanced rights under the Victims' Code (victims of the most serious crime, which includes
 * domestic abuse, stalking and sexual offences, and the persistently targeted). The unit's problem behaviours are all
 * such crime but querulance, whose complainants are seldom victims in that sense. (check: the Code 2020, chapter 1.)
 */
export function victimHasEnhancedRights(state: ReferralState): boolean {
  return state.problemBehaviour !== 'querulance';
}

export interface SetClock {
  kind: DeadlineKind;
  clock: string;
  measureId: string | null;
  trigger: string;
  dueOn?: string;
  /** The measure step whose time `trigger` is; null for the case's own clocks. */
  startedBy: string | null;
  /** Moves the unmet clock of this kind (or, given its id, that clock) instead of setting a new one. */
  moves?: boolean | string;
}

export function setClock(b: Decided, set: SetClock, recordClockStep: ClockStepRecorder): void {
  const { clocks } = b.meta.options;
  const unmet = unmetOf(b.state, set.kind, set.measureId);
  const moved = typeof set.moves === 'string' ? unmet.find((d) => d.deadlineId === set.moves) : set.moves ? unmet[0] : undefined;
  const dueAt = set.dueOn ? clocks.endOfDay(set.dueOn) : clocks.read(set.clock, set.trigger).dueAt;
  const deadlineId = moved?.deadlineId ?? nextDeadlineId(b.state);
  b.add(
    draft('DeadlineSet', {
      referralId: b.state.referralId,
      deadlineId,
      kind: set.kind,
      clock: set.clock,
      measureId: set.measureId,
      owner: clocks.ownerOf(set.clock),
      triggerAt: set.trigger,
      startedBy: set.startedBy,
      dueAt,
      warnAt: clocks.warnBefore(set.clock, dueAt),
      version: (moved?.version ?? 0) + 1,
    }),
  );
  if (Date.parse(dueAt) <= Date.parse(b.meta.now)) passDeadline(b, deadlineId, recordClockStep);
}

export function closeClocks(b: Decided, deadlines: readonly DeadlineState[], outcome: 'met' | 'cancelled' | 'expired', at: string): void {
  for (const d of deadlines) {
    b.add(draft('DeadlineClosed', { referralId: b.state.referralId, deadlineId: d.deadlineId, outcome, at, late: outcome === 'met' && Date.parse(at) > Date.parse(d.dueAt) }));
  }
}

/** The clock passed: what that means for its kind (see the file's comment). Ignores a clock no longer open. */
export function passDeadline(b: Decided, deadlineId: string, recordClockStep: ClockStepRecorder): void {
  const d = deadlineOf(b.state, deadlineId);
  if (!d || d.status !== 'open') return;
  const step = clockSteps[d.kind];
  if (d.kind === 'order_end') {
    if (d.measureId) recordClockStep(b, d.measureId, 'expired', d.dueAt);
    // The expiry step closes it; a clock with no measure to expire closes here.
    const still = deadlineOf(b.state, deadlineId);
    if (still?.status === 'open') closeClocks(b, [still], 'expired', d.dueAt);
    return;
  }
  b.add(draft('DeadlineMissed', { referralId: b.state.referralId, deadlineId, version: d.version, dueAt: d.dueAt }));
  if (step && d.measureId) recordClockStep(b, d.measureId, step, d.dueAt);
  raiseSystemAlert(b, 'deadline', [d.kind], `${deadlineTitles[d.kind]} was due ${d.dueAt} and has not been met (${d.deadlineId})`, d.owner);
}

/** Carries out a step's effects for `measureId`; `at` is when the step (`step`, null for the case's own) happened. */
export function applyEffects(b: Decided, measureId: string | null, step: string | null, effects: readonly Effect[], at: string, recordClockStep: ClockStepRecorder): void {
  for (const effect of effects) {
    switch (effect.type) {
      case 'set':
        setClock(
          b,
          { kind: effect.kind, clock: effect.clock, measureId, trigger: effect.trigger, startedBy: effect.startedBy ?? step, ...(effect.dueOn ? { dueOn: effect.dueOn } : {}), ...(effect.moves ? { moves: true } : {}) },
          recordClockStep,
        );
        break;
      case 'close':
        closeClocks(b, unmetOf(b.state, effect.kind, measureId), effect.outcome, at);
        break;
      case 'close-all':
        // A contact owed to the victim for an earlier step (the order granted) is still owed when the order ends.
        closeClocks(b, unmetDeadlines(b.state).filter((d) => d.measureId === measureId && measureId !== null && d.kind !== 'victim_contact'), 'cancelled', at);
        break;
      case 'victim-contact':
        setClock(b, { kind: 'victim_contact', clock: victimHasEnhancedRights(b.state) ? 'victim_contact_enhanced' : 'victim_contact_standard', measureId, trigger: at, startedBy: step }, recordClockStep);
        break;
      case 'alert':
        raiseSystemAlert(b, 'breach', [effect.rule], effect.reason, effect.addressedTo);
        break;
      default: {
        const never: never = effect;
        throw new Error(`unknown effect ${JSON.stringify(never)}`);
      }
    }
  }
}
