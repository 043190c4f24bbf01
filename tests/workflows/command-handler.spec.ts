import { ReferralCommandHandler } from '@hru/application';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConcurrencyError, PreconditionFailedError, type HruError } from '@hru/events';
import { MACHINE_VERSION, referralIdFor, measureCommandNames } from '@hru/workflows';
import { intakeBody } from './support/referral-commands.js';
import { advocate, countingConflicts, ctx, officer, openStore, SLA_MS, sourceSystem, supervisor, timer, withBeforeAppend } from './support/handler-fixture.js';

const referralId = referralIdFor('niche', 'CC/26/000123');
const ua1 = `${referralId}.ua1`;
const intake = (overrides: Record<string, unknown> = {}) => ({ name: 'receive-referral', payload: intakeBody(overrides) });
const logTime = { name: 'log-time', payload: { agency: 'police', minutes: 30, activity: 'research' } };

let fx: Awaited<ReturnType<typeof openStore>>;
beforeEach(async () => {
  fx = await openStore();
});
afterEach(async () => {
  await fx.cleanup();
});

async function rejection(promise: Promise<unknown>): Promise<HruError> {
  try {
    await promise;
  } catch (error) {
    return error as HruError;
  }
  throw new Error('expected a rejection');
}

describe('intake through the handler', () => {
  it('creates the stream once; a repeat with the same facts appends nothing', async () => {
    const first = await fx.handler.handle(referralId, intake({ indicators: ['weapon'] }), ctx(sourceSystem));
    expect(first).toMatchObject({ created: true, revision: 1, view: { stage: 'awaiting_triage', urgentStatus: 'raised' } });
    expect(first.events.map((e) => e.type)).toEqual(['ReferralReceived', 'UrgentActionRaised']);
    expect(first.events[0]!.metadata).toMatchObject({ machineVersion: MACHINE_VERSION, schemaVersion: 3, actor: sourceSystem, causationId: null });
    expect(first.events[0]!.metadata.eventId).toMatch(/^[0-9a-f-]{36}$/);

    const again = await fx.handler.handle(referralId, intake({ indicators: ['weapon'] }), ctx(sourceSystem));
    expect(again).toMatchObject({ created: false, revision: 1, events: [] });
    expect(await fx.store.streamRevision(referralId)).toBe(1);
  });

  it('refuses a stream id that is not the crime’s referral id', async () => {
    const error = await rejection(fx.handler.handle(referralIdFor('niche', 'other'), intake(), ctx(sourceSystem)));
    expect(error.name).toBe('ValidationError');
  });
});

describe('validation and authorisation', () => {
  beforeEach(async () => {
    await fx.handler.handle(referralId, intake(), ctx(sourceSystem));
  });

  it('reports field errors of an invalid payload', async () => {
    const error = await rejection(fx.handler.handle(referralId, { name: 'triage', payload: { decision: 'maybe' } }, ctx(officer)));
    expect(error.name).toBe('ValidationError');
    expect(error.details['errors']).toEqual(expect.arrayContaining([expect.objectContaining({ path: '/decision' }), expect.objectContaining({ path: '/reason' })]));
  });

  it('refuses a role that may not issue the command, and staff sending system commands', async () => {
    expect((await rejection(fx.handler.handle(referralId, { name: 'triage', payload: { decision: 'proceed', reason: 'r' } }, ctx(advocate)))).name).toBe('ForbiddenError');
    expect((await rejection(fx.handler.handle(referralId, { name: 'escalate-urgent-action', payload: { alertId: ua1, level: 1 } }, ctx(supervisor)))).name).toBe('ForbiddenError');
  });

  it('names the allowed commands when the state does not allow one', async () => {
    const error = await rejection(fx.handler.handle(referralId, { name: 'screen', payload: { decision: 'adopt', reason: 'r' } }, ctx(officer)));
    expect(error.name).toBe('CommandNotAllowedError');
    expect(error.details['allowedCommands']).toEqual(expect.arrayContaining(['triage', 'raise-urgent-action']));
    expect(error.details['allowedCommands']).not.toContain('screen');
  });

  it('a command for a referral that does not exist is not found', async () => {
    const error = await rejection(fx.handler.handle(referralIdFor('niche', 'nope'), logTime, ctx(officer)));
    expect(error.name).toBe('NotFoundError');
    // Not found wins over If-Match: there is no revision to be stale against.
    const withIfMatch = await rejection(fx.handler.handle(referralIdFor('niche', 'nope'), logTime, ctx(officer, { expectedRevision: 3 })));
    expect(withIfMatch.name).toBe('NotFoundError');
  });
});

describe('If-Match', () => {
  beforeEach(async () => {
    await fx.handler.handle(referralId, intake(), ctx(sourceSystem));
  });

  it('a current revision is accepted; a stale one fails with 412', async () => {
    const ok = await fx.handler.handle(referralId, logTime, ctx(officer, { expectedRevision: 0 }));
    expect(ok.revision).toBe(1);
    const error = await rejection(fx.handler.handle(referralId, logTime, ctx(officer, { expectedRevision: 0 })));
    expect(error).toBeInstanceOf(PreconditionFailedError);
    expect(error.status).toBe(412);
    expect(error.details).toMatchObject({ expectedRevision: 0, actualRevision: 1 });
  });

  it('a writer slipping in between the check and the append also fails with 412, never retried', async () => {
    const other = fx.another();
    let interleaved = false;
    const store = withBeforeAppend(fx.store, async () => {
      if (interleaved) return;
      interleaved = true;
      await other.handle(referralId, logTime, ctx(officer));
    });
    const handler = new ReferralCommandHandler(store, { alertAckSlaMs: SLA_MS });
    const error = await rejection(handler.handle(referralId, logTime, ctx(officer, { expectedRevision: 0 })));
    expect(error).toBeInstanceOf(PreconditionFailedError);
    expect(await fx.store.streamRevision(referralId)).toBe(1);
  });
});

describe('concurrent writers', () => {
  beforeEach(async () => {
    await fx.handler.handle(referralId, intake({ indicators: ['weapon'] }), ctx(sourceSystem));
  });

  it('a conflict is retried once on fresh state, so both commands land', async () => {
    // Two handlers on one connection: their appends share a group commit, so they really race.
    const counted = countingConflicts(fx.store);
    const one = new ReferralCommandHandler(counted.store, { alertAckSlaMs: SLA_MS });
    const two = new ReferralCommandHandler(counted.store, { alertAckSlaMs: SLA_MS });
    const [a, b] = await Promise.all([one.handle(referralId, logTime, ctx(officer)), two.handle(referralId, logTime, ctx(officer))]);
    expect(counted.conflicts()).toBe(1);
    expect([a.revision, b.revision].sort()).toEqual([2, 3]);
    expect((await fx.handler.load(referralId))!.view.timeLogged.totalMinutes).toBe(60);
  });

  it('the retry decides again: the second acknowledgement of the same alert is refused', async () => {
    const counted = countingConflicts(fx.store);
    const one = new ReferralCommandHandler(counted.store, { alertAckSlaMs: SLA_MS });
    const two = new ReferralCommandHandler(counted.store, { alertAckSlaMs: SLA_MS });
    const ack = { name: 'acknowledge-urgent-action', payload: { alertId: ua1, note: 'seen' } };
    const results = await Promise.allSettled([one.handle(referralId, ack, ctx(supervisor)), two.handle(referralId, ack, ctx(supervisor))]);
    expect(counted.conflicts()).toBe(1);
    expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
    const failed = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
    expect((failed.reason as HruError).name).toBe('CommandNotAllowedError');
    expect(await fx.store.streamRevision(referralId)).toBe(2);
  });

  it('a second conflict in a row is reported as a ConcurrencyError', async () => {
    const other = fx.another();
    const store = withBeforeAppend(fx.store, async () => {
      await other.handle(referralId, logTime, ctx(officer));
    });
    const handler = new ReferralCommandHandler(store, { alertAckSlaMs: SLA_MS });
    const error = await rejection(handler.handle(referralId, logTime, ctx(officer)));
    expect(error).toBeInstanceOf(ConcurrencyError);
    expect(error.status).toBe(409);
  });
});

describe('cached state', () => {
  it('sees what another writer appended since it was cached', async () => {
    await fx.handler.handle(referralId, intake({ indicators: ['weapon'] }), ctx(sourceSystem));
    expect((await fx.handler.load(referralId))!.view.urgentStatus).toBe('raised');
    const other = fx.another();
    await other.handle(referralId, { name: 'acknowledge-urgent-action', payload: { alertId: ua1, note: 'seen' } }, ctx(supervisor));
    await other.handle(referralId, { name: 'triage', payload: { decision: 'proceed', reason: 'stalking' } }, ctx(officer));

    const loaded = await fx.handler.load(referralId);
    expect(loaded).toMatchObject({ revision: 3, view: { stage: 'awaiting_screening', urgentStatus: 'acknowledged' } });
    expect(loaded!.allowedCommands).toContain('screen');
    // And deciding on the cached state uses the fresh revision: no conflict, no stale decision.
    const screened = await fx.handler.handle(referralId, { name: 'screen', payload: { decision: 'adopt', reason: 'value' } }, ctx(officer, { expectedRevision: 3 }));
    expect(screened).toMatchObject({ revision: 4, view: { stage: 'awaiting_case_discussion' } });
  });

  it('an escalation timer for an acknowledged alert appends nothing', async () => {
    await fx.handler.handle(referralId, intake({ indicators: ['weapon'] }), ctx(sourceSystem));
    await fx.handler.handle(referralId, { name: 'acknowledge-urgent-action', payload: { alertId: ua1, note: 'seen' } }, ctx(supervisor));
    const fired = await fx.handler.handle(referralId, { name: 'escalate-urgent-action', payload: { alertId: ua1, level: 1 } }, ctx(timer));
    expect(fired).toMatchObject({ events: [], revision: 2 });
  });
});

describe('state as of a revision or a time', () => {
  it('replays the stream to that point', async () => {
    await fx.handler.handle(referralId, intake(), ctx(sourceSystem));
    const before = new Date().toISOString();
    await new Promise((r) => setTimeout(r, 5));
    await fx.handler.handle(referralId, { name: 'triage', payload: { decision: 'not_stalking', reason: 'harassment by a neighbour only' } }, ctx(officer));

    expect(await fx.handler.foldAt(referralId, { revision: 0 })).toMatchObject({ revision: 0, view: { stage: 'awaiting_triage' } });
    expect((await fx.handler.foldAt(referralId, { at: before })).view.stage).toBe('awaiting_triage');
    const now = await fx.handler.foldAt(referralId, { revision: 99 });
    expect(now).toMatchObject({ revision: 2, view: { stage: 'closed', closed: { closedFrom: 'awaiting_triage' } }, allowedCommands: ['receive-referral', 'record-crime-outcome', 'reopen', 'review-retention', ...measureCommandNames] });
    expect((await rejection(fx.handler.foldAt(referralId, { at: '2000-01-01T00:00:00Z' }))).name).toBe('NotFoundError');
  });
});
