/**
 * The deadlines read model, given events → then the list: every deadline event, a moved clock, measure kinds, the
 * status filters, the order and keyset pages of the list, disposal, and a rebuild leaving the rows the live runner left.
 */
import type Database from 'better-sqlite3';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { listDeadlines, openReadModelDb, rebuildProjections, type DeadlineListFilter } from '@hru/projections';
import { tempDir } from '../support/temp-dir.js';
import { deadline, measure } from './support/deadline-history.js';
import { event, given, received, referralId } from './support/history.js';
import { startReadModels, type ReadModels } from './support/read-models.js';

let rm: ReadModels;
beforeEach(async () => {
  rm = await startReadModels();
});
afterEach(async () => {
  await rm.close();
});

const a = referralId(1);
const b = referralId(2);
const NOW = '2026-03-10T12:00:00.000Z';

function list(filter: Partial<DeadlineListFilter> = {}) {
  return listDeadlines(rm.db, { asOf: NOW, limit: 100, ...filter }).rows;
}
const ids = (rows: { referralId: string; deadlineId: string }[]) => rows.map((r) => `${r.referralId.slice(-1)}/${r.deadlineId}`);

function items(db: Database.Database) {
  return db.prepare('SELECT * FROM deadlines_items ORDER BY referral_id, deadline_id').all();
}

describe('deadlines read model: each event', () => {
  it('DeadlineSet opens a clock with its measure kind, owner, times and version; no personal data in the row', async () => {
    await rm.given([
      received(a, '2026-03-01T09:00:00Z'),
      measure.spo(a, 'm1', '2026-03-09T10:00:00Z', { step: 'served' }),
      deadline.set(a, 'd1', '2026-03-12T23:59:59.999Z', '2026-03-09T10:00:00Z', {
        kind: 'spo_notification',
        clock: 'spo_notification_3_days',
        measureId: 'm1',
        owner: 'officer',
        warnAt: '2026-03-11T23:59:59.999Z',
      }),
    ]);
    expect(list()).toEqual([
      {
        referralId: a,
        deadlineId: 'd1',
        kind: 'spo_notification',
        clock: 'spo_notification_3_days',
        measureId: 'm1',
        measureKind: 'spo',
        owner: 'officer',
        triggerAt: '2026-03-09T10:00:00.000Z',
        dueAt: '2026-03-12T23:59:59.999Z',
        warnAt: '2026-03-11T23:59:59.999Z',
        warnedAt: null,
        status: 'open',
        overdue: false,
        missedAt: null,
        closedAt: null,
        late: false,
        version: 1,
        problemBehaviour: 'stalking',
        stage: 'awaiting_triage',
        assigneeSub: null,
        // The case's context, joined from the caseload (no personal data).
        crimeReference: 'CC/000001',
        offenceCode: '8/65',
        principalOffence: 'Stalking involving fear of violence',
        dashYesCount: 9,
        indicators: [],
      },
    ]);
    const columns = (rm.db.prepare(`SELECT name FROM pragma_table_info('deadlines_items')`).all() as { name: string }[]).map((c) => c.name);
    expect(columns.filter((c) => /name|note|reason|text|summary/.test(c))).toEqual([]);
  });

  it('times with an offset or without milliseconds are stored in one UTC form, so they order as text', async () => {
    await rm.given([
      deadline.set(a, 'd1', '2026-03-12T18:00:00+01:00', '2026-03-09T10:00:00Z', { triggerAt: '2026-03-09T10:00:00+00:00' }),
      deadline.set(a, 'd2', '2026-03-12T17:30:00Z', '2026-03-09T10:00:00Z'),
    ]);
    expect(list().map((r) => [r.deadlineId, r.dueAt, r.triggerAt])).toEqual([
      ['d1', '2026-03-12T17:00:00.000Z', '2026-03-09T10:00:00.000Z'],
      ['d2', '2026-03-12T17:30:00.000Z', '2026-03-09T10:00:00.000Z'],
    ]);
  });

  it('DeadlineWarned records when it warned; a warning of an older version is ignored', async () => {
    await rm.given([
      deadline.set(a, 'd1', '2026-03-12T17:00:00Z', '2026-03-09T10:00:00Z'),
      deadline.warned(a, 'd1', '2026-03-11T17:00:00Z'),
      deadline.set(a, 'd2', '2026-03-13T17:00:00Z', '2026-03-09T10:00:00Z', { version: 2 }),
      deadline.warned(a, 'd2', '2026-03-12T17:00:00Z', 1),
    ]);
    expect(list().map((r) => [r.deadlineId, r.warnedAt])).toEqual([
      ['d1', '2026-03-11T17:00:00.000Z'],
      ['d2', null],
    ]);
  });

  it('DeadlineMissed marks it missed at the time it was reported; it is then overdue and missed', async () => {
    await rm.given([
      deadline.set(a, 'd1', '2026-03-08T17:00:00Z', '2026-03-05T10:00:00Z', { kind: 'bail_expiry', measureId: 'm1', owner: 'officer' }),
      deadline.missed(a, 'd1', '2026-03-08T17:00:00Z', '2026-03-08T17:00:02Z'),
    ]);
    const [row] = list();
    expect(row).toMatchObject({ status: 'missed', missedAt: '2026-03-08T17:00:02.000Z', overdue: true, measureKind: 'bail' });
    expect(ids(list({ status: 'overdue' }))).toEqual(['1/d1']);
    expect(ids(list({ status: 'missed' }))).toEqual(['1/d1']);
    expect(list({ status: 'met' })).toEqual([]);
    expect(list({ status: 'due', dueUntil: '2026-03-17T12:00:00.000Z' })).toEqual([]);
  });

  it('DeadlineClosed met late keeps the miss: met and missed, no longer overdue', async () => {
    await rm.given([
      deadline.set(a, 'd1', '2026-03-08T17:00:00Z', '2026-03-05T10:00:00Z'),
      deadline.missed(a, 'd1', '2026-03-08T17:00:00Z', '2026-03-08T17:00:01Z'),
      deadline.contacted(a, 'd1', '2026-03-09T09:00:00Z'),
      deadline.closed(a, 'd1', 'met', '2026-03-09T09:00:00Z', true),
    ]);
    expect(list()[0]).toMatchObject({ status: 'met', late: true, closedAt: '2026-03-09T09:00:00.000Z', missedAt: '2026-03-08T17:00:01.000Z', overdue: false });
    expect(ids(list({ status: 'met' }))).toEqual(['1/d1']);
    expect(ids(list({ status: 'missed' }))).toEqual(['1/d1']);
    expect(list({ status: 'overdue' })).toEqual([]);
  });

  it('DeadlineClosed met in time, cancelled or expired: in none of due, overdue or missed; met only when met', async () => {
    await rm.given([
      deadline.set(a, 'd1', '2026-03-11T17:00:00Z', '2026-03-09T10:00:00Z'),
      deadline.set(a, 'd2', '2026-03-11T17:00:00Z', '2026-03-09T10:00:00Z'),
      deadline.set(a, 'd3', '2026-03-09T23:59:59Z', '2026-03-01T10:00:00Z', { kind: 'order_end', measureId: 'm1' }),
      deadline.closed(a, 'd1', 'met', '2026-03-10T08:00:00Z', false, '2026-03-10T10:00:00Z'),
      deadline.closed(a, 'd2', 'cancelled', '2026-03-10T09:00:00Z'),
      deadline.closed(a, 'd3', 'expired', '2026-03-09T23:59:59Z'),
    ]);
    expect(list().map((r) => [r.deadlineId, r.status, r.late, r.closedAt])).toEqual([
      ['d3', 'expired', false, '2026-03-09T23:59:59.000Z'],
      ['d1', 'met', false, '2026-03-10T08:00:00.000Z'],
      ['d2', 'cancelled', false, '2026-03-10T09:00:00.000Z'],
    ]);
    expect(ids(list({ status: 'met' }))).toEqual(['1/d1']);
    for (const status of ['due', 'overdue', 'missed'] as const) expect(list({ status, dueUntil: '2026-03-20T00:00:00.000Z' })).toEqual([]);
  });

  it('a clock set again (moved) starts afresh under its id; a miss of the old version is ignored', async () => {
    await rm.given([
      deadline.set(a, 'd1', '2026-03-08T17:00:00Z', '2026-03-05T10:00:00Z', { kind: 'spo_notification', measureId: 'm1' }),
      deadline.warned(a, 'd1', '2026-03-07T17:00:00Z'),
      deadline.set(a, 'd1', '2026-03-11T17:00:00Z', '2026-03-08T10:00:00Z', { kind: 'spo_notification', measureId: 'm1', triggerAt: '2026-03-08T10:00:00Z', version: 2 }),
      deadline.missed(a, 'd1', '2026-03-08T17:00:00Z', '2026-03-08T17:00:01Z', 1),
    ]);
    expect(list()).toMatchObject([{ deadlineId: 'd1', dueAt: '2026-03-11T17:00:00.000Z', triggerAt: '2026-03-08T10:00:00.000Z', version: 2, status: 'open', warnedAt: null, missedAt: null }]);
  });
});

describe('deadlines read model: measure kinds', () => {
  it('names the measure from its steps; infers it from the clock for a legacy measure; an order end waits for a step', async () => {
    await rm.given([
      measure.dvpo(a, 'm1', '2026-03-09T10:00:00Z', { step: 'notice_issued', authorisedBy: 'superintendent' }),
      deadline.set(a, 'd1', '2026-03-11T10:00:00Z', '2026-03-09T10:00:00Z', { kind: 'dvpo_hearing', measureId: 'm1' }),
      deadline.set(a, 'd2', '2026-03-20T10:00:00Z', '2026-03-09T10:00:00Z', { kind: 'spo_notification', measureId: 'm2' }),
      deadline.set(a, 'd3', '2026-04-20T10:00:00Z', '2026-03-09T10:00:00Z', { kind: 'order_end', measureId: 'm3' }),
      deadline.set(a, 'd4', '2026-03-10T17:00:00Z', '2026-03-09T10:00:00Z', { kind: 'victim_contact' }),
    ]);
    expect(list().map((r) => [r.deadlineId, r.measureKind])).toEqual([
      ['d4', null],
      ['d1', 'dvpo'],
      ['d2', 'spo'],
      ['d3', null],
    ]);
    await rm.given([measure.spo(a, 'm3', '2026-03-12T10:00:00Z', { step: 'varied', endsOn: '2026-05-01' })]);
    expect(list({ kind: 'order_end' }).map((r) => r.measureKind)).toEqual(['spo']);
  });
});

describe('deadlines list: filters, order and pages', () => {
  const history = () => [
    received(a, '2026-03-01T09:00:00Z'),
    given.triaged(a, '2026-03-01T10:00:00Z'),
    received(b, '2026-03-01T09:00:00Z', 'serial_domestic_abuse'),
    // a: overdue (missed), due tomorrow, due in 10 days, met in time
    deadline.set(a, 'd1', '2026-03-09T17:00:00Z', '2026-03-05T10:00:00Z', { kind: 'bail_expiry', measureId: 'm1', owner: 'officer' }),
    deadline.missed(a, 'd1', '2026-03-09T17:00:00Z', '2026-03-09T17:00:00Z'),
    deadline.set(a, 'd2', '2026-03-11T17:00:00Z', '2026-03-09T10:00:00Z', { owner: 'victim_advocate' }),
    deadline.set(a, 'd3', '2026-03-20T12:00:00Z', '2026-03-09T10:00:00Z', { kind: 'plan_review', owner: 'supervisor' }),
    deadline.set(a, 'd4', '2026-03-08T17:00:00Z', '2026-03-07T10:00:00Z'),
    deadline.closed(a, 'd4', 'met', '2026-03-08T12:00:00Z'),
    // b: open but past due (the timer has not fired yet), due in 3 days
    deadline.set(b, 'd1', '2026-03-10T11:00:00Z', '2026-03-09T10:00:00Z', { kind: 'dvpo_hearing', measureId: 'm1', owner: 'supervisor' }),
    deadline.set(b, 'd2', '2026-03-13T12:00:00Z', '2026-03-09T10:00:00Z', { kind: 'mappa_review', measureId: 'm2', owner: 'probation' }),
  ];

  it('lists overdue first (most overdue first), then soonest due', async () => {
    await rm.given(history());
    expect(ids(list())).toEqual(['1/d1', '2/d1', '1/d4', '1/d2', '2/d2', '1/d3']);
    expect(list().map((r) => r.overdue)).toEqual([true, true, false, false, false, false]);
    expect(list()[0]).toMatchObject({ problemBehaviour: 'stalking', stage: 'awaiting_screening' });
    expect(list()[1]).toMatchObject({ problemBehaviour: 'serial_domestic_abuse', stage: 'awaiting_triage' });
  });

  it('filters by status (due within a window, overdue, met, missed), owner, kind and referral', async () => {
    await rm.given(history());
    const week = '2026-03-17T12:00:00.000Z';
    expect(ids(list({ status: 'due', dueUntil: week }))).toEqual(['1/d2', '2/d2']);
    expect(ids(list({ status: 'due', dueUntil: '2026-03-31T00:00:00.000Z' }))).toEqual(['1/d2', '2/d2', '1/d3']);
    expect(ids(list({ status: 'overdue' }))).toEqual(['1/d1', '2/d1']);
    expect(ids(list({ status: 'met' }))).toEqual(['1/d4']);
    expect(ids(list({ status: 'missed' }))).toEqual(['1/d1']);
    expect(ids(list({ owner: 'supervisor' }))).toEqual(['2/d1', '1/d3']);
    expect(ids(list({ kind: 'victim_contact' }))).toEqual(['1/d4', '1/d2']);
    expect(ids(list({ referralId: b }))).toEqual(['2/d1', '2/d2']);
    expect(ids(list({ status: 'overdue', owner: 'officer', kind: 'bail_expiry', referralId: a }))).toEqual(['1/d1']);
  });

  it('pages by keyset: every row once, in order, the listing held at its instant while clocks fall due', async () => {
    await rm.given(history());
    const all = ids(list());
    const seen: string[] = [];
    let after: DeadlineListFilter['after'];
    for (let page = 0; page < 10; page++) {
      const { rows, more } = listDeadlines(rm.db, { asOf: NOW, limit: 2, ...(after ? { after } : {}) });
      seen.push(...ids(rows));
      if (!more) break;
      const last = rows.at(-1)!;
      after = { asOf: NOW, overdue: last.overdue, dueAt: last.dueAt, referralId: last.referralId, deadlineId: last.deadlineId };
      // Meanwhile a clock passes: the listing as of NOW neither repeats nor skips it.
      if (page === 0) await rm.given([deadline.missed(a, 'd2', '2026-03-11T17:00:00Z', '2026-03-11T17:00:00Z')]);
    }
    expect(seen).toEqual(all);
  });
});

describe('deadlines read model: disposal and rebuild', () => {
  it('a disposal purges the case’s clocks and measures; another case keeps its own', async () => {
    await rm.given([
      measure.bail(a, 'm1', '2026-03-01T10:00:00Z', { step: 'granted', withConditions: true }),
      deadline.set(a, 'd1', '2026-06-01T10:00:00Z', '2026-03-01T10:00:00Z', { kind: 'bail_expiry', measureId: 'm1' }),
      deadline.set(b, 'd1', '2026-06-01T10:00:00Z', '2026-03-01T10:00:00Z'),
      event('RetentionReviewed', { referralId: a, decision: 'dispose', mopiGroup: 2, nextReviewDue: null, disposedParties: [], personal: { reason: 'reviewed' } }, '2026-03-10T10:00:00Z'),
    ]);
    expect(ids(list())).toEqual(['2/d1']);
    expect(rm.db.prepare('SELECT count(*) AS n FROM deadlines_measures WHERE referral_id = ?').get(a)).toEqual({ n: 0 });
  });

  it('a rebuild leaves exactly the rows the live runner left', async () => {
    const events = [];
    for (let n = 0; n < 12; n++) {
      const id = referralId(100 + n);
      const day = (k: number) => `2026-03-${String(1 + ((n + k) % 27)).padStart(2, '0')}T10:00:00Z`;
      events.push(received(id, day(0)), measure.spo(id, 'm1', day(0), { step: 'served' }));
      events.push(deadline.set(id, 'd1', day(3), day(0), { kind: 'spo_notification', measureId: 'm1' }));
      if (n % 2) events.push(deadline.warned(id, 'd1', day(2)));
      if (n % 3 === 0) events.push(deadline.missed(id, 'd1', day(3), day(3)));
      if (n % 4 === 1) events.push(deadline.closed(id, 'd1', 'met', day(2)));
      if (n % 5 === 2) events.push(deadline.set(id, 'd1', day(5), day(1), { kind: 'spo_notification', measureId: 'm1', version: 2 }));
      if (n % 6 === 5) events.push(event('RetentionReviewed', { referralId: id, decision: 'dispose', mopiGroup: 2, nextReviewDue: null, disposedParties: [], personal: { reason: 'x' } }, day(6)));
    }
    await rm.given(events);
    const live = { items: items(rm.db), measures: rm.db.prepare('SELECT * FROM deadlines_measures ORDER BY 1, 2').all() };
    expect(live.items.length).toBeGreaterThan(5);
    const { dir, cleanup } = tempDir('hru-deadlines-rebuild-');
    try {
      const db = openReadModelDb(join(dir, 'rm.sqlite'));
      await rebuildProjections(rm.store, db, ['deadlines'], undefined, { threads: 2, batchSize: 3 });
      expect({ items: items(db), measures: db.prepare('SELECT * FROM deadlines_measures ORDER BY 1, 2').all() }).toEqual(live);
      db.close();
    } finally {
      cleanup();
    }
  });
});
