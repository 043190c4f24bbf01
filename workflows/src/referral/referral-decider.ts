/**
 * The machine driven as a pure decider through `initialTransition` / `transition` (see pure-transition.ts):
 * fold stored events into a snapshot, decide a command against it, and ask it which commands it accepts.
 */
import { initialTransition } from 'xstate';
import { CommandNotAllowedError, HruError, type ReferralEvent } from '@hru/events';
import { commandNames, type CommandName } from '../commands/catalogue.js';
import type { CommandEvent, DraftEvent, Emitted, MachineStage } from './decision.js';
import { pureTransition } from './pure-transition.js';
import { referralMachine, type ReferralMachineEvent, type ReferralSnapshot } from './referral-machine.js';

/** A stored event the machine does not accept where the history puts it: the stream is corrupt. */
export class UnfoldableHistoryError extends HruError {
  constructor(type: string, stage: string, index: number) {
    super('internal', `Event ${type} at index ${index} does not fit a referral in stage ${stage}`, { type, stage, index });
  }
}

// A transition returns a new snapshot and never changes the one it is given, so every fold can start from
// the same initial snapshot; building it is a third of the machine's cost of taking in a new referral.
// Its context is frozen: a change to it would leak from one referral into every other, so it must throw.
const initial = initialTransition(referralMachine)[0];
deepFreeze(initial.context);

function deepFreeze(value: unknown): void {
  if (value === null || typeof value !== 'object' || Object.isFrozen(value)) return;
  Object.freeze(value);
  for (const inner of Object.values(value)) deepFreeze(inner);
}

export function initialSnapshot(): ReferralSnapshot {
  return initial;
}

export function stageOf(snapshot: ReferralSnapshot): MachineStage {
  const lifecycle = (snapshot.value as { lifecycle: string | { open: string } }).lifecycle;
  return (typeof lifecycle === 'string' ? lifecycle : lifecycle.open) as MachineStage;
}

export function evolveSnapshot(snapshot: ReferralSnapshot, event: ReferralEvent, index = 0): ReferralSnapshot {
  // Where no transition takes the event, XState hands back the very snapshot it was given; every transition
  // a stored event can take runs `evolve`, which makes a new one. So identity tells whether the machine
  // accepted the event, without asking `can` first (a second walk of the transitions, per event of a fold).
  const next = pureTransition(snapshot, event)[0];
  if (next === snapshot) throw new UnfoldableHistoryError(event.type, stageOf(snapshot), index);
  return next;
}

export function foldEvents(events: readonly ReferralEvent[], from: ReferralSnapshot = initialSnapshot(), firstIndex = 0): ReferralSnapshot {
  let snapshot = from;
  events.forEach((event, i) => {
    snapshot = evolveSnapshot(snapshot, event, firstIndex + i);
  });
  return snapshot;
}

/**
 * The commands this state accepts, asked of the machine itself. Its guards look only at the state,
 * never at a payload, so a bare `{type}` is a fair question; payload checks (an unknown alert id) are
 * rejections made while deciding.
 */
export function allowedCommands(snapshot: ReferralSnapshot): CommandName[] {
  return commandNames.filter((name) => snapshot.can({ type: name } as unknown as ReferralMachineEvent));
}

/** Decides a command: the events it yields (possibly none), or a `CommandNotAllowedError`. */
export function decide(snapshot: ReferralSnapshot, command: CommandEvent): DraftEvent[] {
  const stage = stageOf(snapshot);
  if (!snapshot.can(command)) {
    throw new CommandNotAllowedError(command.type, stage, allowedCommands(snapshot));
  }
  const [, actions] = pureTransition(snapshot, command);
  // Emitted events come back as executable `xstate.emit` actions, the event in their (untyped) params.
  const emitted = actions
    .filter((action) => action.type === 'xstate.emit')
    .map((action) => (action.params as { event: Emitted }).event);
  const events: DraftEvent[] = [];
  for (const item of emitted) {
    if (item.type === 'rejected') {
      throw new CommandNotAllowedError(command.type, stage, allowedCommands(snapshot), item.why);
    }
    events.push(item);
  }
  return events;
}
