/**
 * History, state as of a point, the access log and verification through the real HTTP stack, on a fixed
 * history: intake by a source system, triage by an officer, screening by a psychologist.
 */
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiKey, bearer, createTestApp, intakeBody, type TestApp } from '../support/test-app.js';

let t: TestApp;
let referralId: string;
const tokens: Record<string, string> = {};
const FORMULA_REASON = '=HYPERLINK("http://x.example") looks like a formula';

const justified = (role: string) => ({ ...bearer(tokens[role]!), 'x-justification': `${role} audit of decisions` });
const get = (url: string, role = 'auditor', headers: Record<string, string> = justified(role)) => t.app.inject({ method: 'GET', url, headers });

beforeAll(async () => {
  t = await createTestApp({ app: { rateLimitPerMinute: 100_000 } });
  for (const role of ['auditor', 'supervisor', 'officer', 'psychologist']) tokens[role] = await t.token(role as 'auditor', `${role}-1`);
  const created = await t.app.inject({ method: 'POST', url: '/v1/referrals', headers: apiKey(), payload: intakeBody() });
  referralId = created.json().referralId;
  const command = async (role: string, name: string, payload: object) => {
    const res = await t.app.inject({
      method: 'POST',
      url: `/v1/referrals/${referralId}/commands/${name}`,
      headers: { ...bearer(tokens[role]!), 'x-correlation-id': `corr-${name}` },
      payload,
    });
    expect(res.statusCode, res.body).toBe(200);
  };
  await command('officer', 'triage', { decision: 'proceed', reason: 'Fixated and escalating contact' });
  await command('psychologist', 'screen', { decision: 'adopt', reason: FORMULA_REASON });
});
afterAll(async () => t.close());

describe('GET /v1/referrals/:id/history', () => {
  it('needs X-Justification', async () => {
    const res = await get(`/v1/referrals/${referralId}/history`, 'auditor', bearer(tokens.auditor!));
    expect(res.statusCode).toBe(400);
  });

  it('lists every event in order with actor, time, reason, ids and a summary, with its personal section', async () => {
    const res = await get(`/v1/referrals/${referralId}/history`);
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json();
    expect(body.headRevision).toBe(body.events.length - 1);
    expect(body.events.map((e: { type: string }) => e.type).slice(0, 1)).toEqual(['ReferralReceived']);
    const types = body.events.map((e: { type: string }) => e.type);
    expect(types.indexOf('TriageCompleted')).toBeLessThan(types.indexOf('ScreeningCompleted'));
    expect(body.events.map((e: { revision: number }) => e.revision)).toEqual([...body.events.keys()]);
    const triage = body.events.find((e: { type: string }) => e.type === 'TriageCompleted');
    expect(triage).toMatchObject({
      actor: { kind: 'person', sub: 'officer-1', name: 'Test officer-1', roles: ['officer'], agency: 'police' },
      reason: 'Fixated and escalating contact',
      correlationId: 'corr-triage',
      summary: 'Triage completed (decision: proceed) by Test officer-1 (officer, police): Fixated and escalating contact',
    });
    expect(Date.parse(triage.occurredAt)).not.toBeNaN();
    expect(body.events[0].actor).toMatchObject({ kind: 'system', sub: 'niche' });
    // The why of each event lives in its personal section, and the justified history shows it (names included).
    expect(triage.data).toMatchObject({ decision: 'proceed', personal: { reason: 'Fixated and escalating contact' } });
    expect(triage.data).not.toHaveProperty('reason');
    expect(body.events[0].data.personal.people).toContainEqual(expect.objectContaining({ name: 'Alex Example' }));
    expect(body.nextFromRevision).toBeNull();
  });

  it('the referral’s short timeline leaves the personal sections out, and with them the why', async () => {
    const res = await get(`/v1/referrals/${referralId}`, 'supervisor');
    expect(res.statusCode, res.body).toBe(200);
    const recent = res.json().recentEvents as { type: string; reason: string | null; summary: string; data: Record<string, unknown> }[];
    const triage = recent.find((e) => e.type === 'TriageCompleted')!;
    expect(triage).toMatchObject({ reason: null, summary: 'Triage completed (decision: proceed) by Test officer-1 (officer, police)' });
    expect(recent.every((e) => !('personal' in e.data))).toBe(true);
    expect(JSON.stringify(recent)).not.toContain('Alex Example');
  });

  it('pages by revision', async () => {
    const all = (await get(`/v1/referrals/${referralId}/history`)).json();
    const first = (await get(`/v1/referrals/${referralId}/history?limit=1`)).json();
    expect(first.events).toHaveLength(1);
    expect(first.nextFromRevision).toBe(1);
    const rest = (await get(`/v1/referrals/${referralId}/history?fromRevision=1&limit=5000`)).json();
    expect([...first.events, ...rest.events]).toEqual(all.events);
    expect(rest.nextFromRevision).toBeNull();
  });

  it('exports CSV with a header row, one row per event, and formulas defused', async () => {
    const res = await get(`/v1/referrals/${referralId}/history?format=csv`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/csv');
    const lines = res.body.trimEnd().split('\r\n');
    expect(lines[0]).toBe('revision,occurredAt,recordedAt,type,actorKind,actorSub,actorName,actorRoles,actorAgency,reason,correlationId,causationId,summary');
    const json = (await get(`/v1/referrals/${referralId}/history`)).json();
    expect(lines).toHaveLength(json.events.length + 1);
    expect(res.body).toContain(`"'=HYPERLINK(""http://x.example"") looks like a formula"`);
  });

  it('is refused to roles that do not audit or supervise, and 404s for an unknown referral', async () => {
    expect((await get(`/v1/referrals/${referralId}/history`, 'officer')).statusCode).toBe(403);
    expect((await get('/v1/referrals/ref-0123456789abcdef0123456789abcdef/history')).statusCode).toBe(404);
  });
});

describe('GET /v1/referrals/:id/state', () => {
  const revisionOf = async (type: string) =>
    (await get(`/v1/referrals/${referralId}/history`)).json().events.find((e: { type: string }) => e.type === type) as { revision: number; recordedAt: string };

  it('replays to a revision, with the commands allowed then', async () => {
    const triage = await revisionOf('TriageCompleted');
    const screening = await revisionOf('ScreeningCompleted');
    const atTriage = (await get(`/v1/referrals/${referralId}/state?revision=${triage.revision}`)).json();
    const atScreening = (await get(`/v1/referrals/${referralId}/state?revision=${screening.revision}`, 'supervisor')).json();
    expect(atTriage.revision).toBe(triage.revision);
    expect(atTriage.allowedCommands).toContain('screen');
    expect(atScreening.allowedCommands).not.toContain('screen');
    expect(atTriage.view.stage).not.toBe(atScreening.view.stage);
  });

  it('replays to a time (when the store recorded the events)', async () => {
    const triage = await revisionOf('TriageCompleted');
    const res = await get(`/v1/referrals/${referralId}/state?at=${encodeURIComponent(triage.recordedAt)}`);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().revision).toBeGreaterThanOrEqual(triage.revision);
    expect(res.json().allowedCommands).toContain('screen');
    const before = await get(`/v1/referrals/${referralId}/state?at=2000-01-01T00:00:00Z`);
    expect(before.statusCode).toBe(404);
  });

  it('gives what changed between two points, and the events in between', async () => {
    const screening = await revisionOf('ScreeningCompleted');
    const res = await get(`/v1/referrals/${referralId}/state?from=0&to=${screening.revision}`);
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json();
    expect(body.changes).toContainEqual(expect.objectContaining({ path: '/stage', before: body.from.view.stage, after: body.to.view.stage }));
    expect(body.events.map((e: { revision: number }) => e.revision)).toEqual(
      Array.from({ length: screening.revision }, (_, i) => i + 1),
    );
  });

  it('asks for exactly one kind of point, and X-Justification', async () => {
    expect((await get(`/v1/referrals/${referralId}/state`)).statusCode).toBe(400);
    expect((await get(`/v1/referrals/${referralId}/state?revision=1&at=2026-01-01T00:00:00Z`)).statusCode).toBe(400);
    expect((await get(`/v1/referrals/${referralId}/state?from=1`)).statusCode).toBe(400);
    expect((await get(`/v1/referrals/${referralId}/state?revision=1`, 'auditor', bearer(tokens.auditor!))).statusCode).toBe(400);
  });
});

describe('GET /v1/audit/access-log', () => {
  it('holds every justified read, the auditor’s own included, queryable by referral and actor', async () => {
    await get(`/v1/referrals/${referralId}/history`, 'supervisor');
    await get(`/v1/referrals/${referralId}/state?revision=0`);
    const res = await get(`/v1/audit/access-log?referralId=${referralId}`);
    expect(res.statusCode, res.body).toBe(200);
    const entries = res.json().entries as { resource: string; actor: { sub: string }; justification: string; kind: string }[];
    expect(entries.some((e) => e.resource === 'history' && e.actor.sub === 'supervisor-1' && e.justification === 'supervisor audit of decisions')).toBe(true);
    expect(entries.some((e) => e.resource === 'state' && e.actor.sub === 'auditor-1' && e.kind === 'consultation')).toBe(true);
    const bySupervisor = (await get(`/v1/audit/access-log?referralId=${referralId}&actor=supervisor-1`)).json().entries as { actor: { sub: string } }[];
    expect(bySupervisor.length).toBeGreaterThan(0);
    expect(bySupervisor.every((e) => e.actor.sub === 'supervisor-1')).toBe(true);
  });

  it('records a disclosure with its recipients and gateway before the data is handed over', async () => {
    const disclose = (payload: object) =>
      t.app.inject({ method: 'POST', url: `/v1/referrals/${referralId}/disclosures`, headers: bearer(tokens.officer!), payload });
    const refused = await disclose({ recipients: ['MARAC chair'], gateway: 'other', justification: 'MARAC referral' });
    expect(refused.statusCode).toBe(400);
    expect(JSON.stringify(refused.json().errors)).toContain('gatewayDetail');
    const res = await disclose({ recipients: ['Probation: offender manager', 'NHS mental health liaison'], gateway: 'mappa_duty_to_cooperate', justification: 'MAPPA level 2 meeting' });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ referralId, gateway: 'mappa_duty_to_cooperate', data: { stage: expect.any(String) } });
    const entries = (await get(`/v1/audit/access-log?referralId=${referralId}&actor=officer-1`)).json().entries as Record<string, unknown>[];
    expect(entries).toContainEqual(
      expect.objectContaining({
        kind: 'disclosure',
        recipients: ['Probation: offender manager', 'NHS mental health liaison'],
        gateway: 'mappa_duty_to_cooperate',
        justification: 'MAPPA level 2 meeting',
      }),
    );
    const auditorMayNot = await t.app.inject({ method: 'POST', url: `/v1/referrals/${referralId}/disclosures`, headers: bearer(tokens.auditor!), payload: {} });
    expect(auditorMayNot.statusCode).toBe(403);
  });

  it('pages with a cursor and respects the period', async () => {
    const all = (await get(`/v1/audit/access-log?referralId=${referralId}`)).json().entries;
    const one = (await get(`/v1/audit/access-log?referralId=${referralId}&limit=1`)).json();
    expect(one.entries).toEqual(all.slice(0, 1));
    const next = (await get(`/v1/audit/access-log?referralId=${referralId}&limit=1&cursor=${one.nextCursor}`)).json();
    expect(next.entries).toEqual(all.slice(1, 2));
    const past = (await get(`/v1/audit/access-log?from=2020-01-01T00:00:00Z&to=2020-01-02T00:00:00Z`)).json();
    expect(past.entries).toEqual([]);
    expect((await get('/v1/audit/access-log?from=2020-01-01T00:00:00Z&to=2026-01-01T00:00:00Z')).statusCode).toBe(400);
  });
});

describe('GET /v1/audit/verify', () => {
  it('reports intact chains, then the first broken link after an edit in the file, and checks an anchor', async () => {
    const clean = (await get('/v1/audit/verify')).json();
    expect(clean).toMatchObject({ ok: true, breaks: [], firstBreak: null });
    expect(clean.events).toBeGreaterThan(3);
    const anchor = `anchorPosition=${clean.headPosition}&anchorDigest=${clean.headDigest}`;
    expect((await get(`/v1/audit/verify?${anchor}`)).json().anchor).toMatchObject({ matched: true });

    const db = new Database(t.rawStore.file);
    db.prepare(`UPDATE events SET data = json_set(data, '$.reason', 'rewritten') WHERE stream_id = ? AND type = 'TriageCompleted'`).run(referralId);
    db.close();
    const broken = (await get(`/v1/audit/verify?${anchor}`)).json();
    expect(broken.ok).toBe(false);
    expect(broken.firstBreak).toMatchObject({ kind: 'content-changed', streamId: referralId });
    expect(broken.anchor).toMatchObject({ matched: false });
  });
});
