/**
 * HRU_DATA_DIR is private to the engine's user: the directory 0700 and every file in it 0600 (the event log
 * and read models with their -wal and -shm, the generated signing secret, anything else found there), on a
 * fresh directory and on one left readable by an earlier version or a careless copy.
 */
import { chmodSync, mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { finished, spawnTs } from '../support/spawn-ts.js';
import { apiKey, createTestApp, intakeBody, type TestApp } from '../support/test-app.js';
import { tempDir } from '../support/temp-dir.js';

let scratch: ReturnType<typeof tempDir>;
beforeEach(() => {
  scratch = tempDir('hru-modes-');
});
afterEach(() => scratch.cleanup());

// The usual umask (files 0644, directories 0755), so that a pass proves the engine's own care.
let umaskBefore: number;
beforeAll(() => {
  umaskBefore = process.umask(0o022);
});
afterAll(() => {
  process.umask(umaskBefore);
});

/** Every entry under `dir` (itself included) with its permission bits, e.g. `events.sqlite-wal 600`. */
function modes(dir: string): Record<string, string> {
  const found: Record<string, string> = { '.': (statSync(dir).mode & 0o777).toString(8) };
  for (const name of readdirSync(dir, { recursive: true }).map(String)) found[name] = (statSync(join(dir, name)).mode & 0o777).toString(8);
  return found;
}

/** Starts the engine on `dir` with a generated secret, writes a referral, and stats everything while it runs. */
async function runOn(dir: string): Promise<Record<string, string>> {
  let t: TestApp | undefined;
  try {
    t = await createTestApp({ env: { HRU_DATA_DIR: dir, HRU_JWT_SECRET: '' } });
    const res = await t.app.inject({ method: 'POST', url: '/v1/referrals', headers: apiKey(), payload: intakeBody() });
    expect(res.statusCode, res.body).toBe(201);
    return modes(dir);
  } finally {
    await t?.close();
  }
}

describe('data directory permissions', () => {
  it('a fresh directory is created 0700 and every file in it 0600, WAL and SHM included', async () => {
    const dir = join(scratch.dir, 'fresh', 'data');
    const found = await runOn(dir);
    expect(found['.']).toBe('700');
    for (const name of ['events.sqlite', 'events.sqlite-wal', 'events.sqlite-shm', 'read-models.sqlite', 'read-models.sqlite-wal', 'read-models.sqlite-shm', 'jwt-secret']) {
      expect(found[name], name).toBe('600');
    }
    expect(Object.entries(found).filter(([name, mode]) => name !== '.' && mode !== '600')).toEqual([]);
  });

  it('an existing 0755 directory with 0644 files is made private at start', async () => {
    const dir = join(scratch.dir, 'old');
    await runOn(dir);
    mkdirSync(join(dir, 'exports'), { recursive: true });
    writeFileSync(join(dir, 'exports', 'notes.txt'), 'left behind');
    for (const name of readdirSync(dir, { recursive: true }).map(String)) {
      const path = join(dir, name);
      chmodSync(path, statSync(path).isDirectory() ? 0o755 : 0o644);
    }
    chmodSync(dir, 0o755);
    expect(modes(dir)['events.sqlite']).toBe('644');

    const found = await runOn(dir);
    expect(found['.']).toBe('700');
    expect(found['exports']).toBe('700');
    expect(Object.entries(found).filter(([name, mode]) => name !== '.' && name !== 'exports' && mode !== '600')).toEqual([]);
    expect(Object.keys(found)).toEqual(expect.arrayContaining(['events.sqlite', 'events.sqlite-wal', 'jwt-secret', 'exports/notes.txt']));
  });

  it('a command that writes there (`hru demo`, `hru projections rebuild`) makes a directory made by hand private too', async () => {
    const dir = join(scratch.dir, 'by-hand');
    mkdirSync(dir, { mode: 0o755 });
    chmodSync(dir, 0o755);
    const env = { HRU_DATA_DIR: dir, EVENTSTORE_URL: '' };
    const demo = await finished(spawnTs('services/cli/src/main.ts', ['demo', '--referrals', '2'], env));
    expect(demo.code, demo.stderr).toBe(0);
    expect(modes(dir)['.']).toBe('700');
    chmodSync(dir, 0o755);
    const rebuild = await finished(spawnTs('services/cli/src/main.ts', ['projections', 'rebuild', 'caseload'], env));
    expect(rebuild.code, rebuild.stderr).toBe(0);
    const found = modes(dir);
    expect(found['.']).toBe('700');
    expect(Object.entries(found).filter(([name, mode]) => name !== '.' && mode !== '600')).toEqual([]);
  });
});
