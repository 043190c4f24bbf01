/**
 * A break found by the engine's integrity monitor (built by the composition root) makes /readyz 503 with
 * the reason, moves the hru_integrity_* gauges and reaches the auditor through GET /v1/audit/integrity.
 */
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiKey, bearer, createTestApp, intakeBody, type TestApp } from '../support/test-app.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => t.close());

const integrity = () => t.deps.integrity!;
const readyz = async () => (await t.app.inject({ method: 'GET', url: '/readyz' })).json() as { status: string; checks: Record<string, { ok: boolean; detail?: string }> };
const gauge = async (name: string) => {
  const text = (await t.app.inject({ method: 'GET', url: '/metrics', headers: bearer(await t.token('admin')) })).body;
  return Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(text)?.[1]);
};

describe('a break found by the monitor', () => {
  it('is reported by /readyz, /metrics and to the auditor; the first check was clean', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/v1/referrals', headers: apiKey(), payload: intakeBody() });
    expect(res.statusCode, res.body).toBe(201);
    const clean = await integrity().check();
    expect(clean.ok).toBe(true);
    expect((await readyz()).checks.integrity).toEqual({ ok: true });
    expect(await gauge('hru_integrity_breaks')).toBe(0);
    expect(await gauge('hru_integrity_verified_position')).toBe(Number(clean.verifiedPosition));

    // Another intake after the check, then its last event edited in the file.
    expect((await t.app.inject({ method: 'POST', url: '/v1/referrals', headers: apiKey(), payload: intakeBody({}, 'CC/26/000777') })).statusCode).toBe(201);
    const db = new Database(t.rawStore.file);
    const last = (db.prepare('SELECT max(position) AS p FROM events').get() as { p: number }).p;
    db.prepare(`UPDATE events SET data = json_set(data, '$.tampered', 1) WHERE position = ?`).run(last);
    db.close();
    const broken = await integrity().check();
    expect(broken.ok).toBe(false);

    const ready = await t.app.inject({ method: 'GET', url: '/readyz' });
    expect(ready.statusCode).toBe(503);
    expect(ready.json().checks.integrity).toEqual({ ok: false, detail: expect.stringContaining(`content-changed`) });
    expect(await gauge('hru_integrity_breaks')).toBeGreaterThanOrEqual(1);

    const audit = await t.app.inject({ method: 'GET', url: '/v1/audit/integrity', headers: bearer(await t.token('auditor')) });
    expect(audit.statusCode, audit.body).toBe(200);
    expect(audit.json()).toMatchObject({ monitored: true, ok: false, recorded: [expect.objectContaining({ kind: 'content-changed', position: String(last) })] });
    const officer = await t.app.inject({ method: 'GET', url: '/v1/audit/integrity', headers: bearer(await t.token('officer')) });
    expect(officer.statusCode).toBe(403);
  });
});
