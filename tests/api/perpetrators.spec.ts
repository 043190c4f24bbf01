/**
 * Serial perpetrators through the API: referrals from two source systems about one man, linked by staff into one
 * person; the ranking (JSON, CSV, pages); his page, justified and logged in each of his referrals' access logs; the
 * tasking list, a decision (once per meeting, on the configuration the meeting saw), and the outcome report. Then the
 * agency dimension: every route refuses staff of a partner agency, whatever their role.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { partyIdFor } from '@hru/workflows';
import { apiKey, bearer, createTestApp, intakeBody, type TestApp } from '../support/test-app.js';
import { eventually } from '../support/eventually.js';

const now = new Date('2026-11-25T12:00:00Z');
let t: TestApp;
let supervisor: string;
let officer: string;
const justify = { 'x-justification': 'tasking meeting preparation' };
const serial = partyIdFor('niche', 'S-SERIAL');
const sameManElsewhere = partyIdFor('athena', 'ATH-77');
const other = partyIdFor('niche', 'S-ONCE');
const referrals: string[] = [];

async function intake(system: 'niche' | 'athena', suspectRef: string, victimRef: string, recordedAt: string, indicators: string[] = [], area = 'Sunderland') {
  const res = await t.app.inject({
    method: 'POST',
    url: '/v1/referrals',
    headers: apiKey(system),
    payload: intakeBody({
      source: { system, crimeReference: `CC/${referrals.length + 1}/${process.pid}`, recordedAt, area },
      suspect: { ref: suspectRef, name: 'Named Suspect' },
      victim: { ref: victimRef, name: 'Named Victim', dateOfBirth: '1990-01-01' },
      indicators,
    }),
  });
  expect(res.statusCode, res.body).toBe(201);
  referrals.push(res.json().referralId);
}

const get = (url: string, token = supervisor, headers: Record<string, string> = {}) => t.app.inject({ method: 'GET', url, headers: { ...bearer(token), ...headers } });
type Item = { partyId: string; referrals: number };
/** The ranking once the read model shows what `ok` waits for (the projection runs behind the commands). */
const listed = (ok: (items: Item[]) => boolean) => eventually(async () => (await get('/v1/perpetrators')).json().items as Item[], ok);
const post = (url: string, payload: object, token = supervisor) => t.app.inject({ method: 'POST', url, headers: bearer(token), payload });

beforeAll(async () => {
  t = await createTestApp({ app: { rateLimitPerMinute: 100_000 }, now: () => now });
  supervisor = await t.token('supervisor', 'sup-1');
  officer = await t.token('officer', 'off-1');
  await intake('niche', 'S-SERIAL', 'V-1', '2026-10-01T10:00:00Z', ['strangulation']);
  await intake('niche', 'S-SERIAL', 'V-2', '2026-11-10T10:00:00Z');
  await intake('athena', 'ATH-77', 'ATH-V-3', '2026-06-01T10:00:00Z');
  await intake('niche', 'S-ONCE', 'V-4', '2026-11-20T10:00:00Z', [], 'Gateshead');
  await listed((items) => items.length === 3);
});
afterAll(async () => t.close());

describe('perpetrators through the API', () => {
  it('ranks by RFG(V), counts victims and names none', async () => {
    const res = await get('/v1/perpetrators');
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json();
    expect(body.asOf).toBe('2026-11-25');
    expect(body.configVersion).toMatch(/^default@[0-9a-f]{10}$/);
    expect(body.items[0]).toMatchObject({ partyId: serial, referrals: 2, distinctVictims: 2 });
    expect(res.body).not.toContain('Named');
  });

  it('filters the ranking and the tasking list by policing area', async () => {
    const inArea = async (url: string) => ((await get(url)).json().items as { partyId: string; areas: string[] }[]);
    expect((await inArea('/v1/perpetrators?area=Gateshead')).map((i) => i.partyId)).toEqual([other]);
    expect((await inArea('/v1/perpetrators?area=Sunderland')).map((i) => i.partyId).sort()).toEqual([serial, sameManElsewhere].sort());
    expect((await inArea('/v1/tasking?meeting=2026-11-25&area=Gateshead')).map((i) => i.partyId)).toEqual([other]);
    expect((await inArea('/v1/perpetrators?area=Gateshead'))[0]!.areas).toEqual(['Gateshead']);
    const bad = await get('/v1/perpetrators?area=%25');
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors[0].path).toBe('/area');
  });

  it('links two party ids as one person, refuses to link them twice, and rescores', async () => {
    const link = await post('/v1/perpetrators/commands/link-parties', { partyId: sameManElsewhere, samePersonAs: serial, reason: 'same date of birth and address' }, officer);
    expect(link.statusCode, link.body).toBe(200);
    expect(link.json()).toMatchObject({ events: ['PartiesLinked'], revision: 0 });
    const again = await post('/v1/perpetrators/commands/link-parties', { partyId: serial, samePersonAs: sameManElsewhere, reason: 'again' }, officer);
    expect(again.statusCode).toBe(409);
    const self = await post('/v1/perpetrators/commands/link-parties', { partyId: serial, samePersonAs: serial, reason: 'self' }, officer);
    expect(self.statusCode).toBe(400);
    expect(self.json().errors[0].path).toBe('/samePersonAs');
    const canonical = serial < sameManElsewhere ? serial : sameManElsewhere;
    const [top] = await listed((items) => items[0]?.referrals === 3);
    expect(top).toMatchObject({ partyId: canonical, referrals: 3, distinctVictims: 3 });
  });

  it('keeps the reason of a link out of the read model and under personal in the log (sealed on disk)', async () => {
    const onDisk = await t.rawStore.readAll();
    const link = onDisk.find((e) => e.type === 'PartiesLinked')!;
    expect(JSON.stringify(link.data)).not.toContain('same date of birth');
    const opened = (await t.store.readStream(link.streamId))[0]!;
    expect((opened.data as { personal: { reason: string } }).personal.reason).toBe('same date of birth and address');
  });

  it('pages the ranking by keyset and gives the meeting pack as CSV', async () => {
    const first = (await get('/v1/perpetrators?limit=1')).json();
    const second = (await get(`/v1/perpetrators?limit=1&cursor=${first.nextCursor}`)).json();
    expect(second.items[0].partyId).not.toBe(first.items[0].partyId);
    expect(second.nextCursor).toBeNull();
    expect((await get('/v1/perpetrators?cursor=bogus')).statusCode).toBe(400);
    const csv = await get('/v1/perpetrators?format=csv');
    expect(csv.headers['content-type']).toContain('text/csv');
    expect(csv.body.split('\r\n')[0]).toBe('partyId,linkedPartyIds,score,recency,frequency,gravity,victims,incidentsInWindow,distinctVictims,referrals,lastIncidentOn,problemBehaviours,areas');
  });

  it('reads a perpetrator’s page only with a justification, logging it in each of his referrals', async () => {
    expect((await get(`/v1/perpetrators/${serial}`)).statusCode).toBe(400);
    const res = await get(`/v1/perpetrators/${sameManElsewhere}`, officer, justify);
    expect(res.statusCode, res.body).toBe(200);
    const page = res.json();
    expect(page.referrals).toHaveLength(3);
    expect(page.distinctVictims).toBe(3);
    expect(page.score.explanation.map((c: { referralId: string }) => c.referralId).sort()).toEqual(referrals.slice(0, 3).sort());
    expect(res.body).not.toContain('Named');
    for (const referralId of referrals.slice(0, 3)) {
      const log = (await get(`/v1/audit/access-log?referralId=${referralId}`, await t.token('auditor'))).json().entries;
      expect(log.filter((e: { resource: string }) => e.resource === 'perpetrator')).toMatchObject([{ justification: 'tasking meeting preparation', partyId: page.partyId }]);
    }
    expect((await get(`/v1/perpetrators/${partyIdFor('niche', 'V-1')}`, officer, justify)).statusCode).toBe(404);
  });

  it('lists the meeting, records one decision per perpetrator on the configuration shown, and reports outcomes', async () => {
    const list = (await get('/v1/tasking?meeting=2026-11-25&limit=5')).json();
    expect(list.previousMeetingOn).toBe('2026-10-28');
    const top = list.items[0];
    expect(top.newIncidentsSinceLastMeeting).toBe(1);
    const decision = {
      meetingOn: '2026-11-25',
      partyId: top.partyId,
      decision: 'adopt',
      reason: 'escalating, strangulation',
      attendees: [{ agency: 'police', count: 2 }, { agency: 'probation', count: 1 }],
      score: top.score,
      configVersion: list.configVersion,
    };
    expect((await post('/v1/tasking/decisions', { ...decision, configVersion: 'old@0000000000' })).statusCode).toBe(409);
    const res = await post('/v1/tasking/decisions', decision);
    expect(res.statusCode, res.body).toBe(200);
    expect((await post('/v1/tasking/decisions', decision)).statusCode).toBe(409);
    expect((await post('/v1/tasking/decisions', { ...decision, partyId: partyIdFor('niche', 'NOBODY') })).statusCode).toBe(404);
    expect((await post('/v1/tasking/decisions', decision, officer)).statusCode).toBe(403);
    await eventually(async () => (await get('/v1/tasking?meeting=2026-11-25')).json().items[0].decision, (d) => d === 'adopt');
    const csv = await get('/v1/tasking?meeting=2026-11-25&format=csv');
    expect(csv.body.split('\r\n')[0]).toContain('newIncidentsSinceLastMeeting,lastDecision,openAlerts,decision');
    const outcomes = (await get('/v1/tasking/outcomes?from=2026-10-01&to=2026-12-31')).json();
    expect(outcomes.groups).toEqual([
      expect.objectContaining({ period: '2026-Q4', decision: 'adopt', perpetrators: 1, reoffended: 0, meanScoreBefore: top.score, stillInFollowUp: 1 }),
    ]);
    expect((await get('/v1/tasking/outcomes?from=2026-12-01&to=2026-01-01')).statusCode).toBe(400);
    const outcomesCsv = (await get('/v1/tasking/outcomes?from=2026-10-01&to=2026-12-31&format=csv')).body.split('\r\n');
    expect(outcomesCsv[0]).toBe('period,decision,perpetrators,reoffended,reoffendedPct,meanScoreBefore,meanScoreAfter,stillInFollowUp');
    expect(outcomesCsv[1]).toMatch(/^2026-Q4,adopt,1,0,0,/);
  });

  it('unlinks, and the two ids count as two people again', async () => {
    const res = await post('/v1/perpetrators/commands/unlink-parties', { partyId: serial, samePersonAs: sameManElsewhere, reason: 'different people after all' });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ events: ['PartiesUnlinked'], revision: 1 });
    const items = await listed((rows) => rows.length === 3 && rows.every((r) => r.referrals < 3));
    expect(items.map((r) => r.partyId)).toEqual(expect.arrayContaining([serial, sameManElsewhere, other]));
    expect((await post('/v1/perpetrators/commands/unlink-parties', { partyId: serial, samePersonAs: sameManElsewhere, reason: 'again' })).statusCode).toBe(409);
  });
});

describe('role × agency matrix of the perpetrator routes', () => {
  const routes: { key: string; method: 'GET' | 'POST'; url: () => string; payload?: object; roles: string[] }[] = [
    { key: 'GET /v1/perpetrators', method: 'GET', url: () => '/v1/perpetrators', roles: ['supervisor', 'officer', 'psychologist', 'clinician', 'victim_advocate', 'probation'] },
    { key: 'GET /v1/perpetrators/:partyId', method: 'GET', url: () => `/v1/perpetrators/${serial}`, roles: ['supervisor', 'officer', 'psychologist', 'clinician', 'victim_advocate', 'probation'] },
    { key: 'GET /v1/tasking', method: 'GET', url: () => '/v1/tasking', roles: ['supervisor', 'officer', 'psychologist', 'clinician', 'victim_advocate', 'probation'] },
    { key: 'GET /v1/tasking/outcomes', method: 'GET', url: () => '/v1/tasking/outcomes?from=2026-01-01&to=2026-12-31', roles: ['supervisor', 'officer', 'auditor'] },
    {
      key: 'POST /v1/perpetrators/commands/link-parties',
      method: 'POST',
      url: () => '/v1/perpetrators/commands/link-parties',
      // Not a valid pair for the owning force either (400), so the matrix changes nothing.
      payload: { partyId: serial, samePersonAs: serial, reason: 'matrix' },
      roles: ['supervisor', 'officer'],
    },
    { key: 'POST /v1/tasking/decisions', method: 'POST', url: () => '/v1/tasking/decisions', payload: {}, roles: ['supervisor'] },
  ];
  const roles = ['supervisor', 'officer', 'psychologist', 'clinician', 'victim_advocate', 'probation', 'auditor', 'data_protection', 'admin'] as const;

  it('admits the route’s roles of the owning force only: other roles 403, partner agencies 403', async () => {
    const failures: string[] = [];
    for (const route of routes) {
      for (const role of roles) {
        for (const agency of ['police', 'probation-service']) {
          const token = await t.token(role, `${role}-${agency}`, agency);
          const res = await t.app.inject({ method: route.method, url: route.url(), headers: { ...bearer(token), ...justify }, ...(route.payload ? { payload: route.payload } : {}) });
          const admitted = route.roles.includes(role) && agency === 'police';
          const ok = admitted ? res.statusCode !== 401 && res.statusCode !== 403 : res.statusCode === 403;
          if (!ok) failures.push(`${route.key} as ${role}@${agency}: ${res.statusCode}`);
        }
      }
    }
    expect(failures).toEqual([]);
  });
});
