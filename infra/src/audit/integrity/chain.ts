/**
 * The hash chain of a stream. Each event's hash is SHA-256 over the previous event's hash and the canonical
 * JSON of the event as stored: `{data, metadata, position, revision, streamId, type}`. An edit, an inserted
 * or deleted event, or two events swapped (in the stream or in the global log) breaks the chain at that
 * event. The first event of a stream links to GENESIS_HASH.
 */
import { createHash } from 'node:crypto';

export const GENESIS_HASH = '0'.repeat(64);

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

export function linkHash(prevHash: string, event: ChainedFields): string {
  return createHash('sha256').update(prevHash).update(canonicalRecord(event)).digest('hex');
}
