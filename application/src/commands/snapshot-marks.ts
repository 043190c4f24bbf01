/**
 * Snapshots of a referral every N revisions, so the state as of any point is one short fold away from a
 * stored snapshot instead of a fold of the whole history. XState snapshots are immutable, so keeping a
 * reference is enough. Only histories that were actually folded leave marks (bounded by an LRU).
 */
import type { ReferralSnapshot } from '@hru/workflows';
import { LruCache } from './lru-cache.js';

export const MARK_EVERY = 50;

export class SnapshotMarks {
  private readonly byStream: LruCache<string, Map<number, ReferralSnapshot>>;

  constructor(streams: number) {
    this.byStream = new LruCache(streams);
  }

  /** Records the snapshot after `revision` when it falls on a mark. */
  offer(streamId: string, revision: number, snapshot: ReferralSnapshot): void {
    if ((revision + 1) % MARK_EVERY !== 0) return;
    let marks = this.byStream.get(streamId);
    if (!marks) {
      marks = new Map();
      this.byStream.set(streamId, marks);
    }
    marks.set(revision, snapshot);
  }

  /** The latest mark at or before `revision`, if any. */
  nearest(streamId: string, revision: number): { revision: number; snapshot: ReferralSnapshot } | undefined {
    const marks = this.byStream.get(streamId);
    if (!marks) return undefined;
    const at = Math.floor((revision + 1) / MARK_EVERY) * MARK_EVERY - 1;
    for (let r = at; r >= 0; r -= MARK_EVERY) {
      const snapshot = marks.get(r);
      if (snapshot) return { revision: r, snapshot };
    }
    return undefined;
  }

  /** A stream's history changed under us (a conflict): its marks may describe another history. */
  forget(streamId: string): void {
    this.byStream.delete(streamId);
  }
}
