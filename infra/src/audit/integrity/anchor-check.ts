/**
 * Checks recorded anchors as a verification walks the log: each anchor's digest is taken when the walk
 * passes its position (or at the end, if the log ends exactly there), and the first that differs is
 * reported with the last that matched before it, which bounds where the log was first changed.
 */
import type { AnchorsChecked, ChainBreak, LogAnchor } from './report.js';

export class AnchorCheck {
  private readonly pending: LogAnchor[];
  private next = 0;
  private lastMatched: string | null = null;
  readonly result: AnchorsChecked = { checked: 0, matched: 0, skipped: 0, firstMismatch: null };
  /** The single `--anchor`, reported as before: what was found at its position. */
  single: { position: string; expected: string; found: string | null; matched: boolean } | undefined;

  constructor(
    anchors: readonly LogAnchor[],
    private readonly singleAnchor: LogAnchor | undefined,
    after: bigint,
  ) {
    const all = singleAnchor ? [...anchors, singleAnchor] : [...anchors];
    all.sort((a, b) => (a.position < b.position ? -1 : a.position > b.position ? 1 : 0));
    this.pending = all.filter((a) => a.position > after);
    this.result.skipped = all.length - this.pending.length;
  }

  get any(): boolean {
    return this.pending.length > 0;
  }

  /** The walk is about to enter `position`: every anchor before it is settled with the digest so far. */
  passing(position: bigint, digest: () => string): void {
    while (this.next < this.pending.length && position > this.pending[this.next]!.position) this.settle(digest());
  }

  /** The log ended after `lastPosition`: an anchor beyond it finds the log cut short. */
  close(lastPosition: bigint, digest: () => string): void {
    while (this.next < this.pending.length) this.settle(lastPosition >= this.pending[this.next]!.position ? digest() : null);
  }

  private settle(found: string | null): void {
    const anchor = this.pending[this.next++]!;
    const matched = found === anchor.digest;
    const position = String(anchor.position);
    this.result.checked++;
    if (anchor === this.singleAnchor) this.single = { position, expected: anchor.digest, found, matched };
    if (matched) {
      this.result.matched++;
      if (!this.result.firstMismatch) this.lastMatched = position;
    } else if (!this.result.firstMismatch) {
      this.result.firstMismatch = { position, lastMatchedPosition: this.lastMatched, expected: anchor.digest, found };
    }
  }

  breakFound(): ChainBreak | undefined {
    const m = this.result.firstMismatch;
    if (!m) return undefined;
    const where = m.lastMatchedPosition === null ? `at or before position ${m.position}` : `after position ${m.lastMatchedPosition}, at or before ${m.position}`;
    return {
      kind: 'anchor-mismatch',
      streamId: '*',
      revision: null,
      position: m.position,
      expected: m.expected,
      found: `${m.found ?? '(log ends before the anchor)'}: the log first differs ${where}`,
    };
  }
}
