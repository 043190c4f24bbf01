/**
 * Drives the clocks of legal measures from a test: commands through a command handler of the test's own (with its
 * own clocks, tests/support/test-clocks.ts) on the engine's store, hand-made deadline events for clocks no command
 * can backdate (a plan review runs from the command's own time), and reads of what the engine recorded.
 */
import { ReferralCommandHandler, type EventStore, type NewEvent, type RecordedEvent } from '@hru/application';
import { eventRegistry, type PersonActor, type Role } from '@hru/events';
import type { Clocks } from '@hru/workflows';
import { randomUUID } from 'node:crypto';

export const officer: PersonActor = { kind: 'person', sub: 'pc-1', name: 'PC One', roles: ['supervisor', 'officer'], agency: 'police' };

export function deadlineCommands(store: EventStore, clocks: Clocks): ReferralCommandHandler {
  return new ReferralCommandHandler(store, { alertAckSlaMs: 15 * 60_000, maxEscalationLevel: 2, clocks });
}

export async function send(commands: ReferralCommandHandler, referralId: string, name: string, payload: unknown, now = new Date()) {
  return commands.handle(referralId, { name, payload }, { actor: officer, correlationId: `test-${name}`, now: now.toISOString() });
}

export const iso = (ms: number) => new Date(ms).toISOString();

/** A DeadlineSet as the clock rules write it, for a clock of the case (no measure). */
export function handMadeDeadline(input: { referralId: string; deadlineId: string; kind: 'plan_review' | 'order_end'; owner: Role; triggerAt: string; dueAt: string; warnAt: string | null }): NewEvent {
  const clock = input.kind;
  return {
    type: 'DeadlineSet',
    data: { ...input, clock, measureId: null, startedBy: null, version: 1 },
    metadata: {
      eventId: randomUUID(),
      occurredAt: new Date().toISOString(),
      actor: officer,
      correlationId: 'hand-made-deadline',
      causationId: null,
      schemaVersion: eventRegistry.definition('DeadlineSet').version,
    },
  };
}

export const deadlineEventTypes = ['DeadlineSet', 'DeadlineWarned', 'DeadlineMissed', 'DeadlineClosed'] as const;

export interface DeadlineData {
  referralId: string;
  deadlineId: string;
  version?: number;
  dueAt?: string;
  warnAt?: string | null;
  kind?: string;
  owner?: string;
  outcome?: string;
}

export function ofType(events: readonly RecordedEvent[], type: string): RecordedEvent[] {
  return events.filter((e) => e.type === type);
}

export const dataOf = <T = DeadlineData>(event: RecordedEvent) => event.data as T;
export const timeOf = (event: RecordedEvent) => Date.parse(event.metadata.occurredAt);
