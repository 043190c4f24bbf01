/**
 * The hash chain as KurrentDB stores it: in each event's metadata under `integrity: {prevHash, hash}`,
 * because the server keeps nothing else per event that the adapter controls. The hash covers the metadata
 * without that key, so reads hand callers back exactly the metadata they appended.
 */
import type { EventData, JSONEventType } from '@kurrent/kurrentdb-client';
import { ValidationError } from '@hru/events';
import { canonicalJson } from '../../audit/integrity/canonical-json.js';
import type { ChainKey } from '../../audit/integrity/chain.js';
import { streamLinkHash, type StoredLink, type StreamChainedFields } from '../../audit/integrity/stream-chain.js';
import type { NewEvent } from '@hru/application';

export const INTEGRITY_KEY = 'integrity';
/** Marks a keyed link; links written before the chains were keyed have no `alg` and plain SHA-256 hashes. */
export const KEYED_ALG = 'hmac-sha256';

const HASH = /^[0-9a-f]{64}$/;

export interface SplitMetadata {
  /** The metadata as the caller appended it. */
  metadata: unknown;
  link: StoredLink | undefined;
  /** An `integrity` key is there but is not a link: someone wrote it other than through the adapter. */
  malformed: boolean;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Uint8Array);
}

export function splitIntegrity(metadata: unknown): SplitMetadata {
  if (!isRecord(metadata) || !(INTEGRITY_KEY in metadata)) return { metadata, link: undefined, malformed: false };
  const { [INTEGRITY_KEY]: integrity, ...rest } = metadata;
  const link = integrity as Partial<StoredLink> | null;
  const valid =
    isRecord(link) &&
    typeof link.prevHash === 'string' && HASH.test(link.prevHash) &&
    typeof link.hash === 'string' && HASH.test(link.hash) &&
    (link.alg === undefined || link.alg === KEYED_ALG);
  const parsed: StoredLink | undefined = valid ? { prevHash: link.prevHash!, hash: link.hash!, ...(link.alg ? { alg: link.alg } : {}) } : undefined;
  return { metadata: rest, link: parsed, malformed: !valid };
}

export function withoutIntegrity(metadata: unknown): unknown {
  return splitIntegrity(metadata).metadata;
}

/** Canonical JSON of what was read; a body the client could not parse as JSON hashes as a marker, never as itself. */
function canonicalOrMarker(value: unknown): string {
  try {
    return canonicalJson(value);
  } catch {
    return '"(no JSON form)"';
  }
}

export function chainedFields(streamId: string, revision: number, type: string, data: unknown, metadata: unknown): StreamChainedFields {
  return { streamId, revision, type, dataJson: canonicalOrMarker(data), metadataJson: canonicalOrMarker(metadata) };
}

/**
 * The events to send, each linked to the one before it, the first to `prevHash` (the stream's last hash).
 * The KurrentDB event id is our event id, so the server and our own retry check recognise a retried append.
 */
export function chainEvents(streamId: string, lastRevision: number, prevHash: string, events: readonly NewEvent[], key: ChainKey): EventData[] {
  let hash = prevHash;
  return events.map((event, i) => {
    if (isRecord(event.metadata) && INTEGRITY_KEY in event.metadata) {
      throw new ValidationError('Event metadata may not carry the store’s own integrity key', [
        { path: `/events/${i}/metadata/${INTEGRITY_KEY}`, message: 'reserved' },
      ]);
    }
    const link: StoredLink = { prevHash: hash, hash: streamLinkHash(hash, chainedFields(streamId, lastRevision + 1 + i, event.type, event.data, event.metadata), key), alg: KEYED_ALG };
    hash = link.hash;
    // The port's data is `unknown` JSON; the client's JSON event type only constrains it for TypeScript users.
    const data = event.data as JSONEventType['data'];
    const metadata = { ...event.metadata, [INTEGRITY_KEY]: link };
    return { id: event.metadata.eventId, contentType: 'application/json', type: event.type, data, metadata };
  });
}
