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
 * and are counted in `unchained`; the digest covers their content all the same. Links are keyed (HMAC
 * under the chain key, `alg: hmac-sha256`); unkeyed links, written before the key existed, are likewise
 * allowed only before a stream's first keyed link and counted in `unkeyed`. KurrentDB positions are not
 * dense (they are byte offsets in the server's log), so there is no gap to check: a deleted event shows
 * as a revision out of sequence, a cut tail only against an anchor.
 *
 * An incremental check (`resume`) reads $all from the boundary's position; a stream first met there
 * continues from the link of its event before (read back from the stream, verified by an earlier check).
 */
import type { AllStreamResolvedEvent, KurrentDBClient, ReadPosition } from '@kurrent/kurrentdb-client';
import { GENESIS_HASH, type ChainKey } from '../../audit/integrity/chain.js';
import { LogWalk, type StreamWalk } from '../../audit/integrity/log-walk.js';
import type { VerifyOptions, VerifyReport } from '../../audit/integrity/report.js';
import { streamLinkHash } from '../../audit/integrity/stream-chain.js';
import { chainedFields, KEYED_ALG, splitIntegrity } from './integrity.js';
import { isSystemEvent, toClientPosition, toPositionBigint, toServerFilter, toUnavailable, type FilterFactories } from './mapping.js';
import { readRawStream, type RawEvent } from './stream-read.js';

const PAGE = 1_000;

interface KurrentStreamWalk extends StreamWalk {
  /** A linked event was seen: from here on every event must carry a link. */
  chained: boolean;
  /** A keyed link was seen: from here on every link must be keyed. */
  keyed: boolean;
  unchained: number;
}

export async function verifyKurrentChains(client: KurrentDBClient, filters: FilterFactories, key: ChainKey, options: VerifyOptions = {}): Promise<VerifyReport> {
  const started = performance.now();
  const filter = toServerFilter(undefined, filters);
  // A boundary after no events is the start: that check is a full one.
  const { resume: given, ...rest } = options;
  const resume = given && given.events > 0 ? given : undefined;
  const walk = new KurrentLogWalk(key, resume ? { ...rest, resume } : rest, client);
  const end = await readPage(client, filter, 'backwards', 'end', 1).then((page) => page[0] && toPositionBigint(page[0].position));
  let from: ReadPosition = resume ? toClientPosition(resume.position) : 'start';
  let after: bigint | undefined = resume?.position;
  while (end !== undefined) {
    // Forwards reads include the event at `from`: a continuing page asks for one more and skips it.
    const size = PAGE + (after === undefined ? 0 : 1);
    const page = await readPage(client, filter, 'forwards', from, size);
    let reachedEnd = page.length < size;
    const kept: [RawEvent, bigint][] = [];
    for (const event of page) {
      const position = toPositionBigint(event.position);
      if (after !== undefined && position <= after) continue;
      if (position > end) {
        reachedEnd = true;
        break;
      }
      after = position;
      if (!isSystemEvent(event) && !event.streamId.startsWith('$')) kept.push([event, position]);
    }
    if (resume) await walk.readPriorLinks(kept.map(([event]) => event));
    for (const [event, position] of kept) walk.visit(event, position);
    options.onProgress?.(walk.events, walk.lastPosition);
    if (reachedEnd || after === undefined) break;
    from = toClientPosition(after);
  }
  return walk.report(performance.now() - started);
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

class KurrentLogWalk extends LogWalk<KurrentStreamWalk> {
  private unchainedEvents = 0;
  private unkeyedEvents = 0;
  /** Incremental checks: where each stream first met continues from (its event before the resume point). */
  private readonly priors = new Map<string, Pick<KurrentStreamWalk, 'nextRevision' | 'lastHash' | 'chained' | 'keyed'>>();

  constructor(
    key: ChainKey,
    options: VerifyOptions,
    private readonly client: KurrentDBClient,
  ) {
    super('kurrentdb', key, options);
  }

  protected startStream(streamId: string): KurrentStreamWalk {
    return { ...this.newStreamWalk(), chained: false, keyed: false, unchained: 0, ...this.priors.get(streamId) };
  }

  /** Reads back the link before each stream first met in this page, if it lies before the resume point. */
  async readPriorLinks(page: RawEvent[]): Promise<void> {
    const resumedAt = this.options.resume!.position;
    for (const event of page) {
      const revision = Number(event.revision);
      if (revision === 0 || this.streams.has(event.streamId) || this.priors.has(event.streamId)) continue;
      const [prior] = await readRawStream(this.client, event.streamId, { direction: 'backwards', fromRevision: revision - 1, maxCount: 1 });
      if (!prior || Number(prior.revision) !== revision - 1 || toPositionBigint(prior.position) > resumedAt) continue;
      const { link } = splitIntegrity(prior.metadata);
      this.priors.set(event.streamId, { nextRevision: revision, lastHash: link?.hash ?? GENESIS_HASH, chained: link !== undefined, keyed: link?.alg === KEYED_ALG });
    }
  }

  visit(event: RawEvent, position: bigint): void {
    const { streamId } = event;
    const revision = Number(event.revision);
    const walk = this.enter(streamId, position, revision);
    const { metadata, link, malformed } = splitIntegrity(event.metadata);
    const fields = chainedFields(streamId, revision, event.type, event.data, metadata);
    const keyed = link?.alg === KEYED_ALG;
    // An unlinked event enters the digest by its content alone, so an anchor covers it too.
    const computed = streamLinkHash(link?.prevHash ?? GENESIS_HASH, fields, keyed ? this.key : undefined);
    this.digestOf(computed);
    if (!walk.broken) {
      const at = { streamId, revision, position: String(position) };
      if (!link && (malformed || walk.chained)) {
        this.broke(walk, { kind: 'content-changed', ...at, expected: 'integrity {prevHash, hash} in the metadata', found: malformed ? 'a malformed integrity entry' : '(none)' });
      } else if (link && !keyed && walk.keyed) {
        this.broke(walk, { kind: 'content-changed', ...at, expected: `a keyed link (${KEYED_ALG})`, found: 'an unkeyed link after keyed ones' });
      } else if (link && link.hash !== computed) this.broke(walk, { kind: 'content-changed', ...at, expected: computed, found: link.hash });
      else if (revision !== walk.nextRevision) {
        this.broke(walk, { kind: 'revision-out-of-sequence', ...at, expected: `revision ${walk.nextRevision}`, found: `revision ${revision}` });
      } else if (link && link.prevHash !== walk.lastHash) this.broke(walk, { kind: 'broken-link', ...at, expected: walk.lastHash, found: link.prevHash });
    }
    walk.nextRevision = revision + 1;
    if (link) {
      walk.chained = true;
      walk.lastHash = computed;
      if (keyed) walk.keyed = true;
      else if (!walk.keyed) this.unkeyedEvents++;
    } else if (!malformed && !walk.chained) {
      walk.unchained++;
      this.unchainedEvents++;
    }
  }

  override report(durationMs: number): VerifyReport {
    const unchainedStreams = [...this.streams.values()].filter((s) => s.unchained > 0).length;
    return super.report(durationMs, {
      unchained: { events: this.unchainedEvents, streams: unchainedStreams },
      ...(this.unkeyedEvents > 0 ? { unkeyed: { events: this.unkeyedEvents, upToPosition: null } } : {}),
    });
  }
}
