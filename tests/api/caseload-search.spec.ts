/**
 * The caseload's filters, keyset pages and context, the queue counts, and the search by a person's name or
 * source reference over the blind index: a justified read, logged per case found, and no clear name in the read models.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { staffRoles } from '@hru/events';
import { partyIdFor } from '@hru/workflows';
import { loadOrCreateBlindIndexKey } from '@hru/infra';
import { OpenedIntakeStore, ProjectionRunner, openReadModels, openedProjections } from '@hru/projections';
import { tempDir } from '../support/temp-dir.js';
import { apiKey, bearer, createTestApp, intakeBody, type TestApp } from '../support/test-app.js';
import { eventually } from '../support/eventually.js';
import { readSseUntil } from '../support/sse.js';

let t: TestApp;
let supervisor: string;
let auditor: string;
const ids: string[] = [];
const crime = `CC/26/${String(process.pid).padStart(6, '0')}`;

beforeAll(async () => {
  t = await createTestApp();
  supervisor = await t.token('supervisor', 'sup-1');
  auditor = await t.token('auditor', 'aud-1');
  const bodies = [
    intakeBody({ victim: { ref: 'P-ZED-1', name: 'Zoë Ångström-Quibble' }, indicators: ['threats_to_kill', 'attending_address'], risk: { dashYesCount: 15 } }, crime),
    intakeBody({ problemBehaviour: 'serial_domestic_abuse' }),
    intakeBody(),
  ];
  for (const body of bodies) {
    const res = await t.app.inject({ method: 'POST', url: '/v1/referrals', headers: apiKey(), payload: body });
    expect(res.statusCode, res.body).toBeLessThan(300);
    ids.push(res.json().referralId);
  }
  await eventually(
    async () => (await t.app.inject({ method: 'GET', url: '/v1/caseload?limit=5000', headers: bearer(supervisor) })).json(),
    (body) => ids.every((id) => body.items.some((i: { referralId: string }) => i.referralId === id)),
  );
  await t.projections.waitUntilCaughtUp();
  // The blind index has a runner of its own (it reads the intake opened): wait for it to index the first case.
  await eventually(
    () => t.readModels.prepare('SELECT count(*) AS n FROM case_search_terms JOIN case_search_people USING (person) WHERE referral_id = ?').get(ids[0]) as { n: number },
    (row) => row.n > 0,
  );
});
afterAll(async () => t.close());

const get = (url: string, token = supervisor, headers: Record<string, string> = {}) => t.app.inject({ method: 'GET', url, headers: { ...bearer(token), ...headers } });

describe('GET /v1/caseload', () => {
  it('finds a case by its crime reference in any case, with its context in words the console can show', async () => {
    const res = await get(`/v1/caseload?crimeReference=${encodeURIComponent(crime.toLowerCase())}`);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().items).toEqual([
      expect.objectContaining({
        referralId: ids[0],
        crimeReference: crime,
        offenceCode: '8/65',
        principalOffence: 'Stalking involving fear of violence',
        dashYesCount: 15,
        indicators: ['threats_to_kill', 'attending_address'],
        stage: 'awaiting_triage',
        targetDays: expect.any(Number),
      }),
    ]);
  });

  it('pages by keyset: every case once, in order, and refuses a forged cursor', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    for (let i = 0; i < 10; i++) {
      const res = await get(`/v1/caseload?limit=1${cursor ? `&cursor=${cursor}` : ''}`);
      expect(res.statusCode, res.body).toBe(200);
      seen.push(...res.json().items.map((r: { referralId: string }) => r.referralId));
      cursor = res.json().nextCursor;
      if (!cursor) break;
    }
    expect(seen).toHaveLength(new Set(seen).size);
    for (const id of ids) expect(seen).toContain(id);
    expect((await get('/v1/caseload?cursor=bm90LWEtY3Vyc29y')).statusCode).toBe(400);
  });

  it('takes a deprecated offset up to its bound and refuses a deeper one with the field and the way on', async () => {
    const first = (await get('/v1/caseload?limit=1')).json().items;
    const second = await get('/v1/caseload?limit=1&offset=1');
    expect(second.statusCode, second.body).toBe(200);
    expect(second.json().items[0]?.referralId).not.toBe(first[0]?.referralId);
    expect((await get('/v1/caseload?limit=1&offset=10000')).statusCode).toBe(200);
    const deep = await get('/v1/caseload?limit=1&offset=10001');
    expect(deep.statusCode).toBe(400);
    expect(deep.headers['content-type']).toContain('application/problem+json');
    expect(deep.json().errors).toEqual([expect.objectContaining({ path: '/offset', message: expect.stringContaining('cursor') })]);
  });

  it('filters by stage, behaviour, owner, urgency, review and deadlines', async () => {
    const sda = (await get('/v1/caseload?problemBehaviour=serial_domestic_abuse&limit=5000')).json().items.map((r: { referralId: string }) => r.referralId);
    expect(sda).toContain(ids[1]);
    expect(sda).not.toContain(ids[0]);
    expect((await get('/v1/caseload?owner=nobody-at-all')).json().items).toEqual([]);
    expect((await get('/v1/caseload?reviewDue=true')).json().items).toEqual([]);
    expect((await get('/v1/caseload?stage=under_management')).json().items).toEqual([]);
    const unassigned = (await get("/v1/caseload?unassigned=true&limit=5000")).json().items;
    expect(unassigned.length).toBeGreaterThanOrEqual(3);
    expect((await get('/v1/caseload?deadlineStatus=overdue')).statusCode).toBe(200);
    expect((await get('/v1/caseload?stage=nowhere')).statusCode).toBe(400);
  });

  it('gives each queue tab its count and each queue row its context', async () => {
    const res = await get('/v1/queues/triage');
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().counts.triage).toBe(res.json().items.length);
    expect(res.json().counts).toMatchObject({ screening: 0, awaiting_case_discussion: 0, reviews_due: 0 });
    expect(res.json().items.find((r: { referralId: string }) => r.referralId === ids[0])).toMatchObject({ crimeReference: crime, dashYesCount: 15 });
  });
});

/** Opens a stream and resolves once the server has answered (its first frame): then reads on until `until`. */
async function openStream(url: string, headers: Record<string, string>) {
  const controller = new AbortController();
  const response = await fetch(url, { headers, signal: controller.signal });
  const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
  let text = (await reader.read()).value ?? '';
  return {
    status: response.status,
    async until(needle: string) {
      while (!text.includes(needle)) {
        const { value, done } = await reader.read();
        if (done) break;
        text += value;
      }
      controller.abort();
      return text;
    },
  };
}

describe('GET /v1/alerts/stream?changes=true', () => {
  it('says which cases change from now on (ids and event type only), once the caseload has applied it; an officer hears alerts of officers only', async () => {
    const address = await t.app.listen({ port: 0, host: '127.0.0.1' });
    const officer = await t.token('officer', 'pc-1');
    const stream = await openStream(`${address}/v1/alerts/stream?after=-1&changes=true`, bearer(officer));
    expect(stream.status).toBe(200);
    // A new urgent case (its alert is the supervisors'), then a quiet one moved on by triage.
    const urgent = (await t.app.inject({ method: 'POST', url: '/v1/referrals', headers: apiKey(), payload: intakeBody({ indicators: ['weapon'] }) })).json().referralId as string;
    const quiet = (await t.app.inject({ method: 'POST', url: '/v1/referrals', headers: apiKey(), payload: intakeBody() })).json().referralId as string;
    const triage = await t.app.inject({ method: 'POST', url: `/v1/referrals/${quiet}/commands/triage`, headers: bearer(officer), payload: { decision: 'proceed', reason: 'stalking' } });
    expect(triage.statusCode, triage.body).toBe(200);
    const text = await stream.until(`{"referralId":"${quiet}","change":"TriageCompleted"}`);
    expect(text).toContain(`event: changed\ndata: {"referralId":"${quiet}","change":"ReferralReceived"}`);
    // The intake alert is the supervisors': the officer hears it only as a change of the case.
    expect(text).toContain(`{"referralId":"${urgent}","change":"UrgentActionRaised"}`);
    expect(text).not.toContain('event: raised');
    // Changes from before the connection are not replayed (the client reads its lists when it connects).
    expect(text).not.toContain(`"referralId":"${ids[1]}"`);
    // By the time a change is sent, the caseload holds it.
    const row = (await get(`/v1/caseload?stage=awaiting_screening&limit=5000`)).json().items.find((r: { referralId: string }) => r.referralId === quiet);
    expect(row).toBeDefined();
    // Without `changes`, the stream is the alerts' alone.
    const plain = await readSseUntil(`${address}/v1/alerts/stream?after=-1`, bearer(supervisor), `"referralId":"${urgent}"`);
    expect(plain.text).toContain('event: raised');
    expect(plain.text).not.toContain('event: changed');
  });
});

describe('GET /v1/caseload/search (blind index)', () => {
  const justified = { 'x-justification': 'Caller named the victim on the phone' };

  it('finds a case by any word of a name, accents and case folded, and by source reference', async () => {
    const byWord = await get('/v1/caseload/search?q=quibble', supervisor, justified);
    expect(byWord.statusCode, byWord.body).toBe(200);
    expect(byWord.json().items.map((r: { referralId: string }) => r.referralId)).toEqual([ids[0]]);
    const folded = await get(`/v1/caseload/search?q=${encodeURIComponent('ZOE angstrom')}`, supervisor, justified);
    expect(folded.json().items.map((r: { referralId: string }) => r.referralId)).toEqual([ids[0]]);
    // Every word must match the same person: a word of the suspect's name with one of the victim's finds nothing.
    expect((await get('/v1/caseload/search?q=zoe%20example', supervisor, justified)).json().items).toEqual([]);
    const byRef = await get('/v1/caseload/search?by=sourceRef&q=p-zed-1', supervisor, justified);
    expect(byRef.json().items.map((r: { referralId: string }) => r.referralId)).toEqual([ids[0]]);
  });

  it('needs a justification, and writes one access-log entry per case found (none holds the words searched)', async () => {
    expect((await get('/v1/caseload/search?q=quibble')).statusCode).toBe(400);
    const res = await get('/v1/caseload/search?q=quibble', supervisor, justified);
    const log = await eventually(
      async () => (await get(`/v1/audit/access-log?referralId=${ids[0]}`, auditor)).json().entries,
      (entries: { requestId: string }[]) => entries.some((e) => e.requestId === res.headers['x-request-id']),
    );
    const entry = log.find((e: { requestId: string }) => e.requestId === res.headers['x-request-id']);
    expect(entry).toMatchObject({ resource: 'case_search', justification: justified['x-justification'], actor: expect.anything() });
    expect(JSON.stringify(log).toLowerCase()).not.toContain('quibble');
  });

  it('is open to the roles that read personal data only', async () => {
    for (const role of staffRoles) {
      const res = await get('/v1/caseload/search?q=quibble', await t.token(role), justified);
      expect([role, res.statusCode]).toEqual([role, ['admin', 'data_protection'].includes(role) ? 403 : 200]);
    }
    expect((await t.app.inject({ method: 'GET', url: '/v1/caseload/search?q=quibble', headers: { ...apiKey(), ...justified } })).statusCode).toBe(403);
  });

  it('keeps no clear name in the read models (the index holds keyed MACs only)', () => {
    t.readModels.pragma('wal_checkpoint(TRUNCATE)');
    const file = readFileSync(t.readModels.name);
    for (const word of ['Quibble', 'quibble', 'Ångström', 'angstrom', 'Zoë', 'P-ZED-1', 'Alex Example']) expect(file.includes(Buffer.from(word, 'utf8')), word).toBe(false);
    const terms = t.readModels.prepare('SELECT count(*) AS n FROM case_search_terms JOIN case_search_people USING (person) WHERE referral_id = ?').get(ids[0]) as { n: number };
    expect(terms.n).toBeGreaterThan(3);
  });

  it('builds the same index live and by a rebuild, both reading the intake opened (and the rest of the log sealed)', async () => {
    const dir = tempDir('hru-case-search-');
    const db = openReadModels(dir.dir);
    const runner = new ProjectionRunner({
      store: new OpenedIntakeStore(t.store),
      db,
      projections: openedProjections({ blindIndexKey: loadOrCreateBlindIndexKey(t.deps.config) }),
    });
    const rows = (from: typeof db) => from.prepare('SELECT hex(mac) AS mac, referral_id, party_id FROM case_search_terms JOIN case_search_people USING (person) ORDER BY mac, referral_id, party_id').all();
    try {
      runner.start();
      await runner.waitUntilCaughtUp();
      const engines = rows(t.readModels);
      expect(rows(db)).toEqual(engines);
      await runner.rebuild();
      expect(rows(db)).toEqual(engines);
      expect(engines.length).toBeGreaterThan(3);
    } finally {
      await runner.stop();
      db.close();
      dir.cleanup();
    }
  });

  it('forgets an erased person: their name and reference find nothing once erased (last: it erases the planted victim)', async () => {
    const partyId = partyIdFor('niche', 'P-ZED-1');
    const erase = await t.app.inject({
      method: 'POST',
      url: `/v1/people/${partyId}/erasure`,
      headers: { ...bearer(await t.token('data_protection')), 'x-justification': 'Erasure request granted' },
    });
    expect(erase.statusCode, erase.body).toBe(200);
    await eventually(
      () => t.readModels.prepare('SELECT count(*) AS n FROM case_search_terms JOIN case_search_people USING (person) WHERE party_id = ?').get(partyId) as { n: number },
      (row) => row.n === 0,
    );
    expect((await get('/v1/caseload/search?q=quibble', supervisor, justified)).json().items).toEqual([]);
    expect((await get('/v1/caseload/search?by=sourceRef&q=P-ZED-1', supervisor, justified)).json().items).toEqual([]);
    // The case itself stays findable by its crime reference (not personal data).
    expect((await get(`/v1/caseload?crimeReference=${encodeURIComponent(crime)}`)).json().items).toHaveLength(1);
  });
});
