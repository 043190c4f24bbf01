import type { NewEvent } from '@hru/application';
import { randomUUID } from 'node:crypto';

/** A schema-free event for store tests: the store does not interpret bodies. */
export function testEvent(type = 'Tested', data: Record<string, unknown> = {}, eventId = randomUUID()): NewEvent {
  return {
    type,
    data,
    metadata: {
      eventId,
      occurredAt: new Date().toISOString(),
      actor: { kind: 'system', system: 'contract-suite' },
      correlationId: 'contract',
      causationId: null,
      schemaVersion: 1,
    },
  };
}

export function uniqueStream(prefix = 'test-'): string {
  return `${prefix}${randomUUID().replaceAll('-', '')}`;
}
