/**
 * The perpetrators projection's shadow applier (rebuild only) holds each referral's row between its events instead of
 * an UPDATE per event, and leaves to `apply` the events that change the row in other ways (details, risk
 * assessments, formulations), writing the held row back first. It must leave exactly the rows `apply` leaves event
 * by event: here a history with every event the applier handles itself (a referral received twice, alerts raised and
 * resolved more often than raised, a second plan, charges in late order and another outcome, a closure), the ones it
 * leaves to `apply` in between (so a held row is written back and read again), events for a referral never received,
 * and links and decisions. The rows are compared table by table, in loads of one event per batch and of everything in
 * one batch (the cache flushed only at the end).
 */
import type { NewEvent } from '@hru/application';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { installSchema, perpetratorsProjection, perpetratorTables } from '@hru/projections';
import { event, given, referralId } from './support/history.js';
import { projected } from './support/projected-events.js';
import { decided, incident, linked, pty, unlinked } from '../perpetrators/support.js';

const at = (day: number) => `${new Date(Date.UTC(2026, 0, 1) + day * 86_400_000).toISOString().slice(0, 10)}T10:00:00Z`;
const on = (day: number) => at(day).slice(0, 10);

function history(): NewEvent[] {
  const [a, b, never] = [1, 2, 9].map(referralId) as [string, string, string];
  const [p1, p2, v1, v2] = [1, 2, 3, 4].map(pty) as [string, string, string, string];
  return [
    incident(a, { suspects: [p1], victims: [v1], on: on(0), area: 'North' }),
    given.urgent(a, 1, at(1), null),
    given.urgent(a, 2, at(1), null),
    given.plan(a, at(2)),
    event('RiskAssessmentRecorded', { referralId: a, assessmentId: 'ra1', assessedOn: on(2), dashYesCount: 12, sdashAnswers: null, srp: null, personal: { rationale: 'r' } }, at(2)),
    given.resolved(a, 1, at(3)),
    given.plan(a, at(4)),
    given.outcome(a, 'CC/1', '1', on(9)),
    event('FormulationRecorded', { referralId: a, formulationId: 'f1', stalkerType: 'rejected', supersedes: null, personal: { rationale: 'r' } }, at(5)),
    given.outcome(a, 'CC/2', '1', on(6)),
    given.outcome(a, 'CC/3', '16', on(3)),
    given.resolved(a, 2, at(6)),
    given.resolved(a, 3, at(7)),
    incident(b, { suspects: [p2], victims: [v2], on: on(3), problemBehaviour: 'querulance' }),
    given.urgent(b, 1, at(4), null),
    event(
      'ReferralDetailsUpdated',
      { referralId: b, changedFields: ['parties', 'recordedAt'], recordedAt: at(1), parties: [{ partyId: p1, category: 'suspect' }, { partyId: v2, category: 'victim' }], personal: { people: [] } },
      at(5),
    ),
    given.outcome(b, 'CC/4', '1', on(8)),
    incident(b, { suspects: [p1], victims: [v2], on: on(2), problemBehaviour: 'stalking', area: 'South' }),
    given.closed(b, at(10)),
    given.urgent(never, 1, at(4), null),
    given.closed(never, at(5)),
    linked(p1, p2, at(6)),
    unlinked(p1, p2, at(7)),
    linked(p1, p2, at(8)),
    decided(p1, on(9), 'adopt', 12.5, 'v1'),
    given.closed(a, at(12)),
  ];
}

const fresh = () => {
  const db = new Database(':memory:');
  installSchema(db, perpetratorsProjection);
  return db;
};
function dump(db: Database.Database): Record<string, unknown[]> {
  const columns = (t: string) => (db.prepare(`SELECT name FROM pragma_table_info('${t}')`).pluck().all() as string[]).join(', ');
  return Object.fromEntries(perpetratorTables.map((t) => [t, db.prepare(`SELECT * FROM ${t} ORDER BY ${columns(t)}`).all()]));
}

describe('the perpetrators shadow applier', () => {
  const events = projected(history());
  const live = fresh();
  for (const e of events) perpetratorsProjection.apply(live, e as never);
  const kept = dump(live);

  it('the history reaches what the held row keeps', () => {
    const rows = kept.perpetrators_referrals as Record<string, unknown>[];
    expect(rows.find((r) => r.referral_id === referralId(1))).toMatchObject({
      open_alerts: 0, plan_agreed_on: on(2), charged_on: on(6), risk_id: 'ra1', dash_yes_count: 12, formulation_id: 'f1', closed: 1, area: 'North',
    });
    expect(rows.find((r) => r.referral_id === referralId(2))).toMatchObject({ open_alerts: 1, charged_on: on(8), crime_on: on(2), area: 'South', closed: 1 });
    expect(rows.map((r) => r.referral_id)).not.toContain(referralId(9));
  });

  it('leaves the rows apply leaves, flushed after every event', () => {
    const shadow = fresh();
    const applier = perpetratorsProjection.shadowApplier!(shadow);
    for (const e of events) {
      applier.apply(e as never);
      applier.flush();
    }
    expect(dump(shadow)).toEqual(kept);
  });

  it('leaves the rows apply leaves, flushed once at the end', () => {
    const shadow = fresh();
    const applier = perpetratorsProjection.shadowApplier!(shadow);
    for (const e of events) applier.apply(e as never);
    applier.flush();
    expect(dump(shadow)).toEqual(kept);
  });
});
