/**
 * The rows this store committed last, exactly as written, for its live subscriptions (issue 19). Every group of read
 * models, the case search and the outbox read each new event from the log moments after this process wrote it: one
 * SQL read of the whole rows per subscription and batch (about 50-60 µs of main-thread CPU per intake under the
 * intake load). The rows are already in memory when they are written, so a read of positions the tail holds, all of
 * them, is answered here; anything else (another process's appends, a catch-up from further back, a filter this
 * cannot match exactly) still reads the file.
 *
 * Why the answer is the same as the file's: positions are given under the write lock as the log's last + 1, so the
 * positions this store commits in a row are consecutive unless another process committed between them; the tail
 * keeps only a consecutive run (a batch that does not follow on starts it afresh), and serves a range only when it
 * holds every position in it. Rows are added once their transaction has committed, never from an append that was
 * rolled back. A row never changes once committed, so what the tail holds is never stale.
 */
import type { EventFilter } from '@hru/application';

/** A row of `events` as the store selects it: position, stream id, revision, event id, type, data, metadata, recorded at. */
export type EventRow = [position: number, streamId: string, revision: number, eventId: string, type: string, data: string, metadata: string, recordedAt: string];

// A prefix with a character outside the Basic Multilingual Plane is matched by SQLite in code points and by
// JavaScript in code units; such a filter is left to the file.
const ASTRAL = /[\uD800-\uDFFF]/;

export class AppendedTail {
  private rows: EventRow[] = [];
  /** Index in `rows` of the oldest row kept: dropping from the front is a moving start, compacted now and then. */
  private start = 0;

  /** Holds the last `max` rows (2,048: the subscriptions read within a batch or two of the head). */
  constructor(private readonly max = 2_048) {}

  /** Rows just committed, in position order. */
  add(committed: readonly EventRow[]): void {
    if (committed.length === 0) return;
    const last = this.rows.length > this.start ? this.rows[this.rows.length - 1]![0] : undefined;
    if (last === undefined || committed[0]![0] !== last + 1) {
      // Another process wrote in between (or this is the first batch): the run starts again here.
      this.rows = [];
      this.start = 0;
    }
    for (const row of committed) this.rows.push(row);
    const excess = this.rows.length - this.start - this.max;
    if (excess > 0) this.start += excess;
    if (this.start > this.max) {
      this.rows = this.rows.slice(this.start);
      this.start = 0;
    }
  }

  /**
   * The rows after `after` up to `upTo` that pass the filter, in position order, at most `limit` (negative: all), as
   * the file would give them; undefined when the tail does not hold every position of the range or cannot apply the
   * filter exactly.
   */
  read(after: number, upTo: number, filter: EventFilter | undefined, limit: number): EventRow[] | undefined {
    if (this.rows.length === this.start) return undefined;
    const first = this.rows[this.start]![0];
    const last = this.rows[this.rows.length - 1]![0];
    if (after + 1 < first || upTo > last) return undefined;
    const prefixes = filter?.streamPrefixes;
    if (prefixes?.some((p) => ASTRAL.test(p))) return undefined;
    const types = filter?.eventTypes;
    const out: EventRow[] = [];
    if (limit === 0) return out;
    // Positions are consecutive: the row of position p sits at start + (p - first).
    for (let i = this.start + Math.max(0, after + 1 - first); i < this.rows.length; i++) {
      const row = this.rows[i]!;
      if (row[0] > upTo) break;
      if (types && !types.includes(row[4])) continue;
      if (prefixes && !prefixes.some((p) => row[1].startsWith(p))) continue;
      out.push(row);
      if (out.length === limit) break;
    }
    return out;
  }
}
