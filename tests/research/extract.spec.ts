/**
 * The pseudonymised research extract, through the API and the CLI over the same data dir: canaries planted in every
 * personal or free-text field never reach it (JSON or CSV), pseudonyms are stable per person and differ between
 * people, dates are months, and the period selects cases by the month they were received.
 */
import { statSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { partyIdFor, pseudonymiser } from '@hru/workflows';
import { PersonalDataAccessed } from '@hru/events';
import { loadOrCreatePseudonymKey } from '@hru/infra';
import { researchExtractPageFromModel } from '@hru/projections';
import { bearer, createTestApp, type TestApp } from '../support/test-app.js';
import { finished, spawnTs } from '../support/spawn-ts.js';
import { canary, forbiddenIn, plantCaseload, type PlantedCaseload } from './support/canary-caseload.js';

let t: TestApp;
let planted: PlantedCaseload;
let dpo: string;
const clock = { at: new Date('2026-03-01T00:00:00Z') };
const justified = (token: string) => ({ ...bearer(token), 'x-justification': 'research extract for the 2026 evaluation' });

type Row = Record<string, unknown>;
interface ExtractJson {
  period: { from: string; to: string };
  keyId: string;
  dictionary: { cases: { column: string }[]; interventions: { column: string }[] };
  cases: Row[];
  interventions: Row[];
}

async function extract(query: string): Promise<{ status: number; body: string; headers: Record<string, unknown> }> {
  const res = await t.app.inject({ method: 'GET', url: `/v1/research/extract?${query}`, headers: justified(dpo) });
  return { status: res.statusCode, body: res.body, headers: res.headers };
}

/** What must not be in an extract: every canary, any referral or party id, and any exact date. */
function expectNoPersonalData(text: string): void {
  const lower = text.toLowerCase();
  const leaked = forbiddenIn(planted).filter((s) => lower.includes(s.toLowerCase()));
  expect(leaked).toEqual([]);
  expect(text).not.toMatch(/ref-[0-9a-f]{32}/);
  expect(text).not.toMatch(/pty-[0-9a-f]{24}/);
  expect(text).not.toMatch(/\d{4}-\d{2}-\d{2}/);
  expect(text).not.toMatch(/\d{1,2}\/\d{1,2}\/\d{2,4}/);
}

const hru = (...args: string[]) => finished(spawnTs('services/cli/src/main.ts', args, { HRU_DATA_DIR: t.deps.config.dataDir, EVENTSTORE_URL: '' }));

beforeAll(async () => {
  t = await createTestApp({ now: () => clock.at, app: { rateLimitPerMinute: 100_000 } });
  dpo = await t.token('data_protection', 'dpo-1');
  planted = await plantCaseload(t, clock);
  // The route reads the research read model (issue #20), kept by this process's projector: read it caught up.
  await t.projections.waitUntilCaughtUp();
});
afterAll(async () => t.close());

describe('GET /v1/research/extract', () => {
  let json: ExtractJson;
  beforeAll(async () => {
    const res = await extract('from=2026-03&to=2026-05');
    expect(res.status, res.body).toBe(200);
    json = JSON.parse(res.body) as ExtractJson;
  });

  it('holds one row per case received in the period and one per intervention, with the dictionary for every column', () => {
    expect(json.period).toEqual({ from: '2026-03', to: '2026-05' });
    expect(json.cases).toHaveLength(2); // the July case is outside the period
    expect(json.interventions).toHaveLength(2);
    expect(json.cases.map((c) => c.received_month)).toEqual(['2026-03', '2026-04']);
    for (const row of json.cases) expect(Object.keys(row)).toEqual(json.dictionary.cases.map((e) => e.column));
    for (const row of json.interventions) expect(Object.keys(row)).toEqual(json.dictionary.interventions.map((e) => e.column));
  });

  it('carries the non-personal facts of a worked case, dates as months', () => {
    const worked = json.cases[0]!;
    expect(worked).toMatchObject({
      problem_behaviour: 'stalking',
      principal_offence_code: '8/65',
      included_offence_codes: ['105A'],
      crime_recorded_month: '2026-03', // 23:30 on 28 February at UTC-1
      received_month: '2026-03',
      intake_risk_indicators: ['escalating'],
      intake_dash_yes_count: 6,
      intake_sdash_yes_count: 2,
      triage_decision: 'proceed',
      screening_decision: 'adopt',
      urgent_alerts_raised: 1,
      urgent_alerts_by_intake_rule: 0,
      case_discussions_held: 1,
      formulations: 1,
      stalker_type: 'rejected',
      risk_assessments: 1,
      dash_yes_count: 15,
      sdash_yes_count: 4,
      srp_violence: 'high',
      srp_persistence: 'moderate',
      srp_recurrence: 'high',
      srp_psychosocial_damage: 'low',
      management_plans: 1,
      management_strategies: ['victim_safety_planning', 'therapeutic_intervention'],
      plan_actions_completed: 1,
      services_directed_to: ['mappa'],
      staff_minutes: 90,
      reviews: 1,
      disclosures: 1,
      home_office_outcome_codes: ['1'],
      latest_outcome_month: '2026-06',
      // Closed in March, reopened by the April case about the same perpetrator.
      status: 'open',
      closed_month: null,
      closures: 1,
      reopened_count: 1,
      reopened_by_case_pseudonyms: [json.cases[1]!.case_pseudonym],
      retention_disposed: false,
      erased_parties: 0,
    });
    expect(json.interventions).toEqual([
      { case_pseudonym: worked.case_pseudonym, intervention_kind: 'mappa_support', intervention_month: '2026-04', order_stage: null, mappa_category: 2, mappa_level: 3, advocate_contact_outcome: null },
      { case_pseudonym: worked.case_pseudonym, intervention_kind: 'victim_advocate_contact', intervention_month: '2026-05', order_stage: null, mappa_category: null, mappa_level: null, advocate_contact_outcome: 'engaged' },
    ]);
  });

  it('gives the same person the same pseudonym in every case, and two people different ones', () => {
    const [worked, repeat] = json.cases as [Row, Row];
    expect(worked.perpetrator_pseudonyms).toEqual(repeat.perpetrator_pseudonyms);
    expect(worked.perpetrator_pseudonyms).toEqual([expect.stringMatching(/^p-[0-9a-f]{16}$/)]);
    expect(worked.victim_pseudonyms).toEqual([expect.stringMatching(/^p-[0-9a-f]{16}$/)]);
    expect(worked.victim_pseudonyms).not.toEqual(repeat.victim_pseudonyms);
    expect(worked.victim_pseudonyms).not.toEqual(worked.perpetrator_pseudonyms);
    expect(worked.case_pseudonym).toMatch(/^c-[0-9a-f]{16}$/);
    expect(worked.case_pseudonym).not.toEqual(repeat.case_pseudonym);
  });

  it('follows a victim across the period: the July case has the March victim’s pseudonym', async () => {
    const wide = JSON.parse((await extract('from=2026-01&to=2026-12')).body) as ExtractJson;
    expect(wide.cases).toHaveLength(3);
    expect(wide.cases[2]!.received_month).toBe('2026-07');
    expect(wide.cases[2]!.victim_pseudonyms).toEqual(json.cases[0]!.victim_pseudonyms);
    expect(wide.keyId).toBe(json.keyId);
    const none = JSON.parse((await extract('from=2025-01&to=2026-02')).body) as ExtractJson;
    expect(none.cases).toEqual([]);
  });

  it('lets no canary, id, reference or exact date through, in JSON or CSV', async () => {
    // What the route answers from: the research read model, kept with the engine's pseudonym key.
    const fromModel = researchExtractPageFromModel(t.readModels, { period: { from: '2026-01', to: '2026-12' }, key: loadOrCreatePseudonymKey(t.deps.config), limit: 1_000 });
    expect(fromModel?.cases.length).toBe(3);
    expectNoPersonalData(JSON.stringify(t.readModels.prepare('SELECT * FROM research_cases').all()));
    const json = await extract('from=2026-01&to=2026-12');
    // Written as plain JSON (not through the reply schema's check, which cost more than the read): still JSON.
    expect(json.headers['content-type']).toBe('application/json; charset=utf-8');
    const body = json.body;
    expectNoPersonalData(body);
    const csv = await extract('from=2026-01&to=2026-12&format=csv');
    expect(csv.status).toBe(200);
    expect(csv.headers['content-type']).toBe('text/csv; charset=utf-8');
    expectNoPersonalData(csv.body);
    // The planting works: the case the extract was read from does hold the canaries (read as staff, justified).
    const read = await t.app.inject({ method: 'GET', url: `/v1/referrals/${planted.worked}`, headers: justified(await t.token('supervisor')) });
    expect(read.statusCode).toBe(200);
    for (const text of [canary.victimName, canary.dateOfBirth, canary.summary, canary.text('triage'), canary.crimeReferences[0]!]) expect(read.body).toContain(text);
  });

  it('writes CSV as one RFC 4180 table with a row_type column', async () => {
    const csv = (await extract('from=2026-03&to=2026-05&format=csv')).body;
    const lines = csv.split('\r\n');
    expect(lines.at(-1)).toBe('');
    const header = lines[0]!.split(',');
    expect(header[0]).toBe('row_type');
    expect(header).toContain('case_pseudonym');
    expect(header).toContain('intervention_kind');
    expect(header.filter((h) => h === 'case_pseudonym')).toHaveLength(1);
    const rows = lines.slice(1, -1).map((l) => l.split(','));
    expect(rows.map((r) => r[0])).toEqual(['case', 'case', 'intervention', 'intervention']);
    for (const row of rows) expect(row).toHaveLength(header.length);
    const at = (row: string[], column: string) => row[header.indexOf(column)];
    expect(at(rows[0]!, 'management_strategies')).toBe('victim_safety_planning;therapeutic_intervention');
    expect(at(rows[2]!, 'intervention_kind')).toBe('mappa_support');
    expect(at(rows[2]!, 'case_pseudonym')).toBe(at(rows[0]!, 'case_pseudonym'));
    expect(at(rows[2]!, 'received_month')).toBe('');
  });

  it('logs each extract across referrals before it leaves', async () => {
    const before = await t.store.readAll({ filter: { eventTypes: [PersonalDataAccessed.type] } });
    const res = await extract('from=2026-03&to=2026-03');
    expect(res.status).toBe(200);
    const after = await t.store.readAll({ filter: { eventTypes: [PersonalDataAccessed.type] } });
    expect(after).toHaveLength(before.length + 1);
    const entry = after.at(-1)!;
    expect(entry.data).toMatchObject({ referralId: '*', resource: 'research_extract', kind: 'consultation', justification: 'research extract for the 2026 evaluation', requestId: res.headers['x-request-id'] });
    expect(entry.metadata.actor).toMatchObject({ kind: 'person', sub: 'dpo-1' });
  });
});

describe('who may draw it, and what is refused', () => {
  it('admits the data protection role only, with a justification', async () => {
    for (const role of ['supervisor', 'auditor', 'admin', 'officer', 'psychologist'] as const) {
      const res = await t.app.inject({ method: 'GET', url: '/v1/research/extract?from=2026-03&to=2026-05', headers: justified(await t.token(role)) });
      expect(res.statusCode, role).toBe(403);
    }
    expect((await t.app.inject({ method: 'GET', url: '/v1/research/extract?from=2026-03&to=2026-05' })).statusCode).toBe(401);
    const unjustified = await t.app.inject({ method: 'GET', url: '/v1/research/extract?from=2026-03&to=2026-05', headers: bearer(dpo) });
    expect(unjustified.statusCode).toBe(400);
    expect(unjustified.json().errors).toEqual([expect.objectContaining({ path: '/x-justification', in: 'headers' })]);
  });

  it.each([
    ['from=2026-05&to=2026-03', '/to', '`from` must not be after `to`'],
    ['from=2016-01&to=2026-01', '/to', 'at most 10 years'],
    ['from=2026-13&to=2026-14', '/from', 'YYYY-MM'],
    ['from=2026-03-01&to=2026-05', '/from', 'YYYY-MM'],
    ['to=2026-05', '/from', ''],
    ['from=2026-03&to=2026-05&format=xlsx', '/format', ''],
  ])('answers 400 problem+json naming the field for %s', async (query, path, message) => {
    const res = await extract(query);
    expect(res.status, res.body).toBe(400);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    const errors = JSON.parse(res.body).errors as { path: string; message: string; in: string }[];
    expect(errors).toContainEqual(expect.objectContaining({ path, in: 'querystring', message: expect.stringContaining(message) }));
  });

  it('answers the same bytes from the log as from its read model (another key\'s model, or none, reads the log)', async () => {
    const query = 'from=2026-01&to=2026-12&limit=2';
    const fromModel = await extract(query);
    const made = t.readModels.prepare('SELECT key_id FROM research_key').pluck().get() as string;
    // The model now says its rows were made with another key: the route must read the log and stringify its page.
    t.readModels.prepare('UPDATE research_key SET key_id = ?').run('another key');
    try {
      const fromLog = await extract(query);
      expect(fromLog.status).toBe(200);
      expect(fromLog.body).toBe(fromModel.body);
      expect(JSON.parse(fromLog.body).nextCursor).not.toBeNull();
    } finally {
      t.readModels.prepare('UPDATE research_key SET key_id = ?').run(made);
    }
  });

  it('takes 120 months but not 121', async () => {
    expect((await extract('from=2017-01&to=2026-12')).status).toBe(200);
    expect((await extract('from=2016-12&to=2026-12')).status).toBe(400);
  });
});

describe('hru research extract', () => {
  it('writes the same extract as the API, to a 0600 file, in the format of the extension, and logs the read', async () => {
    // The API's page (here the only one) says there is no next; the CLI writes the whole extract, pages joined.
    const { nextCursor, ...api } = JSON.parse((await extract('from=2026-01&to=2026-12')).body) as ExtractJson & { nextCursor: string | null };
    expect(nextCursor).toBeNull();
    const apiCsv = (await extract('from=2026-01&to=2026-12&format=csv')).body;
    const dir = t.deps.config.dataDir;
    const jsonFile = join(dir, '..', `extract-${process.pid}.json`);
    const csvFile = join(dir, '..', `extract-${process.pid}.csv`);
    const before = (await t.store.readAll({ filter: { eventTypes: [PersonalDataAccessed.type] } })).length;

    const out = await hru('research', 'extract', '--from', '2026-01', '--to', '2026-12', '--out', jsonFile, '--justification', 'cohort study 2026');
    expect(out.code, out.stderr).toBe(0);
    expect(out.stdout).toContain('3 cases received 2026-01 to 2026-12 and 2 interventions');
    const cli = JSON.parse(readFileSync(jsonFile, 'utf8')) as ExtractJson;
    expect(cli).toEqual(api);
    expect(statSync(jsonFile).mode & 0o777).toBe(0o600);
    expectNoPersonalData(readFileSync(jsonFile, 'utf8'));

    const csvOut = await hru('research', 'extract', '--from', '2026-01', '--to', '2026-12', '--out', csvFile, '--justification', 'cohort study 2026');
    expect(csvOut.code, csvOut.stderr).toBe(0);
    expect(readFileSync(csvFile, 'utf8')).toBe(apiCsv);
    expect(statSync(csvFile).mode & 0o777).toBe(0o600);
    expectNoPersonalData(readFileSync(csvFile, 'utf8'));

    const log = await t.store.readAll({ filter: { eventTypes: [PersonalDataAccessed.type] } });
    expect(log.slice(before).map((e) => e.data)).toEqual([
      expect.objectContaining({ referralId: '*', resource: 'research_extract', justification: 'cohort study 2026' }),
      expect.objectContaining({ referralId: '*', resource: 'research_extract', justification: 'cohort study 2026' }),
    ]);
  });

  it('refuses bad arguments with what is wrong, and writes nothing', async () => {
    const file = join(t.deps.config.dataDir, '..', `refused-${process.pid}.txt`);
    const out = await hru('research', 'extract', '--from', '2026-05', '--to', '2026-03', '--out', file);
    expect(out.code).toBe(1);
    expect(out.stderr).toContain('--to: `from` must not be after `to`');
    expect(out.stderr).toContain('--format csv|json, or a FILE ending .csv or .json');
    expect(out.stderr).toContain('--justification');
    expect(() => statSync(file)).toThrow();
  });
});

describe('the pseudonym key', () => {
  it('is the configured HRU_PSEUDONYM_KEY: the same key gives the same pseudonyms, another key other ones', async () => {
    const key = Buffer.alloc(32, 7);
    const other = await createTestApp({ now: () => clock.at, env: { HRU_PSEUDONYM_KEY: key.toString('base64') } });
    try {
      await plantCaseload(other, clock);
      const res = await other.app.inject({ method: 'GET', url: '/v1/research/extract?from=2026-03&to=2026-05', headers: justified(await other.token('data_protection')) });
      const configured = res.json() as ExtractJson;
      const expected = pseudonymiser(key);
      expect(configured.cases[0]!.perpetrator_pseudonyms).toEqual([expected.person(partyIdFor('niche', canary.suspectRef))]);
      expect(configured.keyId).toBe(expected.keyId);
      // The first app generated its own key into its data dir: the same person has another pseudonym there.
      const generated = JSON.parse((await extract('from=2026-03&to=2026-05')).body) as ExtractJson;
      expect(generated.cases[0]!.perpetrator_pseudonyms).not.toEqual(configured.cases[0]!.perpetrator_pseudonyms);
      expect(generated.keyId).not.toBe(configured.keyId);
    } finally {
      await other.close();
    }
  });

  it('was generated into the data dir on first start, readable by this user only', () => {
    const file = join(t.deps.config.dataDir, 'pseudonym-key');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(Buffer.from(readFileSync(file, 'utf8').trim(), 'base64').length).toBeGreaterThanOrEqual(32);
    expect(readFileSync(file, 'utf8')).not.toBe(readFileSync(join(t.deps.config.dataDir, 'chain-key'), 'utf8'));
  });
});
