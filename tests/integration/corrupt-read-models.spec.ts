/**
 * Read models are disposable: a read-model file full of random bytes must neither stop start-up nor
 * `hru projections rebuild`. It is moved aside (kept for a post-mortem, with its WAL), a fresh one is opened and
 * every projection is rebuilt from the event log, and the log says why.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createLogger, loadConfig } from '@hru/infra';
import { listCaseload, READ_MODELS_FILE } from '@hru/projections';
import { startEngine, type Engine } from '../../services/cli/src/engine.js';
import { runHru } from '../support/spawn-hru.js';
import { tempDir } from '../support/temp-dir.js';
import { JWT_SECRET, SOURCE_KEYS, intakeBody } from '../support/test-app.js';

let dir: { dir: string; cleanup(): void };
beforeEach(() => {
  dir = tempDir('hru-corrupt-rm-');
});
afterEach(() => dir.cleanup());

async function engineOn(dataDir: string, logLines: string[]): Promise<Engine> {
  const config = loadConfig({ HRU_DATA_DIR: dataDir, HRU_JWT_SECRET: JWT_SECRET, HRU_SOURCE_KEYS: `niche=${SOURCE_KEYS.niche}` });
  const logger = createLogger({ level: 'info', destination: { write: (line: string) => void logLines.push(line) } as never });
  return startEngine(config, logger, { api: true, projector: false, worker: false }, { listen: false, sqlite: { pollIntervalMs: 20 } });
}

/** Overwrites the read models with random bytes, as a failing disk or a stray `dd` would. */
function corruptReadModels(dataDir: string): Buffer {
  const garbage = randomBytes(64 * 1024);
  writeFileSync(join(dataDir, READ_MODELS_FILE), garbage);
  return garbage;
}

describe('a corrupt read-model file', () => {
  it('is moved aside at start-up, logged with the reason, and every projection is rebuilt from the log', async () => {
    const first = await engineOn(dir.dir, []);
    const intake = await first.app!.inject({
      method: 'POST',
      url: '/v1/referrals',
      headers: { authorization: `ApiKey ${SOURCE_KEYS.niche}` },
      payload: intakeBody(),
    });
    expect(intake.statusCode).toBe(201);
    const { referralId } = intake.json() as { referralId: string };
    await first.projector!.runner.waitUntilCaughtUp(60_000);
    await first.stop();

    const garbage = corruptReadModels(dir.dir);
    const lines: string[] = [];
    const second = await engineOn(dir.dir, lines);
    try {
      const warning = lines.map((l) => JSON.parse(l) as Record<string, unknown>).find((l) => l.level === 'warn' && typeof l.movedTo === 'string');
      expect(warning?.msg).toMatch(/read models were corrupt/);
      expect(warning?.sqliteError).toMatch(/not a database/);
      const movedTo = warning!.movedTo as string;
      expect(movedTo).toMatch(/read-models\.sqlite\.corrupt-\d{4}-\d\d-\d\dT/);
      expect(readFileSync(movedTo).equals(garbage)).toBe(true);
      expect(existsSync(join(dir.dir, READ_MODELS_FILE))).toBe(true); // the fresh one

      await second.projector!.runner.waitUntilCaughtUp(60_000);
      expect(listCaseload(second.readModels!).map((row) => row.referralId)).toContain(referralId);
    } finally {
      await second.stop();
    }
  }, 120_000);

  it('does not stop `hru projections rebuild`: it says what it moved aside and rebuilds', async () => {
    const first = await engineOn(dir.dir, []);
    await first.stop(); // an event log and read models, both valid
    corruptReadModels(dir.dir);

    const result = await runHru(['projections', 'rebuild'], { HRU_DATA_DIR: dir.dir, HRU_JWT_SECRET: JWT_SECRET, LOG_LEVEL: 'info' });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toMatch(/read-models\.sqlite was corrupt \(file is not a database\): moved aside to .*read-models\.sqlite\.corrupt-/);
    expect(result.stderr).not.toMatch(/\n\s+at /); // no stack
    expect(result.stdout).toContain('hru projections rebuild:');
  }, 120_000);
});
