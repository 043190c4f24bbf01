/**
 * The reasons staff give for linking two party ids and the tasking meeting's reasons are free text about people:
 * a subject access export includes them, and erasing the person destroys them (and only them: another
 * perpetrator's decision at the same meeting keeps its reason).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { partyLinkStreamFor, taskingStreamFor } from '@hru/events';
import { partyIdFor } from '@hru/workflows';
import { apiKey, bearer, createTestApp, intakeBody, type TestApp } from '../support/test-app.js';
import { eventually } from '../support/eventually.js';

const now = new Date('2026-11-25T12:00:00Z');
let t: TestApp;
const tokens: Record<string, string> = {};
const man = partyIdFor('niche', 'S-ERASE');
const sameMan = partyIdFor('athena', 'ATH-ERASE');
const someoneElse = partyIdFor('niche', 'S-STAYS');
const linkReason = 'Canary-Link-Reason same address';
const decisionReason = 'Canary-Decision-Reason three victims';
const otherReason = 'Canary-Other-Reason stays';

const as = (role: string, extra: Record<string, string> = {}) => ({ ...bearer(tokens[role]!), ...extra });
const justified = (role: string) => as(role, { 'x-justification': 'subject access request 2026/17' });

async function intake(system: 'niche' | 'athena', suspectRef: string, n: number) {
  const res = await t.app.inject({
    method: 'POST',
    url: '/v1/referrals',
    headers: apiKey(system),
    payload: intakeBody({ source: { system, crimeReference: `CC/E${n}/${process.pid}`, recordedAt: '2026-11-01T10:00:00Z' }, suspect: { ref: suspectRef, name: 'Named Suspect' } }),
  });
  expect(res.statusCode, res.body).toBe(201);
}

async function decide(partyId: string, reason: string) {
  const list = (await t.app.inject({ method: 'GET', url: '/v1/tasking?meeting=2026-11-25', headers: as('supervisor') })).json();
  const row = list.items.find((i: { partyId: string }) => i.partyId === partyId);
  const payload = { meetingOn: '2026-11-25', partyId, decision: 'adopt', reason, attendees: [{ agency: 'police', count: 2 }], score: row.score, configVersion: list.configVersion };
  const res = await t.app.inject({ method: 'POST', url: '/v1/tasking/decisions', headers: as('supervisor'), payload });
  expect(res.statusCode, res.body).toBe(200);
}

const reasonIn = async (stream: string) => JSON.stringify((await t.store.readStream(stream)).map((e) => (e.data as { personal?: unknown }).personal));

beforeAll(async () => {
  t = await createTestApp({ app: { rateLimitPerMinute: 100_000 }, now: () => now });
  for (const role of ['supervisor', 'officer', 'data_protection', 'auditor']) tokens[role] = await t.token(role as 'officer', `${role}-1`);
  await intake('niche', 'S-ERASE', 1);
  await intake('athena', 'ATH-ERASE', 2);
  await intake('niche', 'S-STAYS', 3);
  await eventually(async () => (await t.app.inject({ method: 'GET', url: '/v1/perpetrators', headers: as('supervisor') })).json().items.length, (n) => n === 3);
  const link = await t.app.inject({ method: 'POST', url: '/v1/perpetrators/commands/link-parties', headers: as('officer'), payload: { partyId: man, samePersonAs: sameMan, reason: linkReason } });
  expect(link.statusCode, link.body).toBe(200);
  const canonical = man < sameMan ? man : sameMan;
  await eventually(async () => (await t.app.inject({ method: 'GET', url: '/v1/tasking?meeting=2026-11-25', headers: as('supervisor') })).json().items.length, (n) => n === 2);
  await decide(canonical, decisionReason);
  await decide(someoneElse, otherReason);
});
afterAll(async () => t.close());

describe('perpetrator reasons and the person', () => {
  const canonical = () => (man < sameMan ? man : sameMan);

  it('are in the person’s subject access export', async () => {
    const res = await t.app.inject({ method: 'GET', url: `/v1/people/${canonical()}/export`, headers: justified('data_protection') });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.body).toContain(linkReason);
    expect(res.body).toContain(decisionReason);
    expect(res.body).not.toContain(otherReason);
  });

  it('are erased with the person, and nobody else’s are', async () => {
    expect(await reasonIn(partyLinkStreamFor(man, sameMan))).toContain(linkReason);
    expect(await reasonIn(taskingStreamFor('2026-11-25', canonical()))).toContain(decisionReason);
    const res = await t.app.inject({ method: 'POST', url: `/v1/people/${canonical()}/erasure`, headers: justified('data_protection') });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().referralIds).toEqual(expect.arrayContaining([partyLinkStreamFor(man, sameMan), taskingStreamFor('2026-11-25', canonical())]));
    expect(await reasonIn(partyLinkStreamFor(man, sameMan))).not.toContain(linkReason);
    expect(await reasonIn(partyLinkStreamFor(man, sameMan))).toContain('"erased":true');
    expect(await reasonIn(taskingStreamFor('2026-11-25', canonical()))).not.toContain(decisionReason);
    expect(await reasonIn(taskingStreamFor('2026-11-25', someoneElse))).toContain(otherReason);
    // The log still verifies: the ciphertext stays, only its key is gone.
    const verify = await t.app.inject({ method: 'GET', url: '/v1/audit/verify', headers: as('auditor') });
    expect(verify.json(), verify.body).toMatchObject({ ok: true });
  });
});
