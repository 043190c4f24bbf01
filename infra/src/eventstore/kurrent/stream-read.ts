/**
 * Reads of one stream as the server sends them, metadata and its chain link included: what appends and
 * the port's stream reads are both built on.
 */
import type { KurrentDBClient, ReadRevision, ResolvedEvent, RecordedEvent as KurrentRecordedEvent, Position } from '@kurrent/kurrentdb-client';
import type { ReadStreamOptions } from '@hru/application';
import { isStreamNotFound } from './mapping.js';
import { retryUnavailable } from './reconnect-retry.js';

export type RawEvent = KurrentRecordedEvent & { position?: Position | undefined };

/** Events of one stream; an empty array when the stream does not exist. */
export async function readRawStream(client: KurrentDBClient, streamId: string, options: ReadStreamOptions = {}): Promise<RawEvent[]> {
  const direction = options.direction ?? 'forwards';
  const fromRevision: ReadRevision = options.fromRevision === undefined ? (direction === 'backwards' ? 'end' : 'start') : BigInt(options.fromRevision);
  // A read interrupted by the client's reconnection starts again from scratch (reconnect-retry.ts).
  return retryUnavailable(async () => {
    const out: RawEvent[] = [];
    try {
      const read = client.readStream(streamId, { direction, fromRevision, maxCount: options.maxCount ?? Number.MAX_SAFE_INTEGER });
      for await (const resolved of read as AsyncIterable<ResolvedEvent>) {
        if (resolved.event) out.push(resolved.event);
      }
    } catch (error) {
      if (isStreamNotFound(error)) return [];
      throw error;
    }
    return out;
  });
}
