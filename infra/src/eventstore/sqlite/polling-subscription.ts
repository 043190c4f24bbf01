/**
 * Catch-up-then-live subscription over a log that can be read by position. Appends in this process wake
 * it at once; appends by other processes are found by polling the head of the log.
 */
import { setImmediate as nextTurn } from 'node:timers/promises';
import type { EventFilter, RecordedEvent, SubscribeOptions, Subscription } from '@hru/application';

export interface PollableLog {
  head(): bigint;
  readAfter(after: bigint, upTo: bigint, filter: EventFilter | undefined, limit: number): RecordedEvent[];
  /** Registers a listener for appends made in this process; returns the unregister function. */
  onAppended(listener: () => void): () => void;
  pollIntervalMs: number;
}

export function startPollingSubscription(log: PollableLog, options: SubscribeOptions): Subscription {
  const batchSize = options.batchSize ?? 500;
  let stopped = false;
  let wake: (() => void) | undefined;
  const unlisten = log.onAppended(() => wake?.());

  const sleep = () =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(done, log.pollIntervalMs);
      function done() {
        clearTimeout(timer);
        wake = undefined;
        resolve();
      }
      wake = done;
    });

  const run = async () => {
    let after = options.from === 'start' ? -1n : options.from.after;
    let caughtUp = false;
    while (!stopped) {
      const head = log.head();
      if (head > after) {
        const batch = log.readAfter(after, head, options.filter, batchSize);
        if (batch.length > 0) {
          await options.handle(batch);
          after = batch[batch.length - 1]!.position;
          if (batch.length === batchSize) {
            await nextTurn(); // let requests in between pages of a long catch-up
            continue;
          }
        }
        // Nothing more up to `head` passes the filter: skip the rest so it is not scanned again.
        after = head;
      }
      if (!caughtUp) {
        caughtUp = true;
        options.onCaughtUp?.();
      }
      if (!stopped) {
        await sleep();
        if (options.coalesceMs) await new Promise((resolve) => setTimeout(resolve, options.coalesceMs));
      }
    }
  };

  const done = run()
    .catch((error: unknown) => {
      stopped = true;
      options.onError?.(error);
    })
    .finally(unlisten);

  return {
    done,
    async stop() {
      stopped = true;
      wake?.();
      await done;
    },
  };
}
