/**
 * How a break reaches the auditor. The monitor records each break as an `IntegrityBreakDetected` event in
 * the `integrity` stream, with an event id derived from the break, so it is durable (it is in the log the
 * auditor reads with `GET /v1/audit/integrity`) and recorded once however often it is found again. Then,
 * for a break not recorded before, it posts an urgent notice addressed to the auditor role to every alert
 * webhook (HRU_ALERT_WEBHOOK_URL, signed with HRU_ALERT_WEBHOOK_SECRET): once, best effort, logged when it
 * fails; the event and /readyz stay as the record and the signal.
 */
import { newEvent, type EventStore } from '@hru/application';
import { deterministicEventId, INTEGRITY_STREAM } from '@hru/events';
import type { Logger } from '../../logger.js';
import { postSignedJson } from '../../webhook/post-signed.js';
import { breakKey } from './monitor-state.js';
import type { ChainBreak } from './report.js';

export interface BreakAlertOptions {
  store: EventStore;
  storeKind: string;
  webhookUrls: readonly string[];
  webhookSecret: string | undefined;
  logger: Logger;
}

/** Records the breaks; returns those that were not recorded before (and were notified now). */
export async function alertBreaks(breaks: readonly ChainBreak[], options: BreakAlertOptions): Promise<ChainBreak[]> {
  const recorded = new Set((await options.store.readStream(INTEGRITY_STREAM)).map((e) => e.eventId));
  const fresh = breaks.filter((b) => !recorded.has(breakEventId(b)));
  if (fresh.length === 0) return [];
  const now = new Date().toISOString();
  const events = fresh.map((b) =>
    newEvent('IntegrityBreakDetected', { ...b, store: options.storeKind }, {
      eventId: breakEventId(b),
      occurredAt: now,
      actor: { kind: 'system', system: 'integrity-monitor' },
      correlationId: breakEventId(fresh[0]!),
    }),
  );
  await options.store.appendToStream(INTEGRITY_STREAM, events, { expectedRevision: 'any' });
  for (const b of fresh) options.logger.error({ integrityBreak: b }, 'integrity break: the event log was changed outside the engine');
  await notify(fresh, now, options);
  return fresh;
}

export function breakEventId(b: ChainBreak): string {
  return deterministicEventId('integrity-break', breakKey(b));
}

async function notify(breaks: ChainBreak[], detectedAt: string, options: BreakAlertOptions): Promise<void> {
  const body = JSON.stringify({ type: 'integrity-break', urgent: true, audience: 'auditor', store: options.storeKind, detectedAt, breaks });
  await Promise.all(
    options.webhookUrls.map((url) =>
      postSignedJson(url, body, { secret: options.webhookSecret, headers: { 'user-agent': 'hru-integrity/1' } }).catch((error: unknown) =>
        options.logger.warn({ target: new URL(url).origin, err: (error as Error).message }, 'integrity break notice not delivered'),
      ),
    ),
  );
}
