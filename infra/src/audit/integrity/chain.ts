/**
 * The hash chain of a stream. Each event's hash is HMAC-SHA256, under the chain key, over the previous
 * event's hash and the canonical JSON of the event as stored: `{data, metadata, position, revision,
 * streamId, type}`. An edit, an inserted or deleted event, or two events swapped (in the stream or in the
 * global log) breaks the chain at that event. The first event of a stream links to GENESIS_HASH.
 *
 * Why keyed: a plain SHA-256 chain can be recomputed by anyone who can write the store, so an edit with
 * every later hash recomputed passed verification. The key lives outside the store (see chain-key.ts), so a
 * forger who can rewrite the file still cannot produce hashes that verify. Events chained before the key
 * existed keep their unkeyed SHA-256 links (`key` undefined) and are covered by a keyed checkpoint.
 */
import { createHash, createHmac } from 'node:crypto';

export const GENESIS_HASH = '0'.repeat(64);

/** The secret the chains are keyed with; `undefined` only for links written before chains were keyed. */
export type ChainKey = Buffer;

export interface ChainedFields {
  streamId: string;
  revision: number;
  position: bigint | number;
  type: string;
  /** Canonical JSON of the event's data and metadata (see canonicalJson). */
  dataJson: string;
  metadataJson: string;
}

/** The canonical record, assembled from texts that are already canonical: keys in sorted order. */
export function canonicalRecord(e: ChainedFields): string {
  return (
    `{"data":${e.dataJson},"metadata":${e.metadataJson},"position":${e.position},` +
    `"revision":${e.revision},"streamId":${JSON.stringify(e.streamId)},"type":${JSON.stringify(e.type)}}`
  );
}

/** HMAC-SHA256 under `key`, or the legacy unkeyed SHA-256 when there is none. */
export function chainDigest(key: ChainKey | undefined, prevHash: string, record: string): string {
  return (key ? createHmac('sha256', key) : createHash('sha256')).update(prevHash).update(record).digest('hex');
}

export function linkHash(prevHash: string, event: ChainedFields, key?: ChainKey): string {
  return chainDigest(key, prevHash, canonicalRecord(event));
}
