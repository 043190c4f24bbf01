/**
 * A catch-up-then-live subscription to $all that survives the server: events go to the handler in
 * batches, in log order, one batch at a time (the client stream is paused while the handler is behind),
 * and a dropped subscription is opened again just after the last position dealt with, after a capped
 * exponential backoff. It ends only when stopped or when the handler throws.
 */
import type { AllStreamResolvedEvent, KurrentDBClient } from '@kurrent/kurrentdb-client';
import { matchesFilter, type RecordedEvent, type SubscribeOptions, type Subscription } from '@hru/application';
import { isSystemEvent, toClientPosition, toRecorded, toServerFilter, type FilterFactories } from './mapping.js';

export interface ResubscribePolicy {
  initialDelayMs: number;
  maxDelayMs: number;
}

const defaultPolicy: ResubscribePolicy = { initialDelayMs: 100, maxDelayMs: 5_000 };

export function startCatchUpSubscription(
  client: KurrentDBClient,
  filters: FilterFactories,
  options: SubscribeOptions,
  policy: ResubscribePolicy = defaultPolicy,
): Subscription {
  const batchSize = options.batchSize ?? 500;
  let stopped = false;
  /** Everything up to here was handled (or filtered out): where a new subscription resumes. */
  let resumeAfter = options.from === 'start' ? undefined : options.from.after;
  let caughtUpReported = false;
  let wake: (() => void) | undefined;
  const signal = () => {
    const resume = wake;
    wake = undefined;
    resume?.();
  };
  const waitForSignal = (timeoutMs?: number) =>
    new Promise<void>((resolve) => {
      const timer = timeoutMs === undefined ? undefined : setTimeout(done, timeoutMs);
      function done() {
        clearTimeout(timer);
        wake = undefined;
        resolve();
      }
      wake = done;
    });

  /** One server subscription, until it drops (returns whether it delivered anything) or we stop. */
  const runOnce = async (): Promise<boolean> => {
    const queue: AllStreamResolvedEvent[] = [];
    let received = 0;
    let dealtWith = 0;
    let caughtUpAt: number | undefined;
    let dropped = false;
    const sub = client.subscribeToAll({
      fromPosition: resumeAfter === undefined ? 'start' : toClientPosition(resumeAfter),
      filter: toServerFilter(options.filter, filters),
    });
    sub.on('data', (resolved: AllStreamResolvedEvent) => {
      queue.push(resolved);
      received++;
      // Back-pressure: the client stream stops reading (and gRPC flow control stops the server) while we are behind.
      if (queue.length >= batchSize * 2) sub.pause();
      signal();
    });
    sub.on('caughtUp', () => {
      // Events before the marker may still sit in the stream's buffer; the handler must see them first.
      caughtUpAt = received + sub.readableLength;
      signal();
    });
    const drop = () => {
      dropped = true;
      signal();
    };
    sub.on('error', drop);
    sub.on('close', drop);
    try {
      while (!stopped) {
        if (queue.length > 0) {
          const raw = queue.splice(0, batchSize);
          const batch: RecordedEvent[] = [];
          for (const { event } of raw) {
            if (!event) continue;
            const recorded = toRecorded(event);
            if (!isSystemEvent(recorded) && matchesFilter(recorded, options.filter)) batch.push(recorded);
          }
          if (batch.length > 0) await options.handle(batch);
          dealtWith += raw.length;
          const lastRaw = raw.findLast((r) => r.event)?.event;
          if (lastRaw) resumeAfter = lastRaw.position.commit;
          if (sub.isPaused() && queue.length < batchSize) sub.resume();
          continue;
        }
        if (!caughtUpReported && caughtUpAt !== undefined && dealtWith >= caughtUpAt) {
          caughtUpReported = true;
          options.onCaughtUp?.();
        }
        if (dropped) break;
        await waitForSignal();
      }
    } finally {
      sub.removeAllListeners();
      sub.on('error', () => {}); // a late error of an abandoned stream must not become an unhandled one
      if (!dropped) await sub.unsubscribe();
    }
    return received > 0;
  };

  const run = async () => {
    let attempt = 0;
    while (!stopped) {
      const progressed = await runOnce();
      if (stopped) break;
      if (progressed) attempt = 0;
      await waitForSignal(Math.min(policy.maxDelayMs, policy.initialDelayMs * 2 ** attempt));
      attempt++;
    }
  };

  const done = run().catch((error: unknown) => {
    stopped = true;
    options.onError?.(error);
  });

  return {
    done,
    async stop() {
      stopped = true;
      signal();
      await done;
    },
  };
}
