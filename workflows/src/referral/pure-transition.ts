/**
 * XState's pure `transition(machine, snapshot, event)`, through one inert actor scope built once.
 *
 * Not xstate's own `transition` (nor `getNextSnapshot`): each call builds a throwaway actor, and building an
 * actor computes the machine's initial snapshot. On a 1,000-event fold that made folding 3-4 times slower, paid
 * per event of every fold. So this calls the machine's public `transition(snapshot, event, scope)` as xstate's
 * helper does, with a scope of the type that method declares, built once. That is sound because the scope does
 * nothing here: the referral machine spawns no children, has no delays, and its actions are collected, never
 * executed; the calls are synchronous, so one collector serves them all. A property checks this against
 * xstate's `transition` over random lives.
 */
import { createActor, type ExecutableActionObject } from 'xstate';
import { referralMachine, type ReferralMachineEvent, type ReferralSnapshot } from './referral-machine.js';

type MachineScope = Parameters<typeof referralMachine.transition>[2];

const ignore = () => {};
let collected: ExecutableActionObject[] = [];
const self = createActor(referralMachine);
const scope: MachineScope = {
  self,
  system: self.system,
  id: '',
  sessionId: '',
  logger: ignore,
  defer: ignore,
  emit: ignore,
  stopChild: ignore,
  actionExecutor: (action) => void collected.push(action),
};

/** The next snapshot and the actions the transition would execute: what `transition` from xstate returns. */
export function pureTransition(snapshot: ReferralSnapshot, event: ReferralMachineEvent): [ReferralSnapshot, ExecutableActionObject[]] {
  collected = [];
  const next = referralMachine.transition(snapshot, event, scope);
  return [next, collected];
}
