/**
 * Issue 20, several processes on one machine: `hru api` ×2, `hru worker` and `hru projector` as separate real
 * processes on one embedded store (one data dir) and one private Redis, with a webhook receiver. Intake is taken
 * on either API node; every urgent alert reaches the receiver exactly once and is recorded delivered once; each
 * API node's own read models (HRU_READ_MODELS_FILE) converge on every referral; and a kill -9 of any one process,
 * each in turn and while intakes arrive, loses nothing (a client whose request died with its node sends it again to
 * the other, and the intake's idempotency makes it one referral).
 */
import { spawn } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventStore } from '@hru/application';
import { alertDeliveryStreamFor } from '@hru/events';
import { mintDevToken, openReadOnlyEventStore } from '@hru/infra';
import { engineProcess, type EngineProcess } from '../support/engine-processes.js';
import { eventually } from '../support/eventually.js';
import { freePort } from '../support/redis-server.js';
import { engineProcessEnv, privateRedisAndDir } from '../support/spawn-hru.js';
import { finished } from '../support/spawn-ts.js';
import { tempDir } from '../support/temp-dir.js';
import { WEBHOOK_SECRET } from '../support/test-engine.js';
import { JWT_SECRET, SOURCE_KEYS, intakeBody } from '../support/test-app.js';
import { startWebhookReceiver, type WebhookReceiver } from '../support/webhook-receiver.js';

const fixture = privateRedisAndDir('hru-multi-process-');
const ACK_SLA_SECONDS = 2;
/** Raised at level 0, escalated at 1 and 2 (the default three tiers). */
const LEVELS = [0, 1, 2];
let receiver: WebhookReceiver;
let parts: Record<'api1' | 'api2' | 'worker' | 'projector', EngineProcess>;
let log: EventStore;

beforeAll(async () => {
  receiver = await startWebhookReceiver();
  const [port1, port2] = [await freePort(), await freePort()];
  const env = (port: number, readModels?: string): Record<string, string> => ({
    ...engineProcessEnv(fixture.dir(), fixture.redis().url, port),
    HRU_ALERT_WEBHOOK_URL: receiver.url,
    HRU_ALERT_WEBHOOK_SECRET: WEBHOOK_SECRET,
    // Nobody acknowledges: each alert escalates twice (to the last of the three tiers), so the escalation timers run
    // across the processes too, armed by the projector and fired by the worker.
    HRU_ALERT_ACK_SLA: `${ACK_SLA_SECONDS}s`,
    ...(readModels ? { HRU_READ_MODELS_FILE: readModels } : {}),
  });
  // All four at once on a fresh data dir, as a service manager starts them: the generated keys are made once.
  parts = {
    api1: engineProcess('api1', 'api', env(port1, 'read-models-api1.sqlite')),
    api2: engineProcess('api2', 'api', env(port2, 'read-models-api2.sqlite')),
    worker: engineProcess('worker', 'worker', env(0)),
    projector: engineProcess('projector', 'projector', env(0, 'read-models-projector.sqlite')),
  };
  await Promise.all(Object.values(parts).map((p) => p.ready()));
  log = openReadOnlyEventStore(join(fixture.dir(), 'events.sqlite'));
}, 180_000);

afterAll(async () => {
  await log?.close();
  if (parts) {
    const exits = await Promise.all(Object.values(parts).map((p) => p.stop()));
    for (const exit of exits) expect(exit.code === 0 || exit.signal === 'SIGKILL', exit.stderr).toBe(true);
  }
  await receiver?.close();
}, 60_000);

const apis = () => [parts.api1, parts.api2];
const supervisor = () => mintDevToken(JWT_SECRET, { sub: 'ds-1', name: 'DS One', roles: ['supervisor'], agency: 'police' });
const alertIdOf = (referralId: string) => `${referralId}.ua1`;

/** Every referral accepted so far, and which node answered its intake. */
const accepted: { referralId: string; node: string }[] = [];
/** Intakes that one node could not answer and the other then took. */
let resent = 0;

/**
 * One urgent intake, offered first to `first` and, if that node cannot answer (its process is gone), to the other:
 * what a load balancer or a retrying source system does. The same crime sent twice is one referral.
 */
async function intake(first: number): Promise<void> {
  const body = JSON.stringify(intakeBody({ indicators: ['threats_to_kill'] }));
  let lastError = '';
  for (let attempt = 0; attempt < 20; attempt++) {
    const node = apis()[(first + attempt) % 2]!;
    try {
      const res = await fetch(`${node.base}/v1/referrals`, {
        method: 'POST',
        headers: { authorization: `ApiKey ${SOURCE_KEYS.niche}`, 'content-type': 'application/json' },
        body,
      });
      if (res.status === 201 || res.status === 200) {
        const { referralId } = (await res.json()) as { referralId: string };
        if (!accepted.some((a) => a.referralId === referralId)) accepted.push({ referralId, node: node.name });
        if (attempt > 0) resent++;
        return;
      }
      lastError = `${node.name} answered ${res.status}: ${await res.text()}`;
    } catch (error) {
      lastError = `${node.name}: ${(error as Error).message}`;
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`no API node took the intake: ${lastError}`);
}

/**
 * `count` intakes in two lanes at once, one starting on each API node, so that both processes append to the log at
 * the same time (one waits for the other's write lock). `onSent` is told how many have been answered.
 */
async function burst(count: number, onSent?: (answered: number) => void): Promise<void> {
  let answered = 0;
  const lane = async (node: number, intakes: number) => {
    for (let i = 0; i < intakes; i++) {
      await intake(node);
      onSent?.(++answered);
    }
  };
  await Promise.all([lane(0, Math.ceil(count / 2)), lane(1, Math.floor(count / 2))]);
}

/**
 * Nothing lost, nothing twice: each alert's raise and both escalations posted once and recorded delivered once; each
 * API node's read models hold every referral and every delivery.
 */
async function everythingSettled(): Promise<void> {
  const ids = accepted.map((a) => a.referralId);
  await eventually(
    async () => {
      for (const id of ids) {
        const outcomes = (await log.readStream(alertDeliveryStreamFor(alertIdOf(id)))).filter((e) => e.type === 'AlertDelivered');
        if (outcomes.length < LEVELS.length) return { id, outcomes: outcomes.length };
      }
      return true;
    },
    (r) => r === true,
    90_000,
  );
  for (const id of ids) {
    const outcomes = (await log.readStream(alertDeliveryStreamFor(alertIdOf(id)))).filter((e) => e.type === 'AlertDelivered');
    expect(outcomes.map((e) => (e.data as { level: number }).level).sort(), id).toEqual(LEVELS);
    const posted = receiver.received.filter((x) => x.body.alertId === alertIdOf(id));
    expect(posted.map((x) => `${x.body.kind}@${x.body.level}`).sort(), id).toEqual(['escalated@1', 'escalated@2', 'raised@0']);
  }
  const token = await supervisor();
  for (const node of apis()) {
    await eventually(
      async () => {
        const caseload = (await (await fetch(`${node.base}/v1/caseload?limit=5000`, { headers: { authorization: `Bearer ${token}` } })).json()) as { items: { referralId: string }[] };
        const alerts = (await (await fetch(`${node.base}/v1/alerts?status=open&limit=1000`, { headers: { authorization: `Bearer ${token}` } })).json()) as {
          items: { alertId: string; deliveries: { status: string }[] }[];
        };
        const listed = new Set(caseload.items.map((i) => i.referralId));
        const delivered = new Set(
          alerts.items.filter((a) => a.deliveries.length === LEVELS.length && a.deliveries.every((d) => d.status === 'delivered')).map((a) => a.alertId),
        );
        const behind = ids.filter((id) => !listed.has(id) || !delivered.has(alertIdOf(id)));
        return behind.length === 0 ? true : { node: node.name, behind };
      },
      (r) => r === true,
      60_000,
    );
  }
}

describe('hru api ×2, hru worker and hru projector as separate processes on one data dir', () => {
  it('take intake on either API node, deliver each alert and escalation once, and keep each node’s own read models current', async () => {
    await burst(6);
    expect(new Set(accepted.map((a) => a.node))).toEqual(new Set(['api1', 'api2']));
    await everythingSettled();
    // Each node keeps its own file; nothing serves from the default one.
    for (const file of ['read-models-api1.sqlite', 'read-models-api2.sqlite', 'read-models-projector.sqlite']) expect(existsSync(join(fixture.dir(), file)), file).toBe(true);
    expect(existsSync(join(fixture.dir(), 'read-models.sqlite'))).toBe(false);
  }, 120_000);

  for (const victim of ['api1', 'api2', 'projector'] as const) {
    it(`loses nothing when ${victim} is killed with SIGKILL in the middle of a burst of intakes`, async () => {
      const before = accepted.length;
      const resentBefore = resent;
      let killed: Promise<unknown> | undefined;
      await burst(10, (i) => {
        if (i === 3) killed = parts[victim].kill9();
      });
      expect((await killed) as { signal: string }).toMatchObject({ signal: 'SIGKILL' });
      expect(accepted.length - before).toBe(10);
      // Intakes offered to the dead API node went to the other one (each counted once above).
      if (victim !== 'projector') expect(resent - resentBefore).toBeGreaterThan(0);
      await parts[victim].restart();
      await everythingSettled();
    }, 180_000);
  }

  it('loses nothing when the worker is killed with SIGKILL: alerts raised while it is gone are delivered once when it is back', async () => {
    const before = accepted.length;
    const exit = await parts.worker.kill9();
    expect(exit.signal).toBe('SIGKILL');
    await burst(6);
    expect(accepted.length - before).toBe(6);
    // Nothing can deliver them, nor fire their escalations, until a worker is back.
    const raisedWhileGone = accepted.slice(before).map((a) => alertIdOf(a.referralId));
    expect(receiver.received.filter((x) => raisedWhileGone.includes(x.body.alertId))).toHaveLength(0);
    await parts.worker.restart();
    await everythingSettled();
  }, 180_000);
});

describe('processes starting together on a fresh data dir', () => {
  it('agree on one generated chain key, master key and JWT secret, never an empty one', async () => {
    const dir = tempDir('hru-secrets-race-');
    try {
      // Each process prints the three secrets it loaded; all start at once.
      const script = `
        import { loadOrCreateChainKey, loadMasterKeys, loadOrCreateJwtSecret } from '@hru/infra';
        const dir = ${JSON.stringify(dir.dir)};
        const master = loadMasterKeys(dir, { current: undefined, previous: undefined });
        console.log(JSON.stringify([loadOrCreateChainKey(dir).toString('utf8'), master.current.toString('base64'), loadOrCreateJwtSecret(dir, undefined)]));`;
      const runs = await Promise.all(
        Array.from({ length: 6 }, () =>
          finished(spawn(process.execPath, ['--conditions=@hru/source', '--import', 'tsx', '--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'pipe'] })),
        ),
      );
      const loaded = runs.map((r) => {
        expect(r.code, r.stderr).toBe(0);
        return r.stdout.trim();
      });
      expect(new Set(loaded).size).toBe(1);
      const [chainKey, masterKey, jwtSecret] = JSON.parse(loaded[0]!) as string[];
      expect(chainKey!.length).toBeGreaterThan(32);
      expect(Buffer.from(masterKey!, 'base64')).toHaveLength(32);
      expect(jwtSecret!.length).toBeGreaterThan(32);
      // No temporary file is left behind.
      expect(readdirSync(dir.dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    } finally {
      dir.cleanup();
    }
  }, 60_000);
});
