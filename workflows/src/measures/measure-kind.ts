/**
 * What each kind of legal measure declares, once, in its own file: its machine (which step may follow which), the
 * steps only its clocks decide, the checks its facts need beyond the machine, the facts a step records, and the
 * consequences of a step (clocks set, moved, met or cancelled; a Victims' Code contact owed; an alert).
 *
 * The machines are XState machines used as pure transition tables, like the referral's: a step is an event named
 * after it, the state value is the measure's status. They have no context, actions or delays: facts are folded by
 * `facts`, and time arrives with each step.
 */
import type { DeadlineKind, DeadlineOutcome, MeasureKind, MeasureStepOf, Role } from '@hru/events';
import type { AnyStateMachine } from 'xstate';
import type { CommandMeta } from '../referral/decision.js';
import type { MeasureFacts, MeasureState, ReferralState } from '../referral/referral-state.js';

export interface StepInput<K extends MeasureKind> {
  state: ReferralState;
  /** The measure before the step; undefined when the step starts a new one. */
  measure: MeasureState | undefined;
  measureId: string;
  step: MeasureStepOf<K>;
  /** When the step happened. */
  at: string;
  meta: CommandMeta;
}

/** A consequence of a step, carried out by the deadline rules (../deadlines/deadline-effects.ts). */
export type Effect =
  /**
   * Starts a clock of `kind` for this measure, by the named clock rule from `trigger`, or due at the end of the local
   * day `dueOn`. With `moves`, an unmet clock of that kind is moved (set again, next version) instead of a new one.
   * `startedBy`: the step whose time `trigger` is, when not this step (a bail extension runs from the grant).
   */
  | { type: 'set'; kind: DeadlineKind; clock: string; trigger: string; dueOn?: string; moves?: boolean; startedBy?: string }
  /** Ends this measure's unmet clocks of `kind` (a missed one met now is met late). */
  | { type: 'close'; kind: DeadlineKind; outcome: DeadlineOutcome }
  /** Cancels every unmet clock of this measure but the victim's contacts (still owed): it has ended. */
  | { type: 'close-all' }
  /** The victim must be told of this step (Victims' Code): a contact clock starts. */
  | { type: 'victim-contact' }
  | { type: 'alert'; rule: string; reason: string; addressedTo: Role };

export interface MeasureKindSpec<K extends MeasureKind> {
  kind: K;
  /** For people: the console's headings and the alerts' reasons. */
  title: string;
  machine: AnyStateMachine;
  /** Steps only a clock decides (a notification missed, an order expired): staff never send them. */
  clockSteps: readonly MeasureStepOf<K>['step'][];
  /** Why the facts forbid a step the machine allows (a full SPO for less than 2 years), or undefined. */
  check?(input: StepInput<K>): string | undefined;
  /** The facts after the step. */
  facts(before: MeasureFacts, step: MeasureStepOf<K>, at: string): MeasureFacts;
  effects(input: StepInput<K>): Effect[];
}

export function defineMeasureKind<K extends MeasureKind>(spec: MeasureKindSpec<K>): MeasureKindSpec<K> {
  return spec;
}
