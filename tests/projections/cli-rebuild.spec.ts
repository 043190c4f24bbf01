/**
 * `hru projections rebuild [name…] [--threads N]` as a separate process over a data directory: the projections
 * package reports numbers, the CLI draws the progress line (one line a period when not on a terminal).
 */
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { SqliteEventStore } from '@hru/infra';
import { openReadModels } from '@hru/projections';
import { finished, spawnTs } from '../support/spawn-ts.js';
import { tempDir } from '../support/temp-dir.js';
import { appendAll, given, received, referralId } from './support/history.js';

let dir: string;
let cleanup: () => void;

beforeEach(async () => {
  ({ dir, cleanup } = tempDir('hru-cli-rebuild-'));
  const store = new SqliteEventStore(join(dir, 'events.sqlite'));
  const ids = Array.from({ length: 12 }, (_, i) => referralId(i));
  await appendAll(store, [...ids.map((id) => received(id, '2026-03-01T09:00:00Z')), ...ids.map((id) => given.triaged(id, '2026-03-02T09:00:00Z'))]);
  await store.close();
});
afterEach(() => cleanup());

const hru = (...args: string[]) =>
  finished(spawnTs('services/cli/src/main.ts', args, { HRU_DATA_DIR: dir, HRU_JWT_SECRET: 'x'.repeat(32), EVENTSTORE_URL: '' }));

it.each([1, 2])('rebuilds the named read models on %i thread(s) with a progress line', async (threads) => {
  const out = await hru('projections', 'rebuild', 'caseload', '--threads', String(threads));
  expect(out.code, out.stderr).toBe(0);
  expect(out.stdout).toContain(`caseload rebuilt from 24 events`);
  expect(out.stdout).toContain(`on ${threads} thread${threads === 1 ? '' : 's'}`);
  expect(out.stderr).toMatch(/^\[#{30}\] 100\.0% 24 events \d+\/s ETA 0s$/m);
  const db = openReadModels(dir);
  expect(db.prepare(`SELECT count(*) AS n FROM caseload_cases WHERE stage = 'awaiting_screening'`).get()).toEqual({ n: 12 });
  db.close();
}, 30_000);

it('refuses --threads 0 with the usage', async () => {
  const out = await hru('projections', 'rebuild', '--threads', '0');
  expect(out.code).toBe(1);
  expect(out.stderr).toContain('Usage: hru projections rebuild');
});
