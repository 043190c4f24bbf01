/**
 * Which read models decrypt: none but the case search's blind index, and that one only the people of the intake
 * events. Counted at the key store (every opening asks it for keys), live and through a rebuild, over a log written
 * through the encrypting store.
 */
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { EncryptingEventStore } from '@hru/application';
import { LocalKeyWrapper, SqliteEventStore, SqliteKeyStore, keyStoreFile } from '@hru/infra';
import { allProjections, OpenedIntakeStore, openedProjections, openReadModels, ProjectionRunner } from '@hru/projections';
import { tempDir } from '../support/temp-dir.js';
import { TEST_CHAIN_KEY } from '../support/chain-key.js';
import { namedIntake } from './support/named-intake.js';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function sealedLog() {
  const { dir, cleanup } = tempDir('hru-sealed-models-');
  cleanups.push(cleanup);
  const keys = new SqliteKeyStore(keyStoreFile(dir), [new LocalKeyWrapper(Buffer.alloc(32, 9))]);
  const store = new EncryptingEventStore(new SqliteEventStore(join(dir, 'events.sqlite'), { chainKey: Buffer.from(TEST_CHAIN_KEY) }), keys);
  cleanups.push(() => store.close());
  for (const n of [1, 2, 3]) {
    const referralId = `ref-${String(n).repeat(32)}`;
    await store.appendToStream(referralId, [namedIntake(referralId, { victim: `Victim ${n}`, suspect: `Suspect ${n}` })], { expectedRevision: 'no_stream' });
  }
  // Every key id the key store is asked to open from here on.
  const asked: string[] = [];
  const keysById = keys.keysById.bind(keys);
  keys.keysById = (ids) => (asked.push(...ids), keysById(ids));
  const db = openReadModels(dir);
  cleanups.push(() => void db.close());
  return { store, db, asked };
}

/** Its lag asked before it starts (events pending: /readyz and /metrics ask it so), then live to the head, then a rebuild. */
async function runToHead(runner: ProjectionRunner): Promise<void> {
  expect((await runner.lag()).some((l) => l.lag > 0)).toBe(true);
  runner.start();
  await runner.waitUntilCaughtUp();
  await runner.rebuild();
}

describe('read models and personal data', () => {
  it('every read model but the case search reads the log sealed, live and in a rebuild: no key is asked for', async () => {
    const { store, db, asked } = await sealedLog();
    const runner = new ProjectionRunner({ store, db, projections: allProjections });
    cleanups.push(() => runner.stop());
    await runToHead(runner);
    expect((db.prepare('SELECT count(*) AS n FROM caseload_cases').get() as { n: number }).n).toBe(3);
    expect(asked).toEqual([]);
  });

  it('the case search opens the people of the intakes only, never a case key, live and in a rebuild', async () => {
    const { store, db, asked } = await sealedLog();
    const runner = new ProjectionRunner({ store: new OpenedIntakeStore(store), db, projections: openedProjections({ blindIndexKey: Buffer.alloc(32, 5) }) });
    cleanups.push(() => runner.stop());
    await runToHead(runner);
    expect((db.prepare('SELECT count(DISTINCT referral_id) AS n FROM case_search_people').get() as { n: number }).n).toBe(3);
    // Three intakes, two people each (a key per person per case), and nothing else.
    expect(new Set(asked).size).toBe(6);
    expect(asked.filter((id) => !id.startsWith('party:'))).toEqual([]);
  });
});
