/**
 * Appends that extend a stream's hash chain. The server can neither compute the hashes nor tell a
 * position before it commits, so each append reads the stream's last event (its revision and hash), links
 * the new events to it, and appends expecting exactly that revision: a writer that got in between makes
 * the server refuse, and no two events can ever link to the same predecessor (a fork). The caller's own
 * expectation is checked here against what was read, as the server would have checked it.
 *
 * After a refusal the stream is read again: an `any` or `stream_exists` append is relinked to the new
 * last event and retried (a bounded number of times, with a growing jittered delay so racing processes
 * spread out); an exact revision or `no_stream` that no longer holds is reported as a ConcurrencyError.
 * Appends of one stream by this process go one at a time, so only writers in other processes ever race.
 */
import type { KurrentDBClient } from '@kurrent/kurrentdb-client';
import { ConcurrencyError, UnavailableError } from '@hru/events';
import { GENESIS_HASH, type ChainKey } from '../../audit/integrity/chain.js';
import { describeExpected, type AppendResult, type ExpectedRevision, type NewEvent } from '@hru/application';
import { chainEvents, splitIntegrity } from './integrity.js';
import { toPositionBigint, toStoreError } from './mapping.js';
import { reconnectDelay, UNAVAILABLE_ATTEMPTS } from './reconnect-retry.js';
import { readRawStream, type RawEvent } from './stream-read.js';

const MAX_ATTEMPTS = 10;
const BASE_DELAY_MS = 5;
const MAX_DELAY_MS = 200;
/**
 * Events at the end of a stream searched for the ids of a retried `any`/`stream_exists` append. The server
 * remembers recent ids the same way (in a bounded cache); a retry that comes after more than this many
 * other events is appended again.
 */
const RETRY_WINDOW = 32;

export class ChainedAppender {
  /** The last append queued per stream: the next one starts when it settles. */
  private readonly queues = new Map<string, Promise<unknown>>();

  constructor(
    private readonly client: KurrentDBClient,
    private readonly key: ChainKey,
  ) {}

  append(streamId: string, events: readonly NewEvent[], expected: ExpectedRevision): Promise<AppendResult> {
    const previous = this.queues.get(streamId) ?? Promise.resolve();
    const run = previous.then(() => this.appendNow(streamId, events, expected));
    const settled = run.then(
      () => undefined,
      () => undefined,
    );
    this.queues.set(streamId, settled);
    void settled.then(() => {
      if (this.queues.get(streamId) === settled) this.queues.delete(streamId);
    });
    return run;
  }

  private async appendNow(streamId: string, events: readonly NewEvent[], expected: ExpectedRevision): Promise<AppendResult> {
    let unavailable = 0;
    for (let attempt = 1; ; attempt++) {
      const tail = await readRawStream(this.client, streamId, { direction: 'backwards', maxCount: RETRY_WINDOW + events.length });
      const head = tail[0];
      const current = head ? Number(head.revision) : -1;
      const retried = await this.findRetry(streamId, events, expected, tail.reverse());
      if (retried) return retried;
      if (!holds(expected, current)) throw new ConcurrencyError(streamId, describeExpected(expected), current < 0 ? 'no_stream' : current);
      // A stream begun before the chain existed (no link on its last event) starts its chain here.
      const prevHash = (head && splitIntegrity(head.metadata).link?.hash) ?? GENESIS_HASH;
      const chained = chainEvents(streamId, current, prevHash, events, this.key);
      try {
        const result = await this.client.appendToStream(streamId, chained, { streamState: current < 0 ? 'no_stream' : BigInt(current) });
        return { nextExpectedRevision: Number(result.nextExpectedRevision), position: toPositionBigint(result.position) };
      } catch (error) {
        const mapped = toStoreError(error, streamId, expected);
        if (mapped instanceof UnavailableError && ++unavailable < UNAVAILABLE_ATTEMPTS) {
          // Lost in the client's reconnection (reconnect-retry.ts), or unanswered: the next round reads the
          // stream again, so an append that did land is recognised by its event ids rather than written twice.
          await reconnectDelay(unavailable);
          continue;
        }
        if (!(mapped instanceof ConcurrencyError)) throw mapped;
        if (attempt >= MAX_ATTEMPTS) throw mapped;
        // An exact expectation needs no delay: the next read settles it (a retry found, or a conflict).
        if (expected === 'any' || expected === 'stream_exists') await jitteredDelay(attempt);
      }
    }
  }

  /**
   * The same event ids already stored where this append would have put them: the result of the original
   * append, without writing again (KurrentDB's own rule, which an append at the exact head revision no
   * longer gets from the server). The same first id followed by other ids is a conflict.
   */
  private async findRetry(streamId: string, events: readonly NewEvent[], expected: ExpectedRevision, tail: RawEvent[]): Promise<AppendResult | undefined> {
    const firstId = events[0]!.metadata.eventId;
    let stored: RawEvent[];
    if (expected === 'any' || expected === 'stream_exists') {
      const at = tail.findIndex((e) => e.id === firstId);
      if (at < 0) return undefined;
      stored = tail.slice(at, at + events.length);
    } else {
      const start = expected === 'no_stream' ? 0 : expected + 1;
      const last = tail.at(-1);
      if (!last || Number(last.revision) < start) return undefined;
      const oldest = Number(tail[0]!.revision);
      stored = start >= oldest ? tail.slice(start - oldest, start - oldest + events.length) : await readRawStream(this.client, streamId, { fromRevision: start, maxCount: events.length });
      if (stored[0]?.id !== firstId) return undefined;
    }
    const matches = stored.length === events.length && events.every((event, i) => stored[i]!.id === event.metadata.eventId);
    if (!matches) {
      const current = tail.at(-1) ? Number(tail.at(-1)!.revision) : 'no_stream';
      throw new ConcurrencyError(streamId, `a retry of events from revision ${Number(stored[0]!.revision)}`, current);
    }
    const lastStored = stored.at(-1)!;
    return { nextExpectedRevision: Number(lastStored.revision), position: toPositionBigint(lastStored.position) };
  }
}

function holds(expected: ExpectedRevision, current: number): boolean {
  if (expected === 'any') return true;
  if (expected === 'no_stream') return current < 0;
  if (expected === 'stream_exists') return current >= 0;
  return expected === current;
}

function jitteredDelay(attempt: number): Promise<void> {
  const ceiling = Math.min(MAX_DELAY_MS, BASE_DELAY_MS * 2 ** attempt);
  return new Promise((resolve) => setTimeout(resolve, ceiling / 2 + Math.random() * (ceiling / 2)));
}
