/**
 * Verifies the hash chains kept in event metadata on KurrentDB (see chained-append.ts). Reads $all forwards
 * in pages up to the head as it was when the check began (so a busy log cannot keep it running), leaving
 * out the server's `$` events and streams, and checks per stream: revisions consecutive from 0, each
 * event's stored hash against the hash recomputed from its content, and each prevHash against the hash
 * before it. The first broken link of each stream is reported, as the embedded store's verifier does.
 *
 * What it catches: an edited body, type or metadata; an event deleted, inserted or moved within its
 * stream; a link removed from an event after the first linked one. What it cannot catch on its own: the
 * last events of a stream cut off (KurrentDB keeps no stream head of ours to compare with), and someone
 * able to rewrite the server's files who recomputes every later hash. Against both the report gives
 * `headDigest` over every event's hash in log order; an auditor who records it elsewhere with its position
 * and passes it back as `anchor` finds any change to the log up to that position.
 *
 * Events without a link (written before the adapter kept chains) are allowed only at the start of a stream
 * and are counted in `unchained`; the digest covers their content all the same.
 */
import { createHash, type Hash } from 'node:crypto';
import type { AllStreamResolvedEvent, KurrentDBClient, ReadPosition } from '@kurrent/kurrentdb-client';
import { GENESIS_HASH } from '../../audit/integrity/chain.js';
import { buildVerifyReport, type ChainBreak, type LogAnchor, type VerifyOptions, type VerifyReport } from '../../audit/integrity/report.js';
import { streamLinkHash } from '../../audit/integrity/stream-chain.js';
import { chainedFields, splitIntegrity } from './integrity.js';
import { isSystemEvent, toClientPosition, toPositionBigint, toServerFilter, toUnavailable, type FilterFactories } from './mapping.js';
import type { RawEvent } from './stream-read.js';

const PAGE = 1_000;

interface StreamWalk {
  nextRevision: number;
  lastHash: string;
  /** A linked event was seen: from here on every event must carry a link. */
  chained: boolean;
  unchained: number;
  broken: boolean;
}

export async function verifyKurrentChains(client: KurrentDBClient, filters: FilterFactories, options: VerifyOptions = {}): Promise<VerifyReport> {
  const started = performance.now();
  const filter = toServerFilter(undefined, filters);
  const walk = new LogWalk(options.anchor);
  const end = await readPage(client, filter, 'backwards', 'end', 1).then((page) => page[0] && toPositionBigint(page[0].position));
  let from: ReadPosition = 'start';
  let after: bigint | undefined;
  while (end !== undefined) {
    // Forwards reads include the event at `from`: a continuing page asks for one more and skips it.
    const size = PAGE + (after === undefined ? 0 : 1);
    const page = await readPage(client, filter, 'forwards', from, size);
    let reachedEnd = page.length < size;
    for (const event of page) {
      const position = toPositionBigint(event.position);
      if (after !== undefined && position <= after) continue;
      if (position > end) {
        reachedEnd = true;
        break;
      }
      after = position;
      if (!isSystemEvent(event) && !event.streamId.startsWith('$')) walk.visit(event, position);
    }
    options.onProgress?.(walk.events, walk.lastPosition);
    if (reachedEnd || after === undefined) break;
    from = toClientPosition(after);
  }
  return walk.report(options.maxBreaks ?? 100, performance.now() - started);
}

async function readPage(client: KurrentDBClient, filter: ReturnType<typeof toServerFilter>, direction: 'forwards' | 'backwards', fromPosition: ReadPosition, maxCount: number): Promise<RawEvent[]> {
  const out: RawEvent[] = [];
  try {
    for await (const resolved of client.readAll({ direction, fromPosition, maxCount, filter }) as AsyncIterable<AllStreamResolvedEvent>) {
      if (resolved.event) out.push(resolved.event);
    }
  } catch (error) {
    throw toUnavailable(error);
  }
  return out;
}

class LogWalk {
  events = 0;
  lastPosition = -1n;
  private unchainedEvents = 0;
  private readonly streams = new Map<string, StreamWalk>();
  private readonly breaks: ChainBreak[] = [];
  /** Digest over the recomputed hashes in log order: what an auditor anchors. */
  private readonly digest: Hash = createHash('sha256');
  private anchorFound: string | null | undefined;

  constructor(private readonly anchor: LogAnchor | undefined) {}

  visit(event: RawEvent, position: bigint): void {
    if (this.anchor && this.anchorFound === undefined && position > this.anchor.position) this.anchorFound = this.digest.copy().digest('hex');
    this.events++;
    this.lastPosition = position;
    const { streamId } = event;
    const revision = Number(event.revision);
    let walk = this.streams.get(streamId);
    if (!walk) {
      walk = { nextRevision: 0, lastHash: GENESIS_HASH, chained: false, unchained: 0, broken: false };
      this.streams.set(streamId, walk);
    }
    const { metadata, link, malformed } = splitIntegrity(event.metadata);
    const fields = chainedFields(streamId, revision, event.type, event.data, metadata);
    // An unlinked event enters the digest by its content alone, so an anchor covers it too.
    const computed = streamLinkHash(link?.prevHash ?? GENESIS_HASH, fields);
    this.digest.update(computed);
    if (!walk.broken) {
      const at = { streamId, revision, position: String(position) };
      if (!link && (malformed || walk.chained)) {
        this.broke(walk, { kind: 'content-changed', ...at, expected: 'integrity {prevHash, hash} in the metadata', found: malformed ? 'a malformed integrity entry' : '(none)' });
      } else if (link && link.hash !== computed) this.broke(walk, { kind: 'content-changed', ...at, expected: computed, found: link.hash });
      else if (revision !== walk.nextRevision) {
        this.broke(walk, { kind: 'revision-out-of-sequence', ...at, expected: `revision ${walk.nextRevision}`, found: `revision ${revision}` });
      } else if (link && link.prevHash !== walk.lastHash) this.broke(walk, { kind: 'broken-link', ...at, expected: walk.lastHash, found: link.prevHash });
    }
    walk.nextRevision = revision + 1;
    if (link) {
      walk.chained = true;
      walk.lastHash = computed;
    } else if (!malformed && !walk.chained) {
      walk.unchained++;
      this.unchainedEvents++;
    }
  }

  private broke(walk: StreamWalk, found: ChainBreak): void {
    walk.broken = true;
    this.breaks.push(found);
  }

  report(maxBreaks: number, durationMs: number): VerifyReport {
    if (this.anchor && this.anchorFound === undefined) {
      // The log ends before the anchor: it was cut, unless the anchor is exactly its last position.
      this.anchorFound = this.lastPosition >= this.anchor.position ? this.digest.copy().digest('hex') : null;
    }
    return buildVerifyReport({
      store: 'kurrentdb',
      streams: this.streams.size,
      events: this.events,
      lastPosition: this.lastPosition,
      digest: this.digest,
      anchor: this.anchor,
      anchorFound: this.anchorFound,
      breaks: this.breaks,
      maxBreaks,
      durationMs,
      unchained: { events: this.unchainedEvents, streams: [...this.streams.values()].filter((s) => s.unchained > 0).length },
    });
  }

}
