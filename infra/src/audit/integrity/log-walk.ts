/**
 * What both stores' chain verifiers share as they walk the log in position order: a walk per stream, the
 * breaks found (the first of each stream), the digest over every recomputed hash that an auditor anchors, the
 * digest taken where the walk passes the anchor, and the report. Each store adds how it recomputes a hash and
 * what else it can check (SQLite: the stream heads; KurrentDB: events from before chains were kept).
 */
import { createHash, type Hash } from 'node:crypto';
import { GENESIS_HASH } from './chain.js';
import { buildVerifyReport, type ChainBreak, type LogAnchor, type VerifyReport } from './report.js';

export interface StreamWalk {
  nextRevision: number;
  lastHash: string;
  broken: boolean;
}

export abstract class LogWalk<W extends StreamWalk> {
  events = 0;
  lastPosition = -1n;
  protected readonly streams = new Map<string, W>();
  protected readonly breaks: ChainBreak[] = [];
  /** Digest over the recomputed hashes in log order: what an auditor anchors. */
  protected readonly digest: Hash = createHash('sha256');
  private anchorFound: string | null | undefined;

  constructor(
    private readonly store: string,
    private readonly anchor: LogAnchor | undefined,
  ) {}

  /** A new stream's walk (with whatever else the store tracks per stream). */
  protected abstract startStream(): W;

  /** Counts an event at `position` and returns its stream's walk; takes the anchor digest once the walk passes it. */
  protected enter(streamId: string, position: bigint): W {
    if (this.anchor && this.anchorFound === undefined && position > this.anchor.position) this.anchorFound = this.digest.copy().digest('hex');
    this.events++;
    this.lastPosition = position;
    let walk = this.streams.get(streamId);
    if (!walk) {
      walk = this.startStream();
      this.streams.set(streamId, walk);
    }
    return walk;
  }

  protected newStreamWalk(): StreamWalk {
    return { nextRevision: 0, lastHash: GENESIS_HASH, broken: false };
  }

  protected broke(walk: W, found: ChainBreak): void {
    walk.broken = true;
    this.breaks.push(found);
  }

  /** The log ended: if it ended before the anchor it was cut, unless the anchor is exactly its last position. */
  protected closeAnchor(): void {
    if (this.anchor && this.anchorFound === undefined) {
      this.anchorFound = this.lastPosition >= this.anchor.position ? this.digest.copy().digest('hex') : null;
    }
  }

  report(maxBreaks: number, durationMs: number, unchained?: { events: number; streams: number }): VerifyReport {
    this.closeAnchor();
    return buildVerifyReport({
      store: this.store,
      streams: this.streams.size,
      events: this.events,
      lastPosition: this.lastPosition,
      digest: this.digest,
      anchor: this.anchor,
      anchorFound: this.anchorFound,
      breaks: this.breaks,
      maxBreaks,
      durationMs,
      ...(unchained ? { unchained } : {}),
    });
  }
}
