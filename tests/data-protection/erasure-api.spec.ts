/**
 * Erasure and subject access through the HTTP stack: a person's data reads clear until the data protection officer
 * erases them; then every read path shows them erased, the other person stays, the chains verify, and the erasure is
 * in the access log. The export gives everything held about the person, with every read of it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { partyIdFor } from '@hru/workflows';
import { apiKey, bearer, createTestApp, intakeBody, type TestApp } from '../support/test-app.js';

let t: TestApp;
let referralId: string;
const tokens: Record<string, string> = {};
const victimRef = `V-${process.pid}-erase`;
const victimId = partyIdFor('niche', victimRef);
const suspectId = partyIdFor('niche', 'P-2002');
const justified = (role: string) => ({ ...bearer(tokens[role]!), 'x-justification': `${role}: subject request DP-17` });
const get = (url: string, role: string) => t.app.inject({ method: 'GET', url, headers: justified(role) });
const erase = (partyId: string, headers: Record<string, string>) => t.app.inject({ method: 'POST', url: `/v1/people/${partyId}/erasure`, headers });

type Person = { partyId: string; name?: string; sourceRef?: string; erased?: boolean };
const peopleOf = (body: { personal: { people: Person[] } }) => body.personal.people;

beforeAll(async () => {
  t = await createTestApp({ app: { rateLimitPerMinute: 100_000 } });
  for (const role of ['data_protection', 'officer', 'auditor']) tokens[role] = await t.token(role as 'officer', `${role}-1`);
  const body = intakeBody({ victim: { ref: victimRef, name: 'Canary Erasable', dateOfBirth: '1979-02-03' }, summary: 'Canary narrative about the victim' });
  referralId = (await t.app.inject({ method: 'POST', url: '/v1/referrals', headers: apiKey(), payload: body })).json().referralId;
});
afterAll(async () => t.close());

describe('subject access and erasure', () => {
  it('refuses without a justification, for other roles, and for an unknown person', async () => {
    expect((await erase(victimId, bearer(tokens.data_protection!))).statusCode).toBe(400);
    expect((await erase(victimId, justified('officer'))).statusCode).toBe(403);
    expect((await erase('pty-000000000000000000000000', justified('data_protection'))).statusCode).toBe(404);
    expect((await erase('not-a-party', justified('data_protection'))).statusCode).toBe(400);
    expect((await get(`/v1/people/${victimId}/export`, 'officer')).statusCode).toBe(403);
  });

  it('exports everything held about the person before erasure, with every read of it', async () => {
    expect((await get(`/v1/referrals/${referralId}`, 'officer')).statusCode).toBe(200);
    const res = await get(`/v1/people/${victimId}/export`, 'data_protection');
    expect(res.statusCode, res.body).toBe(200);
    const report = res.json();
    expect(report.cases).toHaveLength(1);
    expect(report.cases[0]).toMatchObject({ referralId, category: 'victim', details: [{ person: { partyId: victimId, name: 'Canary Erasable', dateOfBirth: '1979-02-03' } }] });
    // The other person's details are not the requester's data.
    expect(JSON.stringify(report)).not.toContain('Sam Example');
    expect(report.accessLog.map((e: { kind: string; resource: string }) => `${e.kind}:${e.resource}`)).toEqual(['consultation:referral', 'consultation:person']);
    const csv = await t.app.inject({ method: 'GET', url: `/v1/people/${victimId}/export?format=csv`, headers: justified('data_protection') });
    expect(csv.headers['content-type']).toContain('text/csv');
    expect(csv.body).toContain('Canary Erasable');
  });

  it('erases the person on every read path; the other person stays; the chains verify; the erasure is logged', async () => {
    const res = await erase(victimId, justified('data_protection'));
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ partyId: victimId, referralIds: [referralId] });
    expect(res.json().keysDestroyed).toBeGreaterThanOrEqual(2);

    const referralRes = await get(`/v1/referrals/${referralId}`, "officer");
    expect(referralRes.statusCode, referralRes.body).toBe(200);
    const referral = referralRes.json();
    expect(peopleOf(referral)).toEqual([{ partyId: victimId, erased: true }, { partyId: suspectId, name: 'Sam Example', sourceRef: 'P-2002' }]);
    // The case's free text is erased with the person, and their source reference (a detail of theirs) with them.
    expect(referral.personal).toMatchObject({ erased: true });
    expect(JSON.stringify(referral)).not.toContain('Canary');
    expect(JSON.stringify(referral)).not.toContain(victimRef);

    const history = await get(`/v1/referrals/${referralId}/history`, 'auditor');
    expect(history.statusCode).toBe(200);
    expect(history.body).not.toContain('Canary');
    expect(history.body).not.toContain(victimRef);
    expect(history.json().events.map((e: { type: string }) => e.type)).toContain('PartyErased');

    const state = await get(`/v1/referrals/${referralId}/state?revision=0`, 'auditor');
    expect(state.statusCode, state.body).toBe(200);
    expect(state.body).not.toContain('Canary');

    expect((await get('/v1/audit/verify', 'auditor')).json()).toMatchObject({ ok: true });
    const log = (await get(`/v1/audit/access-log`, 'auditor')).json();
    expect(log.entries.filter((e: { kind: string }) => e.kind === 'erasure')).toMatchObject([{ partyId: victimId, resource: 'person', referralId }]);

    const after = (await get(`/v1/people/${victimId}/export`, 'data_protection')).json();
    expect(after.cases[0].details.at(-1).person).toEqual({ partyId: victimId, erased: true });
    expect(JSON.stringify(after)).not.toContain('Canary');

    // Again: nothing left to destroy, and the answer says so.
    expect((await erase(victimId, justified('data_protection'))).json()).toMatchObject({ keysDestroyed: 0 });
  });
});
