/**
 * The hash chain of a stream on a store that cannot tell an event's global position before it commits it
 * (KurrentDB/EventStoreDB): the same chain as chain.ts, over the canonical JSON of
 * `{data, metadata, revision, streamId, type}`, i.e. without the position. A variant of the record rather
 * than the position fixed at 0, so that a record of one kind can never be taken for one of the other (the
 * SQLite record always has a "position" key, this one never has). What the chain does not cover is then
 * where an event sits in the global log; the log digest of a verification (hashes in log order) does.
 */
import { chainDigest, type ChainKey } from './chain.js';

export interface StreamChainedFields {
  streamId: string;
  revision: number;
  type: string;
  /** Canonical JSON of the event's data and metadata (see canonicalJson). */
  dataJson: string;
  metadataJson: string;
}

/** The link an event carries: the hash of the event before it in its stream (GENESIS_HASH first) and its own. */
export interface StoredLink {
  prevHash: string;
  hash: string;
  /** `hmac-sha256` for a keyed link; absent on links written before chains were keyed (plain SHA-256). */
  alg?: 'hmac-sha256';
}

/** The canonical record, assembled from texts that are already canonical: keys in sorted order. */
export function canonicalStreamRecord(e: StreamChainedFields): string {
  return `{"data":${e.dataJson},"metadata":${e.metadataJson},"revision":${e.revision},"streamId":${JSON.stringify(e.streamId)},"type":${JSON.stringify(e.type)}}`;
}

export function streamLinkHash(prevHash: string, event: StreamChainedFields, key?: ChainKey): string {
  return chainDigest(key, prevHash, canonicalStreamRecord(event));
}
