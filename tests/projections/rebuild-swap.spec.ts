/** The swap runs with a larger page cache on the live database, for its copy and index sorts, and gives it back. */
import { afterEach, beforeEach, expect, it } from 'vitest';
import { rebuildProjections } from '@hru/projections';
import { given, received, referralId } from './support/history.js';
import { startReadModels, type ReadModels } from './support/read-models.js';

let rm: ReadModels;
beforeEach(async () => {
  rm = await startReadModels();
});
afterEach(async () => {
  await rm.close();
});

it.each([1, 2])('on %i thread(s) the live database keeps its own page cache size after the swap', async (threads) => {
  const ids = Array.from({ length: 12 }, (_, i) => referralId(i + 1));
  await rm.given(ids.flatMap((id) => [received(id, '2026-03-01T09:00:00Z'), given.triaged(id, '2026-03-02T09:00:00Z')]));
  rm.db.pragma('cache_size = -3000');
  const report = await rebuildProjections(rm.store, rm.db, undefined, undefined, { threads, batchSize: 10 });
  expect(report.position).toBeGreaterThan(0n);
  expect((rm.db.prepare('SELECT count(*) AS n FROM caseload_cases').get() as { n: number }).n).toBe(12);
  expect(rm.db.pragma('cache_size', { simple: true })).toBe(-3000);
});

it.each([1, 2, 3])('on %i thread(s) the live tables come out of the swap with every secondary index their schema declares', async (threads) => {
  // Built in the shadow and copied, or built in the swap when several shadows share a projection (3 threads).
  const ids = Array.from({ length: 12 }, (_, i) => referralId(i + 1));
  await rm.given(ids.flatMap((id) => [received(id, '2026-03-01T09:00:00Z'), given.triaged(id, '2026-03-02T09:00:00Z')]));
  const indexes = () =>
    rm.db.prepare(`SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL ORDER BY name`).all() as { name: string; sql: string }[];
  const before = indexes();
  expect(before.map((i) => i.name)).toContain('caseload_cases_by_stage');
  await rebuildProjections(rm.store, rm.db, undefined, undefined, { threads, batchSize: 10 });
  expect(indexes()).toEqual(before);
  const byStage = rm.db.prepare(`SELECT count(*) AS n FROM caseload_cases INDEXED BY caseload_cases_by_stage WHERE stage = 'awaiting_screening'`).get() as { n: number };
  expect(byStage.n).toBe(12);
  expect(rm.db.pragma('integrity_check', { simple: true })).toBe('ok');
});
