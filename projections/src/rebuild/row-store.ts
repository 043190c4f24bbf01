/**
 * Where a projection that keeps one row per key (a referral, say) reads and writes it: by statement for `apply`, so
 * that the next statement sees every change; or held in a `RowCache` for a rebuild into a shadow, written back when
 * evicted or flushed. One function of the change over either keeps `apply` and the rebuild in step by construction
 * (the rebuild-equivalence spec compares them all the same).
 */
import { RowCache } from './row-cache.js';

export interface RowStore<R> {
  get(key: string): R | undefined;
  /** Keeps a new row, or one from `get` changed in place. */
  put(key: string, row: R): void;
  /** Writes every row held back (before a commit, and before anything reads the table by statement). */
  flush(): void;
}

export function rowsByStatement<R>(read: (key: string) => R | undefined, write: (row: R) => void): RowStore<R> {
  return { get: read, put: (_, row) => write(row), flush() {} };
}

/** `limit`: rows held at most (RowCache's default unless given; specs hold one, so that every row goes through the file). */
export function heldRows<R>(read: (key: string) => R | undefined, write: (row: R) => void, limit?: number): RowStore<R> {
  const rows = new RowCache<R>(read, write, limit);
  return { get: (key) => rows.get(key), put: (key, row) => rows.changed(key, row), flush: () => rows.flush() };
}
