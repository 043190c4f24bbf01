/**
 * The `review-retention` command: retain (with a next review date, by default from the MoPI table) or dispose
 * (naming every party), only on closed cases, only by data protection; over the decider, then over HTTP.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { partyIdFor, decide, defaultIntakeRules, defaultRetentionTable, type CommandEvent } from '@hru/workflows';
import { allowedCommands } from '@hru/workflows';
import { given, history, NOW, options } from '../workflows/support/decider-spec.js';
import { close, receive, screen, toManagement, triage } from '../workflows/support/referral-commands.js';
import { apiKey, bearer, createTestApp, intakeBody, type TestApp } from '../support/test-app.js';

const retain = (extra: Record<string, unknown> = {}) => ({ name: 'review-retention' as const, payload: { decision: 'retain', reason: 'Risk to the victim remains', ...extra } });
const dispose = () => ({ name: 'review-retention' as const, payload: { decision: 'dispose', reason: 'No policing purpose remains' } });

// The shared intake body: stalking (MoPI group 2), a victim and a suspect of the niche system.
const closedStalking = history(receive(), triage('not_stalking'));
const victim = partyIdFor('niche', 'P-1001');
const suspect = partyIdFor('niche', 'P-2002');

describe('review-retention (decider)', () => {
  it('retains until the group’s period from today when no date is given (stalking: group 2, 10 years)', () => {
    given(closedStalking).when(retain()).then({
      type: 'RetentionReviewed',
      data: { decision: 'retain', mopiGroup: 2, nextReviewDue: '2036-11-20', disposedParties: [], personal: { reason: 'Risk to the victim remains' } },
    });
  });

  it('retains until the date given, which must fall after today', () => {
    given(closedStalking).when(retain({ nextReviewDue: '2030-01-31' })).then({ type: 'RetentionReviewed', data: { nextReviewDue: '2030-01-31' } });
    given(closedStalking).when(retain({ nextReviewDue: NOW.slice(0, 10) })).thenRejected('CommandNotAllowedError', /after today/);
  });

  it('disposes, naming every party of the case, after which the case takes no command at all', () => {
    const [disposed] = given(closedStalking).when(dispose()).then({ type: 'RetentionReviewed', data: { decision: 'dispose', mopiGroup: 2, nextReviewDue: null } });
    expect([...(disposed!.data as { disposedParties: string[] }).disposedParties].sort()).toEqual([victim, suspect].sort());
    const after = given([...closedStalking, disposed!]);
    expect(allowedCommands(after.snapshot)).toEqual([]);
    after.when(retain()).thenRejected('CommandNotAllowedError');
    after.when({ name: 'reopen', payload: { linkedReferralId: 'ref-00000000000000000000000000000001', reason: 'new crime' } }).thenRejected('CommandNotAllowedError');
    after.when(receive()).thenRejected('CommandNotAllowedError');
    // The folded state reads the people as erased, as the store will once their keys are gone.
    expect(after.snapshot.context.personal.people.every((p) => 'erased' in p)).toBe(true);
    expect(after.snapshot.context.retention).toMatchObject({ decision: 'dispose', mopiGroup: 2, nextReviewDue: null });
  });

  it('does not dispose of a group 1 case (public protection: kept until the subject is deemed 100), but retains it', () => {
    const sexualViolence = history(receive({ problemBehaviour: 'sexual_violence' }), triage('out_of_scope'));
    given(sexualViolence).when(dispose()).thenRejected('CommandNotAllowedError', /group 1/);
    given(sexualViolence).when(retain()).then({ type: 'RetentionReviewed', data: { mopiGroup: 1, nextReviewDue: '2036-11-20' } });
  });

  it('reads the group and period from the configured table', () => {
    const snapshot = given(history(receive({ problemBehaviour: 'querulance', indicators: [] }), triage('out_of_scope'))).snapshot;
    const decideWith = (table: typeof defaultRetentionTable) =>
      decide(snapshot, {
        type: 'review-retention',
        payload: { decision: 'retain', reason: 'r' },
        meta: { now: NOW, options: { intakeRules: defaultIntakeRules, alertAckSlaMs: options.alertAckSlaMs, maxEscalationLevel: 3, retentionTable: table } },
      } as CommandEvent);
    expect(decideWith(defaultRetentionTable)[0]!.data).toMatchObject({ mopiGroup: 3, nextReviewDue: '2032-11-20' });
    expect(decideWith({ ...defaultRetentionTable, reviewYears: { '1': 10, '2': 10, '3': 3 } })[0]!.data).toMatchObject({ mopiGroup: 3, nextReviewDue: '2029-11-20' });
  });

  it('is not offered on an open case: the clear period starts at closure', () => {
    for (const open of [history(receive()), history(receive(), triage('proceed'), screen('advice_only')), history(...toManagement)]) {
      expect(allowedCommands(given(open).snapshot)).not.toContain('review-retention');
      given(open).when(retain()).thenRejected('CommandNotAllowedError');
    }
    const reviewed = history(...toManagement, close(), retain());
    expect(reviewed.at(-1)!.type).toBe('RetentionReviewed');
  });
});

describe('POST /v1/referrals/:id/commands/review-retention', () => {
  let t: TestApp;
  let dpo: string;
  let supervisor: string;

  beforeAll(async () => {
    t = await createTestApp({ now: () => new Date('2026-12-01T09:00:00Z') });
    dpo = await t.token('data_protection', 'dpo-1');
    supervisor = await t.token('supervisor');
  });
  afterAll(async () => t.close());

  const intake = async () => (await t.app.inject({ method: 'POST', url: '/v1/referrals', headers: apiKey(), payload: intakeBody() })).json().referralId as string;
  const send = (id: string, name: string, payload: object, token: string) =>
    t.app.inject({ method: 'POST', url: `/v1/referrals/${id}/commands/${name}`, headers: bearer(token), payload });
  const closeIt = async (id: string) => expect((await send(id, 'triage', { decision: 'out_of_scope', reason: 'not for the unit' }, supervisor)).statusCode).toBe(200);

  it('lets the data protection officer retain and dispose of a closed case (reading none of it)', async () => {
    const id = await intake();
    await closeIt(id);
    const retained = await send(id, 'review-retention', { decision: 'retain', reason: 'risk remains' }, dpo);
    expect(retained.statusCode, retained.body).toBe(200);
    expect(retained.json()).toMatchObject({ stage: 'closed', events: ['RetentionReviewed'], allowedCommands: expect.arrayContaining(['review-retention']) });
    const disposed = await send(id, 'review-retention', { decision: 'dispose', reason: 'no policing purpose' }, dpo);
    expect(disposed.statusCode, disposed.body).toBe(200);
    expect(disposed.json()).toMatchObject({ events: ['RetentionReviewed'], allowedCommands: [] });
    // The officer still cannot read the case through the caseworkers' route.
    expect((await t.app.inject({ method: 'GET', url: `/v1/referrals/${id}`, headers: { ...bearer(dpo), 'x-justification': 'retention review' } })).statusCode).toBe(403);
  });

  it('decides with HRU_RETENTION_TABLE, as the queue reads it', async () => {
    const table = { ...defaultRetentionTable, reviewYears: { '1': 10, '2': 4, '3': 6 } };
    const configured = await createTestApp({ now: () => new Date('2026-12-01T09:00:00Z'), env: { HRU_RETENTION_TABLE: JSON.stringify(table) } });
    try {
      const id = (await configured.app.inject({ method: 'POST', url: '/v1/referrals', headers: apiKey(), payload: intakeBody() })).json().referralId as string;
      const as = async (role: 'supervisor' | 'data_protection') => bearer(await configured.token(role, `${role}-2`));
      const closed = await configured.app.inject({ method: 'POST', url: `/v1/referrals/${id}/commands/triage`, headers: await as('supervisor'), payload: { decision: 'out_of_scope', reason: 'x' } });
      expect(closed.statusCode).toBe(200);
      const retained = await configured.app.inject({ method: 'POST', url: `/v1/referrals/${id}/commands/review-retention`, headers: await as('data_protection'), payload: { decision: 'retain', reason: 'risk remains' } });
      expect(retained.statusCode, retained.body).toBe(200);
      // Stalking is group 2: four years from today under this table (ten under the default).
      const [stored] = (await configured.store.readStream(id)).filter((e) => e.type === 'RetentionReviewed');
      expect(stored!.data).toMatchObject({ mopiGroup: 2, nextReviewDue: '2030-12-01' });
    } finally {
      await configured.close();
    }
  });

  it('refuses every other role with 403, and a data protection officer of a partner agency with 404', async () => {
    const id = await intake();
    await closeIt(id);
    for (const role of ['supervisor', 'officer', 'auditor', 'admin'] as const) {
      const res = await send(id, 'review-retention', { decision: 'retain', reason: 'r' }, await t.token(role));
      expect(res.statusCode, role).toBe(403);
    }
    const partner = await send(id, 'review-retention', { decision: 'retain', reason: 'r' }, await t.token('data_protection', 'dpo-2', 'county-council'));
    expect(partner.statusCode).toBe(404);
  });

  it('refuses an open case with 409 and the commands it allows', async () => {
    const id = await intake();
    const res = await send(id, 'review-retention', { decision: 'dispose', reason: 'r' }, dpo);
    expect(res.statusCode).toBe(409);
    expect(res.json().allowedCommands).toEqual(expect.arrayContaining(['triage']));
  });

  it('answers a bad payload with a 400 problem naming each field, and an unknown referral with 404', async () => {
    const id = await intake();
    await closeIt(id);
    const cases: [object, string[]][] = [
      [{ decision: 'retain' }, ['/reason']],
      [{ decision: 'retain', reason: 'r', nextReviewDue: '31/01/2030' }, ['/nextReviewDue']],
      [{ decision: 'dispose', reason: 'r', nextReviewDue: '2030-01-31' }, ['/']],
      [{ decision: 'shred', reason: 'r' }, ['/decision']],
    ];
    for (const [payload, paths] of cases) {
      const res = await send(id, 'review-retention', payload, dpo);
      expect(res.statusCode, JSON.stringify(payload)).toBe(400);
      const body = res.json();
      expect(res.headers['content-type']).toContain('application/problem+json');
      expect(body.code).toBe('validation_failed');
      expect((body.errors as { path: string }[]).map((e) => e.path), JSON.stringify(body.errors)).toEqual(expect.arrayContaining(paths));
    }
    const unknown = await send('ref-0123456789abcdef0123456789abcdef', 'review-retention', { decision: 'retain', reason: 'r' }, dpo);
    expect(unknown.statusCode).toBe(404);
  });
});
