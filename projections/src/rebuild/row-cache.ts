/**
 * A bounded write-back cache of rows by key, for shadow appliers: a rebuild applies a referral's events close
 * together in the log, so holding its row in memory between them turns a statement per event into one read and
 * one write per referral. Rows are read through on a miss (the shadow may already hold them) and written when
 * evicted or flushed; the least recently used goes first, so memory stays bounded whatever the log's length.
 */
export class RowCache<R> {
  private readonly entries = new Map<string, { row: R | undefined; dirty: boolean }>();

  constructor(
    private readonly read: (key: string) => R | undefined,
    private readonly write: (row: R) => void,
    /**
     * Rows held: a referral's events sit close together when its work is active, and 5,000 referrals of recency
     * covers that while the caches of a rebuild (caseload's, re-offending's, the perpetrators model's) stay within a
     * few MB each.
     */
    private readonly limit = 5_000,
  ) {}

  /** The row (to change in place, then `changed`), or undefined when there is none. */
  get(key: string): R | undefined {
    let entry = this.entries.get(key);
    if (entry) {
      this.entries.delete(key);
    } else {
      entry = { row: this.read(key), dirty: false };
      this.evictBeyond(this.limit - 1);
    }
    this.entries.set(key, entry);
    return entry.row;
  }

  /** Records a new row, or that the row last returned by `get` for `key` was changed. */
  changed(key: string, row: R): void {
    const entry = this.entries.get(key);
    if (entry) {
      entry.row = row;
      entry.dirty = true;
    } else {
      this.evictBeyond(this.limit - 1);
      this.entries.set(key, { row, dirty: true });
    }
  }

  /**
   * Drops the row: it is not written back, and reads as absent (without a read) until `changed` gives it again.
   * The caller deletes it from the database.
   */
  delete(key: string): void {
    this.entries.delete(key);
    this.evictBeyond(this.limit - 1);
    this.entries.set(key, { row: undefined, dirty: false });
  }

  /** Writes every changed row (before a commit). */
  flush(): void {
    for (const entry of this.entries.values()) {
      if (entry.dirty && entry.row !== undefined) this.write(entry.row);
      entry.dirty = false;
    }
  }

  private evictBeyond(size: number): void {
    for (const [key, entry] of this.entries) {
      if (this.entries.size <= size) return;
      if (entry.dirty && entry.row !== undefined) this.write(entry.row);
      this.entries.delete(key);
    }
  }
}
