import { describe, expect, it } from 'vitest';
import { RowCache } from '@hru/projections';

type Row = { id: string; n: number };

/** A cache of two rows over a map standing in for a table, recording every read and write it makes. */
function cacheOverTable() {
  const stored = new Map<string, Row>([['a', { id: 'a', n: 1 }]]);
  const reads: string[] = [];
  const writes: string[] = [];
  const cache = new RowCache(
    (id) => (reads.push(id), stored.has(id) ? { ...stored.get(id)! } : undefined),
    (row: Row) => (writes.push(`${row.id}=${row.n}`), stored.set(row.id, { ...row })),
    2,
  );
  return { stored, reads, writes, cache };
}

describe('RowCache', () => {
  it('reads through on a miss, writes back changed rows when evicted or flushed, and stays within its limit', () => {
    const { reads, writes, cache } = cacheOverTable();
    const a = cache.get('a')!;
    a.n = 2;
    cache.changed('a', a);
    expect(cache.get('b')).toBeUndefined();
    cache.changed('b', { id: 'b', n: 1 });
    expect(writes).toEqual([]);
    cache.get('c'); // evicts the least recently used: a, changed, so written
    expect(writes).toEqual(['a=2']);
    expect(cache.get('a')).toEqual({ id: 'a', n: 2 }); // read back; evicts b
    expect(writes).toEqual(['a=2', 'b=1']);
    cache.flush();
    expect(writes).toEqual(['a=2', 'b=1']); // nothing changed since
    expect(reads).toEqual(['a', 'b', 'c', 'a']);
  });

  // `delete` is what the caseload's rebuild uses to purge a disposed case: the row is never written back.
  it('drops a held row, changed or not: not written back, read as absent without a read, until given again', () => {
    const { stored, reads, writes, cache } = cacheOverTable();
    const a = cache.get('a')!;
    a.n = 2;
    cache.changed('a', a);
    cache.delete('a');
    stored.delete('a'); // the caller's DELETE
    expect(cache.get('a')).toBeUndefined();
    expect(reads).toEqual(['a']);
    cache.flush();
    expect(writes).toEqual([]);
    // Given again (a repeated intake), it is written as any new row; a delete of a row never held evicts within the limit.
    cache.changed('a', { id: 'a', n: 3 });
    cache.delete('x');
    cache.delete('y');
    expect(writes).toEqual(['a=3']);
    cache.flush();
    expect(writes).toEqual(['a=3']);
    expect(stored.get('a')).toEqual({ id: 'a', n: 3 });
  });
});
