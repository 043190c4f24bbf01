/** Delivery outcomes written to the event store of this thread (the engine's), as events of the alert's delivery stream. */
import { newEvent, type EventStore } from '@hru/application';
import { alertDeliveryStreamFor, deterministicEventId } from '@hru/events';
import type { RecordOutcome } from './delivery-worker.js';

export function recordOutcomeIn(store: EventStore): RecordOutcome {
  return async ({ type, job, jobId, attempt, detail }) => {
    const { alertId, referralId, kind, level, target } = job;
    await store.appendToStream(alertDeliveryStreamFor(alertId), [
      newEvent(type, { alertId, referralId, kind, level, channel: 'webhook', target, attempts: attempt, ...detail }, {
        // Deterministic: a delivery repeated after a crash is recorded once.
        eventId: deterministicEventId(type, alertId, kind, String(level), target),
        occurredAt: new Date().toISOString(),
        actor: { kind: 'system', system: 'alert-delivery' },
        correlationId: alertId,
        causationId: jobId ?? null,
      }),
    ]);
  };
}
