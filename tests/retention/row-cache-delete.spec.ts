/** `RowCache.delete`, which the caseload's rebuild uses to purge a disposed case: the row is never written back. */
import { expect, it } from 'vitest';
import { RowCache } from '@hru/projections';

it('drops a held row, changed or not: not written back, read as absent without a read, until given again', () => {
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
