/** Fires a due timer as an ordinary command: a late, repeated or no-longer-relevant firing records nothing. */
import type { CommandResult, ReferralCommandHandler } from '../commands/referral-command-handler.js';
import { timerFiring, type Timer } from './timers.js';

export async function fireTimer(
  commands: ReferralCommandHandler,
  timer: Timer,
  context: { causationId: string; now: string },
): Promise<CommandResult> {
  const firing = timerFiring(timer);
  return commands.handle(firing.referralId, firing.command, {
    actor: { kind: 'system', system: firing.system },
    correlationId: firing.correlationId,
    causationId: context.causationId,
    now: context.now,
  });
}
