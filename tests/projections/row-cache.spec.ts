import { describe, expect, it } from 'vitest';
import { RowCache } from '@hru/projections';

describe('RowCache', () => {
  it('reads through on a miss, writes back changed rows when evicted or flushed, and stays within its limit', () => {
    const stored = new Map<string, { id: string; n: number }>([['a', { id: 'a', n: 1 }]]);
    const reads: string[] = [];
    const writes: string[] = [];
    const cache = new RowCache(
      (id) => (reads.push(id), stored.has(id) ? { ...stored.get(id)! } : undefined),
      (row: { id: string; n: number }) => (writes.push(`${row.id}=${row.n}`), stored.set(row.id, { ...row })),
      2,
    );
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
});
