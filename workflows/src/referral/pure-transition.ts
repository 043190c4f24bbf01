/**
 * XState's pure `transition(machine, snapshot, event)` with one inert actor scope for every call.
 *
 * xstate's own helper builds a throwaway actor per call, and building an actor computes the machine's initial
 * snapshot: measured, that is more work and garbage than the transition itself, paid once per event of every
 * fold. The scope does nothing here: the referral machine spawns no children, has no delays, and its actions
 * are collected, never executed. So one scope can serve every call; the calls are synchronous, and each one
 * sets the collector for its own actions. A spec checks this against xstate's `transition` over random lives.
 */
import { createActor, type AnyActorScope, type ExecutableActionsFrom } from 'xstate';
import { referralMachine, type ReferralMachineEvent, type ReferralSnapshot } from './referral-machine.js';

type Action = ExecutableActionsFrom<typeof referralMachine>;

const self = createActor(referralMachine);
const scope = {
  self,
  defer: () => {},
  id: '',
  logger: () => {},
  sessionId: '',
  stopChild: () => {},
  system: self.system,
  emit: () => {},
  actionExecutor: (_action: Action) => {},
} as unknown as AnyActorScope;

/** The next snapshot and the actions the transition would execute: what `transition` from xstate returns. */
export function pureTransition(snapshot: ReferralSnapshot, event: ReferralMachineEvent): [ReferralSnapshot, Action[]] {
  const actions: Action[] = [];
  scope.actionExecutor = (action) => void actions.push(action as Action);
  const next = referralMachine.transition(snapshot, event, scope);
  return [next, actions];
}
