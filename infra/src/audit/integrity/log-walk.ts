/**
 * What both stores' chain verifiers share as they walk the log in position order: a walk per stream, the
 * breaks found (the first of each stream, and each break of the log as a whole), the log digest over every
 * recomputed hash that the engine anchors, the recorded anchors checked as the walk passes them, and the
 * report. Each store adds how it recomputes a hash and what else it can check (SQLite: gapless positions,
 * the stream heads, the keyed checkpoint; KurrentDB: events from before chains were kept or keyed).
 */
import { GENESIS_HASH, type ChainKey } from './chain.js';
import { chainKeyId } from './chain-key.js';
import { AnchorCheck } from './anchor-check.js';
import { LogDigest, type DigestBoundary } from './log-digest.js';
import type { ChainBreak, VerifyOptions, VerifyReport } from './report.js';

export interface StreamWalk {
  nextRevision: number;
  lastHash: string;
  broken: boolean;
}

export abstract class LogWalk<W extends StreamWalk> {
  events = 0;
  lastPosition: bigint;
  protected readonly streams = new Map<string, W>();
  protected readonly breaks: ChainBreak[] = [];
  /** Digest over the recomputed hashes in log order: what the engine anchors. */
  protected readonly digest: LogDigest;
  private readonly anchors: AnchorCheck;
  private boundary: DigestBoundary;
  private readonly boundaries: DigestBoundary[] | undefined;

  constructor(
    private readonly store: string,
    protected readonly key: ChainKey,
    protected readonly options: VerifyOptions,
  ) {
    const resume = options.resume;
    this.lastPosition = resume ? resume.position : -1n;
    this.digest = new LogDigest(resume);
    this.boundary = { events: resume?.events ?? 0, position: String(resume?.position ?? 0n), digest: this.digest.value() };
    this.anchors = new AnchorCheck(options.anchors ?? [], options.anchor, resume?.position ?? -1n);
    this.boundaries = options.keepBoundaries ? [] : undefined;
  }

  /** A new stream's walk (with whatever else the store tracks per stream). */
  protected abstract startStream(streamId: string, revision: number): W;

  /** Counts an event at `position` and returns its stream's walk; settles the anchors the walk passes. */
  protected enter(streamId: string, position: bigint, revision: number): W {
    if (this.anchors.any) this.anchors.passing(position, () => this.digest.value());
    this.events++;
    this.lastPosition = position;
    let walk = this.streams.get(streamId);
    if (!walk) {
      walk = this.startStream(streamId, revision);
      this.streams.set(streamId, walk);
    }
    return walk;
  }

  /** Adds an event's recomputed hash to the log digest, keeping the block boundary it may complete. */
  protected digestOf(hash: string): void {
    if (!this.digest.update(hash)) return;
    this.boundary = { events: this.digest.events, position: String(this.lastPosition), digest: this.digest.value() };
    this.boundaries?.push(this.boundary);
  }

  protected newStreamWalk(): StreamWalk {
    return { nextRevision: 0, lastHash: GENESIS_HASH, broken: false };
  }

  protected broke(walk: W, found: ChainBreak): void {
    walk.broken = true;
    this.breaks.push(found);
  }

  report(durationMs: number, extra: Pick<VerifyReport, 'unchained' | 'unkeyed'> = {}): VerifyReport {
    this.anchors.close(this.lastPosition, () => this.digest.value());
    const mismatch = this.anchors.breakFound();
    if (mismatch) this.breaks.push(mismatch);
    const breaks = this.breaks.slice(0, this.options.maxBreaks ?? 100);
    const checkedAnchors = this.options.anchors !== undefined;
    return {
      ok: this.breaks.length === 0,
      store: this.store,
      keyId: chainKeyId(this.key),
      streams: this.streams.size,
      events: this.events,
      ...(this.options.resume ? { fromPosition: String(this.options.resume.position) } : {}),
      headPosition: String(this.lastPosition),
      headEvents: this.digest.events,
      headDigest: this.digest.value(),
      lastBoundary: this.boundary,
      ...(this.boundaries ? { boundaries: this.boundaries } : {}),
      ...(this.anchors.single ? { anchor: this.anchors.single } : {}),
      ...(checkedAnchors ? { anchors: this.anchors.result } : {}),
      ...extra,
      breaks,
      brokenStreams: this.breaks.filter((b) => b.streamId !== '*').length,
      firstBreak: breaks[0] ?? null,
      durationMs: Math.round(durationMs),
    };
  }
}
