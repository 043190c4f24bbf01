/**
 * Plays one synthetic referral's script through the command handler, as staff and source systems would issue it:
 * ids the script cannot know in advance (the alert an acknowledgement answers, the order a step belongs to, the
 * Victims' Code clock a contact meets) are read from the events the earlier commands wrote.
 */
import { randomUUID } from 'node:crypto';
import type { Role } from '@hru/events';
import type { ReferralCommandHandler } from '@hru/application';
import { referralIdFor } from '@hru/workflows';
import type { ScriptedCommand } from './synthetic-case.js';

export interface PlayedScript {
  referralId: string;
  commandsRun: number;
}

/** Steps dated after `now` have not happened yet and are left out. */
export async function playScript(commands: Pick<ReferralCommandHandler, 'handle'>, script: readonly ScriptedCommand[], now: number): Promise<PlayedScript> {
  const intake = script[0]!.payload as { source: { system: string; crimeReference: string } };
  const referralId = referralIdFor(intake.source.system, intake.source.crimeReference);
  // The Victims' Code contact a step owed: the demo's contacts meet the latest one.
  let owedContact: string | undefined;
  let spo: string | undefined;
  // The alert an acknowledgement answers: the latest one raised (at intake, or by a breach of an order).
  let alert: string | undefined;
  let commandsRun = 0;
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
    const result = await commands.handle(referralId, { name: step.name, payload }, {
      actor:
        'system' in step.by
          ? { kind: 'system', system: step.by.system }
          : { kind: 'person', sub: step.by.sub, name: `Demo ${step.by.role}`, roles: [step.by.role as Role], agency: step.by.agency },
      correlationId: `demo-${randomUUID()}`,
      now: step.at.toISOString(),
    });
    for (const event of result.events) {
      const data = event.data as { kind?: string; deadlineId?: string; measureId?: string; alertId?: string };
      if (event.type === 'DeadlineSet' && data.kind === 'victim_contact') owedContact = data.deadlineId;
      if (event.type === 'DeadlineClosed' && data.deadlineId === owedContact) owedContact = undefined;
      if (event.type === 'SpoStepRecorded') spo = data.measureId;
      if (event.type === 'UrgentActionRaised') alert = data.alertId;
    }
    commandsRun++;
  }
  return { referralId, commandsRun };
}
