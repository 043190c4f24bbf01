/**
 * `hru migrate --to kurrentdb://…` as an operator runs it (a real process), from an embedded log written through the
 * engine's own command path (personal data sealed) into the in-process gRPC double of KurrentDB the contract suite
 * uses: every event arrives with its id, type, data and metadata, in the log's order; the chains verify there (and
 * `hru audit verify` on the target agrees); an interrupted copy resumes; a target holding anything else is refused
 * untouched; a verification finds what is missing or altered.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventStore, RecordedEvent } from '@hru/application';
import { copyLog, loadConfig, mintDevToken, openEventStore } from '@hru/infra';
import { referralIdFor } from '@hru/workflows';
import { openStore, referralCommandHandler } from '../../services/cli/src/engine.js';
import { startKurrentDouble, type KurrentDouble } from '../support/kurrent-double/kurrent-double.js';
import { finished, spawnTs } from '../support/spawn-ts.js';
import { tempDir } from '../support/temp-dir.js';
import { testEvent, uniqueStream } from '../support/events.js';
import { JWT_SECRET, intakeBody } from '../support/test-app.js';
import { engineProcessEnv, untilHealthy } from '../support/spawn-hru.js';
import { freePort, startPrivateRedis } from '../support/redis-server.js';
import { TEST_CHAIN_KEY } from '../support/chain-key.js';

const REFERRALS = 12;
/** The referrals the log was written with (each victim's name, Alex Example, sealed in the log). */
const written: string[] = [];

let dir: { dir: string; cleanup(): void };
let env: Record<string, string>;

beforeAll(async () => {
  dir = tempDir('hru-migrate-');
  env = { HRU_DATA_DIR: dir.dir, HRU_CHAIN_KEY: TEST_CHAIN_KEY, LOG_LEVEL: 'silent' };
  // The log as the engine writes it: intakes through the command handler (sealed personal data, alerts for the
  // urgent ones, streams interleaved in the log), and a few other streams between them.
  const config = loadConfig(env);
  const store = await openStore(config);
  const commands = referralCommandHandler(store, config);
  const other = uniqueStream('other-');
  for (let i = 0; i < REFERRALS; i++) {
    const body = intakeBody(i % 3 === 0 ? { indicators: ['threats_to_kill'] } : {});
    const referralId = referralIdFor('niche', body.source.crimeReference);
    written.push(referralId);
    await commands.handle(referralId, { name: 'receive-referral', payload: body }, { actor: { kind: 'system', system: 'niche' }, correlationId: `migrate-${i}`, now: new Date().toISOString() });
    await store.inner.appendToStream(other, [testEvent('Interleaved', { i }), testEvent('Interleaved', { i, second: true })]);
  }
  await store.close();
});
afterAll(() => dir.cleanup());

const sourceStore = () => openEventStore({ dataDir: dir.dir, chainKey: TEST_CHAIN_KEY });
const targetStore = (double: KurrentDouble) => openEventStore({ dataDir: dir.dir, eventStoreUrl: double.connectionString, chainKey: TEST_CHAIN_KEY });
const hru = (args: string[], extra: Record<string, string> = {}) => finished(spawnTs('services/cli/src/main.ts', args, { ...env, ...extra }));

async function everything(store: EventStore): Promise<RecordedEvent[]> {
  try {
    return await store.readAll();
  } finally {
    await store.close();
  }
}

/** What must survive the move: everything but the position and the time the store recorded it. */
const moved = (e: RecordedEvent) => ({ streamId: e.streamId, revision: e.revision, eventId: e.eventId, type: e.type, data: e.data, metadata: e.metadata });

describe('hru migrate', () => {
  let double: KurrentDouble;
  beforeAll(async () => (double = await startKurrentDouble()));
  afterAll(async () => double.stop());

  it('copies every event in log order with a progress bar; the chains verify on the target; a second run copies nothing', async () => {
    const source = await everything(await sourceStore());
    expect(source.length).toBeGreaterThan(REFERRALS * 3);
    expect(source.some((e) => JSON.stringify(e.data).includes('"$sealed"'))).toBe(true);

    const run = await hru(['migrate', '--to', double.connectionString]);
    expect(run.code, run.stderr + run.stdout).toBe(0);
    expect(run.stderr).toMatch(/\[#+\] 100\.0% \d+ events copied/);
    expect(run.stdout).toContain(`copied ${source.length} events`);
    const streams = new Set(source.map((e) => e.streamId)).size;
    expect(run.stdout).toContain(`identical: ${source.length} events in ${streams} streams`);
    expect(run.stdout).toContain(`chains verify on the target: ${source.length} events in ${streams} streams`);

    const target = await everything(await targetStore(double));
    expect(target.map(moved)).toEqual(source.map(moved));

    // The engine's own check, run against the target as the engine would be after the switch.
    const audit = await hru(['audit', 'verify', '--json'], { EVENTSTORE_URL: double.connectionString });
    expect(audit.code, audit.stderr).toBe(0);
    expect(JSON.parse(audit.stdout)).toMatchObject({ ok: true, events: source.length, streams });

    const again = await hru(['migrate', '--to', double.connectionString]);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toContain(`copied 0 events in 0 appends (${source.length} were there already, each identical)`);
    expect(double.log.all().filter((e) => !e.type.startsWith('$'))).toHaveLength(source.length);
  }, 120_000);

  it('finds an event missing from the target, and one altered there (exit 4)', async () => {
    // The engine appended after the copy (it should have been stopped): the verification says what is missing.
    const late = await sourceStore();
    await late.appendToStream(uniqueStream('late-'), [testEvent('Late')]);
    await late.close();
    const missing = await hru(['migrate', '--to', double.connectionString, '--verify-only']);
    expect(missing.code, missing.stderr).toBe(4);
    expect(missing.stdout).toMatch(/DIFFERENT: the target ends before the source: stream late-\w+ revision 0/);

    // Running it again copies the one event and verifies.
    const resumed = await hru(['migrate', '--to', double.connectionString]);
    expect(resumed.code, resumed.stderr + resumed.stdout).toBe(0);
    expect(resumed.stdout).toMatch(/copied 1 events in 1 appends \(\d+ were there already/);

    // An event changed on the server (its data rewritten): it no longer matches the source, nor its chain link.
    const [first] = double.log.all().filter((e) => !e.type.startsWith('$'));
    double.log.tamperWith(first!.streamId, Number(first!.revision), (e) => {
      e.data = new TextEncoder().encode(JSON.stringify({ altered: true }));
    });
    const altered = await hru(['migrate', '--to', double.connectionString, '--verify-only', '--json']);
    expect(altered.code, altered.stderr).toBe(4);
    const outcome = JSON.parse(altered.stdout) as { ok: boolean; comparison: { difference: { kind: string; streamId: string } }; chains: { ok: boolean } };
    expect(outcome.ok).toBe(false);
    expect(outcome.comparison.difference).toMatchObject({ kind: 'data', streamId: first!.streamId });
    expect(outcome.chains.ok).toBe(false);
  }, 120_000);
});

describe('an interrupted copy', () => {
  it('resumes after what arrived, which it compares rather than trusts', async () => {
    const double = await startKurrentDouble();
    try {
      const source = await sourceStore();
      const target = await targetStore(double);
      let pages = 0;
      // The copy dies after its second page of 10 (as a killed process would, between two appends).
      await expect(
        copyLog(source, target, {
          pageSize: 10,
          onProgress: () => {
            if (++pages === 2) throw new Error('interrupted');
          },
        }),
      ).rejects.toThrow('interrupted');
      await Promise.all([source.close(), target.close()]);
      const arrived = double.log.all().filter((e) => !e.type.startsWith('$')).length;
      expect(arrived).toBeGreaterThanOrEqual(20);

      const run = await hru(['migrate', '--to', double.connectionString]);
      expect(run.code, run.stderr + run.stdout).toBe(0);
      expect(run.stdout).toContain(`(${arrived} were there already, each identical)`);
      const all = await everything(await sourceStore());
      expect((await everything(await targetStore(double))).map(moved)).toEqual(all.map(moved));
    } finally {
      await double.stop();
    }
  }, 120_000);
});

describe('a target holding other data', () => {
  it('is refused before anything is written (exit 1), and so is a missing log', async () => {
    const double = await startKurrentDouble();
    try {
      const target = await targetStore(double);
      await target.appendToStream(uniqueStream('someone-else-'), [testEvent('Unrelated')]);
      await target.close();
      const before = double.log.all().length;

      const run = await hru(['migrate', '--to', double.connectionString]);
      expect(run.code).toBe(1);
      expect(run.stderr).toMatch(/Refusing to migrate: the target's event differs from the source's \(stream\) at stream someone-else-\w+ revision 0/);
      expect(double.log.all()).toHaveLength(before);

      const empty = tempDir('hru-migrate-empty-');
      try {
        const none = await hru(['migrate', '--to', double.connectionString], { HRU_DATA_DIR: empty.dir });
        expect(none.code).toBe(1);
        expect(none.stderr).toContain('there is no embedded log at');
      } finally {
        empty.cleanup();
      }
      const bad = await hru(['migrate', '--to', 'http://example.org']);
      expect(bad.code).toBe(1);
      expect(bad.stderr).toContain('--to is the KurrentDB connection string');
    } finally {
      await double.stop();
    }
  }, 120_000);
});

describe('after the move', () => {
  it('the engine runs on the target with EVENTSTORE_URL set: read models rebuilt from it, sealed details open with the same keys', async () => {
    const double = await startKurrentDouble();
    const redis = await startPrivateRedis();
    try {
      const run = await hru(['migrate', '--to', double.connectionString]);
      expect(run.code, run.stderr + run.stdout).toBe(0);
      expect(run.stdout).toContain('to run on it: delete the read-model files');

      const port = await freePort();
      const api = spawnTs('services/cli/src/main.ts', ['api'], { ...engineProcessEnv(dir.dir, redis.url, port), HRU_CHAIN_KEY: TEST_CHAIN_KEY, EVENTSTORE_URL: double.connectionString, LOG_LEVEL: 'silent' });
      const exited = finished(api);
      const base = `http://127.0.0.1:${port}`;
      try {
        await untilHealthy(base, exited, '/readyz');
        const token = await mintDevToken(JWT_SECRET, { sub: 'ds-1', name: 'DS One', roles: ['supervisor'], agency: 'police' });
        const listed = async () => ((await (await fetch(`${base}/v1/caseload?limit=5000`, { headers: { authorization: `Bearer ${token}` } })).json()) as { items: { referralId: string }[] }).items.map((i) => i.referralId);
        for (let ids = await listed(); !written.every((id) => ids.includes(id)); ids = await listed()) await new Promise((r) => setTimeout(r, 100));
        const res = await fetch(`${base}/v1/referrals/${written[0]}`, { headers: { authorization: `Bearer ${token}`, 'x-justification': 'checking the migrated log' } });
        expect(res.status, await res.clone().text()).toBe(200);
        expect(JSON.stringify(await res.json())).toContain('Alex Example');
      } finally {
        api.kill('SIGTERM');
        expect((await exited).code).toBe(0);
      }
    } finally {
      await redis.stop();
      await double.stop();
    }
  }, 180_000);
});
