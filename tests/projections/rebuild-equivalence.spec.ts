/**
 * The guard for every shortcut the rebuild takes (direct log reads, batched writes, deferred indexes): over the
 * same history, a rebuild leaves exactly the rows, and the same tables and indexes, that the live runner
 * built event by event.
 */
import type { NewEvent } from '@hru/application';
import type Database from 'better-sqlite3';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ReferralEvent } from '@hru/events';
import { allProjections, logPageReader, openReadModelDb, rebuildProjections, toProjected } from '@hru/projections';
import { tempDir } from '../support/temp-dir.js';
import { deadline, measure } from './support/deadline-history.js';
import { appendAll, event, given, received, referralId } from './support/history.js';
import { startReadModels, type ReadModels } from './support/read-models.js';

type DataOf<T extends ReferralEvent['type']> = Extract<ReferralEvent, { type: T }>['data'];

/** Every row of every projection table, in a stable order, plus the DDL of each table and index. */
function dump(db: Database.Database): Record<string, unknown[]> {
  const out: Record<string, unknown[]> = {};
  for (const projection of allProjections) {
    for (const table of projection.tables) {
      const columns = (db.prepare(`SELECT name FROM pragma_table_info('${table}')`).all() as { name: string }[]).map((c) => c.name);
      out[table] = db.prepare(`SELECT * FROM "${table}" ORDER BY ${columns.map((c) => `"${c}"`).join(', ')}`).all();
    }
  }
  out.schema = db
    .prepare(`SELECT type, name, tbl_name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' AND tbl_name != 'checkpoints' ORDER BY name`)
    .all()
    .filter((r) => allProjections.some((p) => p.tables.includes((r as { tbl_name: string }).tbl_name)));
  return out;
}

const day = (n: number, k: number) => new Date(Date.UTC(2026, 0, 1) + ((n * 7 + k) % 300) * 86_400_000).toISOString().slice(0, 10);
const at = (n: number, k: number) => `${day(n, k)}T10:00:00Z`;

/** A ReferralReceived as version 1 wrote it (one `offence`), so the rebuild has to upcast it. */
function receivedV1(id: string, occurredAt: string): NewEvent {
  const current = received(id, occurredAt, 'querulance');
  const { offences, ...rest } = current.data as { offences: { code: string; description: string }[] } & Record<string, unknown>;
  return {
    type: 'ReferralReceived',
    data: { ...rest, offence: { code: offences[0]!.code, description: offences[0]!.description } },
    metadata: { ...current.metadata, schemaVersion: 1 },
  };
}

/** A retention review (MoPI): retain until `next`, or (no `next`) dispose, which purges the case from the read models. */
function retention(id: string, occurredAt: string, next?: string): NewEvent {
  return event(
    'RetentionReviewed',
    {
      referralId: id,
      decision: next ? 'retain' : 'dispose',
      mopiGroup: 2,
      nextReviewDue: next ?? null,
      disposedParties: next ? [] : [`pty-${id.slice(-24)}`],
      personal: { reason: 'reviewed' },
    },
    occurredAt,
  );
}

/**
 * Referrals a history leaves in the caseload: received, and not disposed of since. (A ReferralReceived repeated after
 * a disposal, as the n % 8 === 3 oddity does, brings the row back; the machine would refuse it.)
 */
function caseloadIdsOf(events: readonly NewEvent[]): string[] {
  const present = new Map<string, boolean>();
  for (const e of events) {
    const id = (e.data as { referralId: string }).referralId;
    if (e.type === 'ReferralReceived') present.set(id, true);
    if (e.type === 'RetentionReviewed' && (e.data as { decision: string }).decision === 'dispose' && present.has(id)) present.set(id, false);
  }
  return [...present].filter(([, here]) => here).map(([id]) => id).sort();
}
/** Referrals whose retention row records a disposal: disposed of, and not reopened since (an oddity the machine refuses). */
function disposedIdsOf(events: readonly NewEvent[]): string[] {
  const disposed = new Map<string, boolean>();
  for (const e of events) {
    const id = (e.data as { referralId: string }).referralId;
    if (e.type === 'RetentionReviewed') disposed.set(id, (e.data as { decision: string }).decision === 'dispose');
    if (e.type === 'ReferralReopened' && disposed.has(id)) disposed.set(id, false);
  }
  return [...disposed].filter(([, gone]) => gone).map(([id]) => id).sort();
}

/** Varied lives: full management, advice only, reopened, details changed, outcomes replaced, time logged, upcast intake, retention reviews. */
function lifeOf(n: number): NewEvent[] {
  const id = referralId(n);
  const pb = (['stalking', 'serial_domestic_abuse', 'sexual_violence', 'querulance'] as const)[n % 4];
  const life: NewEvent[] = [n % 9 === 4 ? receivedV1(id, at(n, 0)) : received(id, at(n, 0), pb, `CC/${n}`)];
  life.push(given.urgent(id, 1, at(n, 0), null), given.triaged(id, at(n, 1)));
  if (n % 5 === 1) {
    life.push(given.screened(id, at(n, 2), 'advice_only'), given.closed(id, at(n, 3), 'advice_only'));
    if (n % 10 === 1) life.push(retention(id, at(n, 4)));
    return life;
  }
  life.push(
    given.screened(id, at(n, 2), 'adopt'),
    given.assigned(id, at(n, 2), `u-${n % 3}`),
    given.discussed(id, at(n, 4)),
    given.plan(id, at(n, 4), n % 2 === 0 ? ['health_pathway_consultation'] : ['victim_safety_planning']),
    given.discussed(id, at(n, 5)),
    given.intervention(id, 1, day(n, 6), { kind: 'victim_advocate_contact', outcome: n % 3 === 0 ? 'declined' : 'engaged' }),
    given.intervention(id, 2, day(n, 3), { kind: 'spo_advised' }),
    given.intervention(id, 3, day(n, 8), { kind: 'therapeutic_intervention_completed' }),
    event('TimeLogged', { referralId: id, agency: 'police', minutes: 30 + n, personal: { activity: 'visit' } }, at(n, 6)),
    event('TimeLogged', { referralId: id, agency: n % 2 ? 'health' : 'police', minutes: 15, personal: { activity: 'call' } }, at(n, 7)),
    given.outcome(id, `CC/${n}`, '18', day(n, 9)),
    given.outcome(id, `CC/${n}`, ['1', '3', '16'][n % 3]!, day(n, 10)),
    given.resolved(id, 1, at(n, 10)),
    given.reviewed(id, at(n, 11), day(n, 40)),
    given.directed(id, at(n, 11), n % 2 ? 'health_pathway' : 'probation'),
    ...measuresAndClocks(n),
  );
  if (n % 4 === 2) {
    life.push(
      event(
        'ReferralDetailsUpdated',
        {
          referralId: id,
          changedFields: ['problemBehaviour', 'recordedAt', 'indicators', 'parties'],
          recordedAt: at(n, 1),
          problemBehaviour: 'stalking',
          indicators: ['breach_of_order'],
          parties: [
            { partyId: `v${n}`, category: 'victim' },
            { partyId: `o${n}`, category: 'offender' },
            { partyId: `w${n}`, category: 'witness' },
          ],
          personal: { people: [] },
        },
        at(n, 12),
      ),
    );
  }
  life.push(given.closed(id, at(n, 20)));
  if (n % 3 === 0) life.push(given.reopened(id, at(n, 30), referralId(n + 1000)), given.triaged(id, at(n, 31)), given.urgent(id, 2, at(n, 31), null));
  else if (n % 4 === 1) life.push(retention(id, at(n, 25), day(n, 200)));
  if (n % 3 !== 0 && n % 7 === 5) life.push(retention(id, at(n, 26)));
  return [...life, ...oddities(n)];
}

/** Legal measures and their clocks (issue #17): set, warned, missed, met (late), moved, corrected. */
function measuresAndClocks(n: number): NewEvent[] {
  const id = referralId(n);
  const out: NewEvent[] = [
    measure.bail(id, 'm1', at(n, 3), { step: 'granted', withConditions: n % 2 === 0 }),
    deadline.set(id, 'd1', at(n, 12), at(n, 3), { kind: 'bail_expiry', clock: 'bail_3_months', measureId: 'm1' }),
    measure.dvpo(id, 'm2', at(n, 4), { step: 'notice_issued', authorisedBy: 'superintendent' }),
    deadline.set(id, 'd2', at(n, 6), at(n, 4), { kind: 'dvpo_hearing', measureId: 'm2', owner: 'supervisor', warnAt: at(n, 5) }),
    deadline.warned(id, 'd2', at(n, 5)),
  ];
  if (n % 3 === 0) out.push(deadline.missed(id, 'd2', at(n, 6), at(n, 6)), measure.dvpo(id, 'm2', at(n, 6), { step: 'hearing_missed' }));
  else out.push(measure.dvpo(id, 'm2', at(n, 5), { step: 'order_granted', days: 28 }), deadline.closed(id, 'd2', 'met', at(n, 5)));
  if (n % 4 === 1) out.push(deadline.set(id, 'd1', at(n, 14), at(n, 8), { kind: 'bail_expiry', clock: 'bail_6_months', measureId: 'm1', version: 2 }));
  if (n % 6 === 2) out.push(measure.corrected(id, 'm1', 'granted', at(n, 2), at(n, 3), at(n, 7)), measure.bail(id, 'm1', at(n, 9), { step: 'extended', authority: 'inspector' }));
  out.push(deadline.set(id, 'd3', at(n, 10), at(n, 9)));
  if (n % 2) out.push(deadline.missed(id, 'd3', at(n, 10), at(n, 10)), deadline.closed(id, 'd3', 'met', at(n, 11), true));
  return out;
}

/** What the projections must also take in their stride: events out of the usual order, repeated, or for no known referral. */
function oddities(n: number): NewEvent[] {
  const id = referralId(n);
  switch (n % 8) {
    case 1: // a referral the log never received
      return [given.triaged(referralId(n + 5000), at(n, 40)), given.intervention(referralId(n + 5000), 1, day(n, 40), { kind: 'spo_advised' })];
    case 3: // received again, with another problem behaviour and an earlier crime
      return [received(id, at(n, -5), 'querulance', `CC/${n}`)];
    case 5: // more resolutions than alerts; a second plan and an earlier intervention after the start
      return [given.resolved(id, 2, at(n, 41)), given.resolved(id, 3, at(n, 42)), given.plan(id, at(n, 43)), given.intervention(id, 9, day(n, -3), { kind: 'tactical_review' })];
    case 7: // reopened while open, then screened with no added value and triaged away
      return [given.reopened(id, at(n, 44), referralId(n + 2000)), given.screened(id, at(n, 45), 'no_added_value'), given.triaged(id, at(n, 46), 'not_stalking'), given.reviewed(id, at(n, 47), null)];
    case 4: // only the parties changed
      return [details(id, at(n, 48), { changedFields: ['parties'], parties: [{ partyId: `s${n}`, category: 'suspect' }] })];
    case 6: // only the problem behaviour changed
      return [details(id, at(n, 49), { changedFields: ['problemBehaviour'], problemBehaviour: 'sexual_violence' })];
    case 0: // disposed of, even while reopened with an alert open (every third such life): purges alerts and timers too
      return [retention(id, at(n, 50))];
    default:
      return [];
  }
}

function details(id: string, occurredAt: string, changes: Omit<DataOf<'ReferralDetailsUpdated'>, 'referralId' | 'personal'>): NewEvent {
  return event('ReferralDetailsUpdated', { referralId: id, ...changes, personal: { people: [] } }, occurredAt);
}

/** Lives interleaved in windows, as a working unit's log looks. */
function history(referrals: number, window: number, from = 0): NewEvent[] {
  const out: NewEvent[] = [];
  for (let first = from; first < from + referrals; first += window) {
    const lives = Array.from({ length: Math.min(window, from + referrals - first) }, (_, i) => lifeOf(first + i));
    for (let k = 0; lives.some((l) => k < l.length); k++) for (const life of lives) if (k < life.length) out.push(life[k]!);
  }
  return out;
}

describe('rebuild equals the live runner', () => {
  let rm: ReadModels;
  let dir: string;
  let cleanup: () => void;

  beforeEach(async () => {
    rm = await startReadModels();
    ({ dir, cleanup } = tempDir('hru-rebuild-eq-'));
  });

  afterEach(async () => {
    await rm.close();
    cleanup();
  });

  it('leaves exactly the rows and schema the live runner built, across pages, commits and threads of any size', async () => {
    const events = history(90, 12);
    await rm.given(events);
    const live = dump(rm.db);
    expect(disposedIdsOf(events).length).toBeGreaterThan(10);
    expect((live.caseload_cases as { referral_id: string }[]).map((r) => r.referral_id)).toEqual(caseloadIdsOf(events));
    const retentionRows = live.retention_cases as { referral_id: string; last_decision: string | null }[];
    expect(retentionRows.filter((r) => r.last_decision === 'dispose').map((r) => r.referral_id)).toEqual(disposedIdsOf(events));
    expect(retentionRows.some((r) => r.last_decision === 'retain')).toBe(true);
    // A disposal while reopened with an alert open (the n % 8 === 0 oddity) closes its timers; other reopened cases keep theirs.
    const timers = (live.timers_open as { referral_id: string }[]).map((r) => r.referral_id);
    expect(timers.length).toBeGreaterThan(0);
    expect(timers.filter((id) => disposedIdsOf(events).includes(id))).toEqual([]);
    expect((live.reoffending_links as unknown[]).length).toBeGreaterThan(0);
    const clocks = live.deadlines_items as { referral_id: string; status: string }[];
    expect(new Set(clocks.map((r) => r.status))).toEqual(new Set(['open', 'missed', 'met']));
    expect(clocks.filter((r) => disposedIdsOf(events).includes(r.referral_id))).toEqual([]);
    expect((live.stats_deadlines as unknown[]).length).toBeGreaterThan(clocks.length); // the statistics keep disposed cases' clocks

    const variants = [
      { threads: 1 },
      { threads: 2 },
      { threads: 1, batchSize: 7, commitEvery: 13 },
      { threads: 2, batchSize: 7, commitEvery: 13 },
      { threads: 3, batchSize: 1, commitEvery: 1 },
    ];
    for (const [n, options] of variants.entries()) {
      const db = openReadModelDb(join(dir, `read-models-${n}.sqlite`));
      const report = await rebuildProjections(rm.store, db, undefined, undefined, options);
      expect(report.position).toBe(await rm.store.headPosition());
      expect(dump(db)).toEqual(live);
      db.close();
    }
    // And in place, over the live tables, with the runner resuming afterwards.
    await rm.runner.rebuild();
    expect(dump(rm.db)).toEqual(live);
  });

  it('a rebuild on three threads in place, with events arriving meanwhile, loses and doubles none once live again', async () => {
    const before = history(60, 10);
    const after = history(30, 10, 60);
    await rm.given(before);
    // The threads read up to the head at the start; the live runners apply the rest after the swap.
    const rebuilding = rebuildProjections(rm.store, rm.db, undefined, undefined, { threads: 3, batchSize: 5 });
    await appendAll(rm.store, after);
    const report = await rebuilding;
    // Three threads, as the plan shared the models out (rebuild-plan.spec.ts): the parts cover every model once.
    expect(report.threads).toBe(3);
    expect(report.parts.flatMap((part) => (part.partition && part.partition.index > 0 ? [] : part.projections)).sort()).toEqual(allProjections.map((p) => p.name).sort());
    await rm.runner.waitUntilCaughtUp();

    const fresh = openReadModelDb(join(dir, 'read-models-after.sqlite'));
    await rebuildProjections(rm.store, fresh, undefined, undefined, { threads: 1 });
    const expected = dump(fresh);
    fresh.close();
    expect((expected.caseload_cases as { referral_id: string }[]).map((r) => r.referral_id)).toEqual(caseloadIdsOf([...before, ...after]));
    expect(dump(rm.db)).toEqual(expected);
  });

  it('reads the log as the projected events the live runner gets, upcasting old versions', async () => {
    await rm.given(history(20, 6));
    const types = ['ReferralReceived', 'ReferralClosed', 'UrgentActionRaised', 'TimeLogged'];
    const stored = await rm.store.readAll({ filter: { eventTypes: types } });
    expect(stored.filter((e) => e.metadata.schemaVersion === 1 && e.type === 'ReferralReceived')).toHaveLength(2);
    const expected = stored.map(toProjected);
    const reader = logPageReader(rm.store, types);
    const read = [...(await reader.read(0n, 50)), ...(await reader.read(expected[49]!.position + 1n, 10_000))];
    expect(read).toEqual(expected);
  });
});
