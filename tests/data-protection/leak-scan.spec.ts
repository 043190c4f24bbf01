/**
 * The leak scan: a full flow with canary names, dates of birth, source references and narrative — intake, staff
 * commands with canary reasons, an urgent alert delivered to a webhook receiver, bad requests, metrics, a rebuild of
 * the read models, a replay — and then a search for every canary everywhere it must never be: the log lines, the
 * webhook bodies, the metrics, the problem responses, Redis, and every file in the data dir (event log, read models,
 * key store, WAL files) at every step. After both people are erased, no canary is readable anywhere: the API, the
 * history, the as-of state, the export, the replay CLI.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRedis, loadConfig, mintDevToken } from '@hru/infra';
import { engineProjections, openReadModels, rebuildProjections } from '@hru/projections';
import { partyIdFor } from '@hru/workflows';
import { startEngine, type Engine } from '../../services/cli/src/engine.js';
import { intakeBody, JWT_SECRET, SOURCE_KEYS } from '../support/test-app.js';
import { startPrivateRedis, type PrivateRedis } from '../support/redis-server.js';
import { startWebhookReceiver, type WebhookReceiver } from '../support/webhook-receiver.js';
import { runHru } from '../support/spawn-hru.js';
import { tempDir } from '../support/temp-dir.js';
import { WEBHOOK_SECRET } from '../support/test-engine.js';

const CANARIES = {
  victimName: 'Zebulon Quagmirecanary',
  suspectName: 'Xanthippe Canarywood',
  dateOfBirth: '1961-07-19',
  victimRef: 'CANARYREF-VICTIM-5521',
  suspectRef: 'CANARYREF-SUSPECT-5522',
  narrative: 'canarynarrative threatened at the allotment',
  triageReason: 'canarytriage fixated on the victim',
  screenReason: 'canaryscreen adopt for risk',
  ackNote: 'canaryack patrol sent to the allotment',
  badInput: 'canarybadinput Zebulon',
};
const needles = Object.values(CANARIES).flatMap((c) => [c, c.split(' ')[0]!]).filter((n) => n.length >= 8);

function leaksIn(text: string): string[] {
  const lower = text.toLowerCase();
  return needles.filter((n) => lower.includes(n.toLowerCase()));
}

let redis: PrivateRedis;
let receiver: WebhookReceiver;
let engine: Engine;
let base: string;
const dir = tempDir('hru-leak-');
const logLines: string[] = [];
const responses: string[] = [];
let tokens: Record<string, string>;
let referralId: string;

function dataDirLeaks(): string[] {
  const found: string[] = [];
  const walk = (path: string) => {
    for (const entry of readdirSync(path)) {
      const file = join(path, entry);
      if (statSync(file).isDirectory()) walk(file);
      else for (const leak of leaksIn(readFileSync(file).toString('latin1'))) found.push(`${entry}: ${leak}`);
    }
  };
  walk(dir.dir);
  return found;
}

async function redisLeaks(): Promise<string[]> {
  const client = createRedis(redis.url, 'worker');
  const found: string[] = [];
  try {
    for (const key of await client.keys('*')) {
      const type = await client.type(key);
      const value =
        type === 'string' ? await client.get(key)
        : type === 'hash' ? JSON.stringify(await client.hgetall(key))
        : type === 'list' ? JSON.stringify(await client.lrange(key, 0, -1))
        : type === 'zset' ? JSON.stringify(await client.zrange(key, 0, -1))
        : type === 'set' ? JSON.stringify(await client.smembers(key))
        : type === 'stream' ? JSON.stringify(await client.xrange(key, '-', '+'))
        : '';
      for (const leak of leaksIn(`${key} ${value ?? ''}`)) found.push(`${key}: ${leak}`);
    }
  } finally {
    client.disconnect();
  }
  return found;
}

async function call(method: string, path: string, role: string | 'source', body?: unknown, justification = 'leak scan: case review'): Promise<Response> {
  const headers: Record<string, string> = { 'x-justification': justification };
  if (role === 'source') headers.authorization = `ApiKey ${SOURCE_KEYS.niche}`;
  else headers.authorization = `Bearer ${tokens[role]}`;
  if (body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(`${base}${path}`, { method, headers, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
  return res;
}

async function expectNoLeakAnywhere(step: string): Promise<void> {
  expect(leaksIn(logLines.join('\n')), `${step}: log`).toEqual([]);
  expect(leaksIn(receiver.received.map((r) => r.raw).join('\n')), `${step}: webhook bodies`).toEqual([]);
  expect(leaksIn(responses.join('\n')), `${step}: problem responses`).toEqual([]);
  expect(dataDirLeaks(), `${step}: files in the data dir`).toEqual([]);
  expect(await redisLeaks(), `${step}: Redis`).toEqual([]);
  const metrics = await (await call('GET', '/metrics', 'admin')).text();
  expect(leaksIn(metrics), `${step}: metrics`).toEqual([]);
}

beforeAll(async () => {
  redis = await startPrivateRedis();
  receiver = await startWebhookReceiver();
  const config = loadConfig({
    HRU_DATA_DIR: dir.dir,
    REDIS_URL: redis.url,
    PORT: '0',
    HRU_JWT_SECRET: JWT_SECRET,
    HRU_SOURCE_KEYS: `niche=${SOURCE_KEYS.niche}`,
    HRU_ALERT_WEBHOOK_URL: receiver.url,
    HRU_ALERT_WEBHOOK_SECRET: WEBHOOK_SECRET,
    LOG_LEVEL: 'debug',
  });
  const logger = pino({ level: 'debug' }, { write: (line: string) => void logLines.push(line) });
  engine = await startEngine(config, logger, { api: true, projector: true, worker: true });
  const address = engine.app!.server.address();
  base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  tokens = {};
  for (const role of ['officer', 'psychologist', 'supervisor', 'auditor', 'admin', 'data_protection']) {
    tokens[role] = await mintDevToken(JWT_SECRET, { sub: `${role}-1`, name: `Test ${role}`, roles: [role as 'officer'], agency: 'police' });
  }
}, 60_000);

afterAll(async () => {
  await engine?.stop();
  await receiver?.close();
  await redis?.stop();
  dir.cleanup();
});

describe('leak scan', () => {
  it('no canary reaches a log, a webhook, a metric, a problem, Redis or any file, through the whole flow', async () => {
    const intake = await call('POST', '/v1/referrals', 'source', intakeBody({
      summary: CANARIES.narrative,
      victim: { ref: CANARIES.victimRef, name: CANARIES.victimName, dateOfBirth: CANARIES.dateOfBirth },
      suspect: { ref: CANARIES.suspectRef, name: CANARIES.suspectName },
      indicators: ['threats_to_kill'],
    }));
    expect(intake.status).toBe(201);
    referralId = ((await intake.json()) as { referralId: string }).referralId;
    await receiver.waitFor((r) => r.length >= 1);

    const command = async (role: string, name: string, payload: object) => {
      const res = await call('POST', `/v1/referrals/${referralId}/commands/${name}`, role, payload);
      expect(res.status, await res.clone().text()).toBe(200);
    };
    await command('officer', 'triage', { decision: 'proceed', reason: CANARIES.triageReason });
    await command('psychologist', 'screen', { decision: 'adopt', reason: CANARIES.screenReason });
    const ack = await call('POST', `/v1/alerts/${referralId}.ua1/acknowledge`, 'supervisor', { note: CANARIES.ackNote });
    expect(ack.status).toBe(200);

    // Bad input carrying a canary: refused, and the problem does not echo it.
    for (const bad of [
      call('POST', '/v1/referrals', 'source', { ...intakeBody(), victim: { ref: 'x', name: CANARIES.badInput, dateOfBirth: `not-a-date ${CANARIES.badInput}` } }),
      call('POST', `/v1/referrals/${referralId}/commands/triage`, 'officer', { decision: CANARIES.badInput, reason: CANARIES.badInput }),
      call('POST', `/v1/referrals/${referralId}/commands/no-such`, 'officer', { reason: CANARIES.badInput }),
    ]) {
      const res = await bad;
      expect(res.status).toBeGreaterThanOrEqual(400);
      responses.push(await res.text());
    }

    // Reads are fine (they are the point) but must not spill into logs or files.
    expect((await call('GET', `/v1/referrals/${referralId}`, 'officer')).status).toBe(200);
    expect((await call('GET', `/v1/referrals/${referralId}/history`, 'auditor')).status).toBe(200);
    expect((await call('GET', `/v1/referrals/${referralId}/history?format=csv`, 'auditor')).status).toBe(200);
    expect((await call('GET', '/v1/caseload', 'officer')).status).toBe(200);
    // The research extract is pseudonymised: no canary in it, in either format.
    for (const format of ['json', 'csv']) {
      const extract = await call('GET', `/v1/research/extract?from=2026-11&to=2026-11&format=${format}`, 'data_protection');
      expect(extract.status).toBe(200);
      const text = await extract.text();
      expect(text).toContain(format === 'json' ? '"cases"' : 'row_type');
      expect(leaksIn(text), `research extract (${format})`).toEqual([]);
    }
    await expectNoLeakAnywhere('after the flow');

    // A rebuild of every read model from the log: the rebuilt files hold no canary either.
    const db = openReadModels(dir.dir);
    try {
      await rebuildProjections(engine.store.inner, db, undefined, () => undefined, { known: engineProjections({ webhookTargets: [receiver.url] }) });
    } finally {
      db.close();
    }
    await expectNoLeakAnywhere('after a rebuild');
  }, 120_000);

  it('after both people are erased, no canary is readable anywhere', async () => {
    for (const ref of [CANARIES.victimRef, CANARIES.suspectRef]) {
      const res = await call('POST', `/v1/people/${partyIdFor('niche', ref)}/erasure`, 'data_protection');
      expect(res.status, await res.clone().text()).toBe(200);
    }
    const reads = [
      await call('GET', `/v1/referrals/${referralId}`, 'officer'),
      await call('GET', `/v1/referrals/${referralId}/history`, 'auditor'),
      await call('GET', `/v1/referrals/${referralId}/history?format=csv`, 'auditor'),
      await call('GET', `/v1/referrals/${referralId}/state?revision=2`, 'auditor'),
      await call('GET', `/v1/people/${partyIdFor('niche', CANARIES.victimRef)}/export`, 'data_protection'),
      await call('GET', `/v1/people/${partyIdFor('niche', CANARIES.suspectRef)}/export?format=csv`, 'data_protection'),
      await call('GET', '/v1/audit/access-log', 'auditor'),
    ];
    for (const res of reads) {
      expect(res.status, res.url).toBe(200);
      expect(leaksIn(await res.text()), res.url).toEqual([]);
    }
    const replay = await runHru(['replay', referralId, '--justification', 'leak scan after erasure'], { HRU_DATA_DIR: dir.dir, REDIS_URL: redis.url });
    expect(replay.code, replay.stderr).toBe(0);
    expect(leaksIn(replay.stdout + replay.stderr)).toEqual([]);
    await expectNoLeakAnywhere('after erasure');
  }, 120_000);
});
