/**
 * `hru projections rebuild [name…] [--threads N]` as a separate process over a data directory: the projections
 * package reports numbers, the CLI draws the progress line (one line a period when not on a terminal).
 */
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { loadConfig, SqliteEventStore } from '@hru/infra';
import { blindIndex, openReadModels, readCheckpoint, searchCases } from '@hru/projections';
import { openStore, referralCommandHandler } from '../../services/cli/src/engine.js';
import { playScript } from '../../services/cli/src/demo/play-script.js';
import { Random } from '../../services/cli/src/demo/random.js';
import { syntheticCase } from '../../services/cli/src/demo/synthetic-case.js';
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
  // On two threads the caseload alone is read as two shares of the streams, and the line says so.
  expect(out.stdout).toContain(threads === 1 ? 'on 1 thread)' : 'on 2 threads: caseload (streams 1 of 2) | caseload (streams 2 of 2))');
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

it('rebuilds the case search from the intakes opened with the data dir keys, so a first start has nothing to open', async () => {
  const blindKey = randomBytes(32);
  const env = { HRU_DATA_DIR: dir, HRU_BLIND_INDEX_KEY: blindKey.toString('base64') };
  const config = loadConfig(env);
  const sealed = await openStore(config);
  const commands = referralCommandHandler(sealed, config);
  const scripts = Array.from({ length: 4 }, (_, i) => syntheticCase(i, new Random(5 + i), new Date(Date.parse('2026-03-01T09:00:00Z') + i * 3_600_000)));
  for (const script of scripts) await playScript(commands, script, Date.parse('2026-04-01T00:00:00Z'));
  const head = await sealed.headPosition();
  await sealed.close();

  const out = await finished(spawnTs('services/cli/src/main.ts', ['projections', 'rebuild'], { ...env, HRU_JWT_SECRET: 'x'.repeat(32), EVENTSTORE_URL: '' }));
  expect(out.code, out.stderr).toBe(0);
  expect(out.stdout).toMatch(/case_search rebuilt from \d+ events .* on 1 thread\), up to position/);

  const db = openReadModels(dir);
  expect(readCheckpoint(db, 'case_search')?.position).toBe(head);
  // Every victim's surname finds their referral through the keyed index, and nothing in it is clear text.
  for (const script of scripts) {
    const intake = script[0]!.payload as { victim: { name: string } };
    const surname = intake.victim.name.split(' ').at(-1)!;
    const found = searchCases(db, [blindIndex(blindKey, 'name', surname.toLowerCase())]);
    expect(found.length).toBeGreaterThan(0);
  }
  const terms = db.prepare('SELECT mac FROM case_search_terms').all() as { mac: Buffer }[];
  expect(terms.length).toBeGreaterThan(0);
  expect(terms.every((t) => Buffer.isBuffer(t.mac) && t.mac.length === 16)).toBe(true);
  db.close();
}, 120_000);
