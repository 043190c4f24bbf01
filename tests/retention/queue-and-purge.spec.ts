/**
 * The retention queue and disposal through the API (and `hru retention due`): a closed case falls due when its
 * group's period has run from its closure; a retain moves the date; a disposal takes the case out of the queue,
 * the caseload and the alerts, and leaves the statistics as they were.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiKey, bearer, createTestApp, intakeBody, type TestApp } from '../support/test-app.js';
import { eventually } from '../support/eventually.js';
import { finished, spawnTs } from '../support/spawn-ts.js';

let t: TestApp;
let clock = new Date('2026-12-01T09:00:00Z');
let dpo: string;
let supervisor: string;
let stalking: string; // group 2: due 10 years after closure
let querulance: string; // group 3: due 6 years after closure
let open: string; // never due while open

const get = (url: string, token = dpo) => t.app.inject({ method: 'GET', url, headers: { ...bearer(token), 'x-justification': 'retention spec' } });
async function send(id: string, name: string, payload: object, token = supervisor) {
  const res = await t.app.inject({ method: 'POST', url: `/v1/referrals/${id}/commands/${name}`, headers: bearer(token), payload });
  expect(res.statusCode, res.body).toBe(200);
  return res.json();
}
const intake = async (overrides: Record<string, unknown> = {}) =>
  (await t.app.inject({ method: 'POST', url: '/v1/referrals', headers: apiKey(), payload: intakeBody(overrides) })).json().referralId as string;
const dueOn = async (on: string) => (await get(`/v1/retention/due?on=${on}`)).json().items as { referralId: string; mopiGroup: number; reviewDue: string; lastDecision: string | null }[];
const ids = (items: { referralId: string }[]) => items.map((i) => i.referralId).filter((id) => [stalking, querulance, open].includes(id));
/** Waits until the projections have taken in everything appended so far. */
const caughtUp = () => t.projections.waitUntilCaughtUp();

beforeAll(async () => {
  t = await createTestApp({ now: () => clock });
  dpo = await t.token('data_protection', 'dpo-1');
  supervisor = await t.token('supervisor');
  stalking = await intake();
  querulance = await intake({ problemBehaviour: 'querulance', indicators: [] });
  open = await intake();
  // The querulance case counts in every statistic: an urgent action (acknowledged, resolved with the closure), advice
  // with an SPO advised (a headline figure, and the start of its re-offending follow-up), staff time, a crime outcome.
  const raised = await send(querulance, 'raise-urgent-action', { reason: 'Threatening letters to the council' });
  expect(raised.events).toContain('UrgentActionRaised');
  await send(querulance, 'acknowledge-urgent-action', { alertId: `${querulance}.ua1`, note: 'seen' });
  await send(querulance, 'record-crime-outcome', { crimeReference: 'CC/RET/1', outcomeCode: '1', outcomeDate: '2026-12-01' });
  await send(querulance, 'triage', { decision: 'proceed', reason: 'fixated on officials' });
  await send(querulance, 'screen', { decision: 'advice_only', reason: 'advice to the officer in the case' });
  await send(querulance, 'record-intervention', { intervention: { kind: 'spo_advised' }, occurredOn: '2026-12-01' });
  await send(querulance, 'log-time', { agency: 'police', minutes: 90, activity: 'case review' });
  await send(querulance, 'record-advice', { advice: 'Consider a stalking protection order' });
  await send(querulance, 'close', { reason: 'advice given' });
  await send(stalking, 'triage', { decision: 'out_of_scope', reason: 'not for the unit' });
  await caughtUp();
});
afterAll(async () => t.close());

describe('the retention queue', () => {
  it('lists a closed case once its group’s period has run from its closure, never an open one', async () => {
    expect(ids(await dueOn('2032-11-30'))).toEqual([]);
    expect(await dueOn('2032-12-01')).toEqual(
      expect.arrayContaining([{ referralId: querulance, mopiGroup: 3, reviewDue: '2032-12-01', closedOn: '2026-12-01', lastDecision: null, lastReviewedOn: null }]),
    );
    expect(ids(await dueOn('2032-12-01'))).toEqual([querulance]);
    const later = await dueOn('2036-12-01');
    expect(ids(later)).toEqual([querulance, stalking]); // the longest overdue first
    expect(later.find((i) => i.referralId === stalking)).toMatchObject({ mopiGroup: 2, reviewDue: '2036-12-01' });
    // Supervisors see the queue; it is a list of ids, groups and dates (no personal data).
    const bySupervisor = await get('/v1/retention/due?on=2036-12-01', supervisor);
    expect(bySupervisor.statusCode).toBe(200);
    expect(bySupervisor.body).not.toContain('Alex Example');
    const csv = await get('/v1/retention/due?on=2036-12-01&format=csv');
    expect(csv.headers['content-type']).toContain('text/csv');
    expect(csv.body.split('\r\n')[0]).toBe('referralId,mopiGroup,reviewDue,closedOn,lastDecision,lastReviewedOn');
    expect((await get('/v1/retention/due?on=31-12-2036')).statusCode).toBe(400);
  });

  it('moves a retained case to its next review date (by default the group’s period from the review)', async () => {
    clock = new Date('2036-12-05T10:00:00Z');
    const reviewed = await send(stalking, 'review-retention', { decision: 'retain', reason: 'Suspect re-offended elsewhere' }, dpo);
    expect(reviewed.events).toEqual(['RetentionReviewed']);
    await caughtUp();
    expect(ids(await dueOn('2046-12-04'))).toEqual([querulance]);
    expect((await dueOn('2046-12-05')).find((i) => i.referralId === stalking)).toMatchObject({ reviewDue: '2046-12-05', lastDecision: 'retain', lastReviewedOn: '2036-12-05' });
  });

  it('is what `hru retention due` prints from the same read models', async () => {
    const run = (...args: string[]) =>
      finished(spawnTs('services/cli/src/main.ts', ['retention', 'due', ...args], { HRU_DATA_DIR: t.deps.config.dataDir, EVENTSTORE_URL: '' }));
    const json = await run('--on', '2046-12-05', '--json');
    expect(json.code, json.stderr).toBe(0);
    const printed = JSON.parse(json.stdout) as { on: string; due: { referralId: string }[] };
    expect(printed.on).toBe('2046-12-05');
    expect(printed.due).toEqual(await dueOn('2046-12-05'));
    const text = await run('--on', '2032-12-01');
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toMatch(new RegExp(`${querulance}\\s+group 3\\s+due 2032-12-01`));
    const bad = await run('--on', 'tomorrow');
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('--on is a date');
  }, 60_000);
});

describe('disposal', () => {
  it('purges the case from the queue, the caseload and the alerts, and leaves the statistics as they were', async () => {
    const period = 'from=2026-01-01&to=2036-12-31';
    const statistics = async () => ({
      headline: (await get(`/v1/stats/headline?${period}`, supervisor)).json(),
      outcomes: (await get(`/v1/stats/outcomes?${period}`, supervisor)).json(),
      reoffending: (await get(`/v1/stats/reoffending?${period}`, supervisor)).json(),
      valueForMoney: (await get(`/v1/stats/value-for-money?${period}`, supervisor)).json(),
    });
    const caseload = async () => ((await get('/v1/caseload?includeClosed=true', supervisor)).json().items as { referralId: string }[]).map((i) => i.referralId);
    const alerts = async () => JSON.stringify((await get('/v1/alerts?status=all', supervisor)).json());
    clock = new Date('2036-12-06T10:00:00Z'); // figures are read as of the API clock: the same before and after
    const before = await statistics();
    expect(before.outcomes.overall.crimes).toBe(1);
    expect(before.headline.spoAdvised).toBe(1);
    expect(before.reoffending.members.map((m: { referralId: string }) => m.referralId)).toContain(querulance);
    expect(before.valueForMoney.costOfIntervention).toBeGreaterThan(0);
    expect(await caseload()).toEqual(expect.arrayContaining([stalking, querulance, open]));
    expect(await alerts()).toContain(querulance);

    await send(querulance, 'review-retention', { decision: 'dispose', reason: 'No policing purpose after six clear years' }, dpo);
    await caughtUp();

    expect(await caseload()).not.toContain(querulance);
    expect(await caseload()).toEqual(expect.arrayContaining([stalking, open]));
    expect(await alerts()).not.toContain(querulance);
    expect(ids(await dueOn('2099-12-31'))).toEqual([stalking]);
    expect(await statistics()).toEqual(before);
    // The stream keeps its non-personal facts: the referral still answers, its people erased, no command offered.
    const state = await get(`/v1/referrals/${querulance}`, supervisor);
    expect(state.statusCode).toBe(200);
    expect(state.json()).toMatchObject({ stage: 'closed', retention: { decision: 'dispose', mopiGroup: 3 }, availableToYou: [] });
    // Only an escalation timer's command is still accepted: for its resolved alert it appends nothing.
    expect(state.json().allowedCommands).toEqual(['escalate-urgent-action']);
    expect(state.json().personal.people.every((p: { erased?: boolean }) => p.erased === true)).toBe(true);
  });
});
