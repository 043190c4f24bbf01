/**
 * Plays one synthetic referral's script through the command handler, as staff and source systems would issue it:
 * ids the script cannot know in advance (the alert an acknowledgement answers, the order a step belongs to, the
 * Victims' Code clock a contact meets) are read from the events the earlier commands wrote.
 */
import { randomUUID } from 'node:crypto';
import { CommandNotAllowedError, ConcurrencyError, type Actor, type Role } from '@hru/events';
import type { ReferralCommandHandler } from '@hru/application';
import { referralIdFor } from '@hru/workflows';
import type { ScriptedCommand } from './synthetic-case.js';

export interface PlayedScript {
  referralId: string;
  commandsRun: number;
  /** Steps the workflow refused because the case had moved on without the script (`skipRefused` only). */
  stepsSkipped: number;
}

export interface PlayOptions {
  /**
   * Beside a running engine the lives are not the demo's alone: they are backdated, so the clocks they start fall
   * due at once and the engine's timers act on them (an interim order ends, a clock is missed) between two of the
   * script's steps, which the workflow may then refuse. With this, such a step is left out and counted, and the
   * life goes on; without it (the default, and the generator's own test), a refusal is an error.
   */
  skipRefused?: boolean;
}

/** Steps dated after `now` have not happened yet and are left out. */
export async function playScript(
  commands: Pick<ReferralCommandHandler, 'handle' | 'load'>,
  script: readonly ScriptedCommand[],
  now: number,
  options: PlayOptions = {},
): Promise<PlayedScript> {
  const intake = script[0]!.payload as { source: { system: string; crimeReference: string } };
  const referralId = referralIdFor(intake.source.system, intake.source.crimeReference);
  // The Victims' Code contact a step owed: the demo's contacts meet the latest one.
  let owedContact: string | undefined;
  let spo: string | undefined;
  // The alert an acknowledgement answers: the latest one raised (at intake, or by a breach of an order).
  let alert: string | undefined;
  let commandsRun = 0;
  let stepsSkipped = 0;
  for (const step of script) {
    if (step.at.getTime() > now) break;
    const payload =
      step.name === 'acknowledge-urgent-action'
        ? { ...step.payload, alertId: alert }
        : step.name === 'record-victim-contact'
          ? { ...step.payload, deadlineId: owedContact }
          : step.payload.measureId === '$spo'
            ? { ...step.payload, measureId: spo }
            : step.payload;
    if (step.name === 'record-victim-contact' && owedContact === undefined) continue;
    // A step naming what an earlier step would have made (the alert a breach raised, the order an application
    // started) when that step was left out: it goes too.
    const unresolved = (step.name === 'acknowledge-urgent-action' && alert === undefined) || (step.payload.measureId === '$spo' && spo === undefined);
    if (unresolved) {
      if (!options.skipRefused) throw new Error(`demo script: ${step.name} names what no earlier step made (referral ${referralId})`);
      stepsSkipped++;
      continue;
    }
    const played = await handleRetrying(commands, referralId, { name: step.name, payload }, {
      actor:
        'system' in step.by
          ? { kind: 'system', system: step.by.system }
          : { kind: 'person', sub: step.by.sub, name: `Demo ${step.by.role}`, roles: [step.by.role as Role], agency: step.by.agency },
      correlationId: `demo-${randomUUID()}`,
      now: step.at.toISOString(),
    }).catch((error: unknown) => {
      if (options.skipRefused && error instanceof CommandNotAllowedError && step.name !== 'receive-referral') return undefined;
      throw error;
    });
    if (!played) {
      stepsSkipped++;
      continue;
    }
    const result = played;
    // The crime is in the log already (the same demo run again): its life was played then, not again now.
    if (step.name === 'receive-referral' && !result.created) break;
    for (const event of result.events) {
      const data = event.data as { kind?: string; deadlineId?: string; measureId?: string; alertId?: string };
      if (event.type === 'DeadlineSet' && data.kind === 'victim_contact') owedContact = data.deadlineId;
      if (event.type === 'DeadlineClosed' && data.deadlineId === owedContact) owedContact = undefined;
      if (event.type === 'SpoStepRecorded') spo = data.measureId;
      if (event.type === 'UrgentActionRaised') alert = data.alertId;
    }
    commandsRun++;
  }
  return { referralId, commandsRun, stepsSkipped };
}

/**
 * A running engine writes to the demo's referrals too: the lives are backdated, so the clocks they start are due at
 * once, and its timers record them (warned, missed) between two of the script's commands. The handler decides
 * again once on a conflict; here a few more times, a little later each, before the demo gives up.
 */
async function handleRetrying(
  commands: Pick<ReferralCommandHandler, 'handle' | 'load'>,
  referralId: string,
  input: Parameters<ReferralCommandHandler['handle']>[1],
  context: Parameters<ReferralCommandHandler['handle']>[2],
): Promise<Awaited<ReturnType<ReferralCommandHandler['handle']>>> {
  let answered = false;
  for (let attempt = 1; ; attempt++) {
    try {
      return await commands.handle(referralId, input, context);
    } catch (error) {
      if (error instanceof CommandNotAllowedError && !answered) {
        // A clock the engine found missed raised an alert the script knows nothing of, and an open alert holds the
        // case (it cannot be closed, say): the demo's supervisor acknowledges it, as one would, and tries again.
        answered = await acknowledgeOpenAlerts(commands, referralId, context.now);
        if (answered) continue;
      }
      if (!(error instanceof ConcurrencyError) || attempt >= 6) throw error;
      await new Promise((resolve) => setTimeout(resolve, 10 * attempt));
    }
  }
}

const demoSupervisor: Actor = { kind: 'person', sub: 'ds.demo', name: 'Demo supervisor', roles: ['supervisor'], agency: 'police' };

/** Acknowledges every alert still open on the referral; whether there was one. */
async function acknowledgeOpenAlerts(commands: Pick<ReferralCommandHandler, 'handle' | 'load'>, referralId: string, scriptNow: string | undefined): Promise<boolean> {
  const open = ((await commands.load(referralId))?.view.urgentActions ?? []).filter((a) => a.status === 'raised');
  for (const alert of open) {
    // Not before the alert was raised (the engine raised it now; the script's clock may be months behind).
    const at = new Date(Math.max(Date.parse(alert.raisedAt), scriptNow ? Date.parse(scriptNow) : 0) + 60_000).toISOString();
    await commands.handle(referralId, { name: 'acknowledge-urgent-action', payload: { alertId: alert.alertId, note: 'Acknowledged by the demo supervisor.' } }, {
      actor: demoSupervisor,
      correlationId: `demo-${randomUUID()}`,
      now: at,
    });
  }
  return open.length > 0;
}
