/**
 * The perpetrators read model, given events and then queried: people joined by links across referrals, victims
 * counted, the ranking and its keyset pages, a rescore of the stale people only, a full one on a new configuration,
 * and the tasking list with what happened since the last meeting.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import type Database from 'better-sqlite3';
import {
  openReadModelDb,
  perpetratorTables,
  rebuildProjections,
  decodePerpetratorCursor,
  encodePerpetratorCursor,
  listPerpetrators,
  perpetratorDetail,
  rescore,
  rfgConfigFrom,
  taskingList,
  taskingOutcomes,
} from '@hru/projections';
import { partyLinkStreamFor, taskingStreamFor } from '@hru/events';
import { given } from '../projections/support/history.js';
import { startReadModels, type ReadModels } from '../projections/support/read-models.js';
import { tempDir } from '../support/temp-dir.js';
import { decided, incident, linked, pty, ref, unlinked } from './support.js';

const P1 = pty(1);
const P2 = pty(2);
const P3 = pty(3);
const V = [pty(101), pty(102), pty(103), pty(104)] as const;
const config = rfgConfigFrom(undefined);
const asOf = '2026-03-15';

describe('perpetrators read model', () => {
  let rm: ReadModels;
  beforeAll(async () => {
    rm = await startReadModels();
    await rm.given([
      incident(ref(1), { suspects: [P1], victims: [V[0]], on: '2026-01-10', indicators: ['strangulation'], area: 'North' }),
      incident(ref(2), { suspects: [P1], victims: [V[1]], on: '2026-03-01', area: 'North East' }),
      // The same man in another source system, under another party id, against a third victim.
      incident(ref(3), { suspects: [P2], victims: [V[2]], on: '2025-06-01', problemBehaviour: 'serial_domestic_abuse', offenceCode: '8/71', area: 'South' }),
      // Long ago: outside the two-year window, it still shows on the page but scores recency alone (none, this old).
      incident(ref(4), { suspects: [P3], victims: [V[0]], on: '2023-01-01' }),
    ]);
  });
  afterAll(() => rm.close());

  const link = async (events: Parameters<ReadModels['given']>[0], streamId: string) => {
    for (const e of events) await rm.store.appendToStream(streamId, [e]);
    await rm.runner.waitUntilCaughtUp();
  };

  it('scores everyone on the first read, then nobody until something changes', () => {
    expect(rescore(rm.db, config, asOf)).toEqual({ mode: 'full', people: 3 });
    expect(rescore(rm.db, config, asOf)).toEqual({ mode: 'none', people: 0 });
    const { rows } = listPerpetrators(rm.db, { limit: 10 });
    expect(rows.map((r) => r.partyId)).toEqual([P1, P2, P3]);
    expect(rows[0]).toMatchObject({ referrals: 2, distinctVictims: 2, incidentsInWindow: 2, lastIncidentOn: '2026-03-01', recency: 5, frequency: 2 });
    // 5 recency + 2 frequency + 0.5 × (3 + 5 + 3 and 3 + 3) gravity + 2 victims × 2 points.
    expect(rows[0]!.score).toBe(5 + 2 + 0.5 * (11 + 6) + 4);
    expect(rows[2]).toMatchObject({ partyId: P3, score: 0, incidentsInWindow: 0, recency: 0 });
  });

  it('joins two party ids as one person once linked, and parts them again when the link is taken back', async () => {
    await link([linked(P2, P1, '2026-03-10T09:00:00Z')], partyLinkStreamFor(P1, P2));
    expect(rescore(rm.db, config, asOf)).toEqual({ mode: 'stale', people: 1 });
    const { rows } = listPerpetrators(rm.db, { limit: 10 });
    expect(rows.map((r) => r.partyId)).toEqual([P1, P3]);
    expect(rows[0]).toMatchObject({ linkedPartyIds: [P2], referrals: 3, distinctVictims: 3, incidentsInWindow: 3 });
    expect(rows[0]!.problemBehaviours).toEqual(['serial_domestic_abuse', 'stalking']);

    const page = perpetratorDetail(rm.db, P2, config, asOf)!;
    expect(page.partyId).toBe(P1);
    expect(page.referrals.map((r) => r.referralId)).toEqual([ref(3), ref(1), ref(2)]);
    expect(page.referrals.map((r) => r.victims)).toEqual([['V1'], ['V2'], ['V3']]);
    expect(page.links).toEqual([{ partyId: P1, samePersonAs: P2, linkedAt: '2026-03-10T09:00:00Z', linkedBy: 'sup-1' }]);
    expect(page.score!.explanation.map((c) => [c.referralId, c.gravity])).toEqual([
      [ref(3), 3 + 3],
      [ref(1), 3 + 5 + 3],
      [ref(2), 3 + 3],
    ]);
    expect(JSON.stringify(page)).not.toContain(V[0]);

    // Scoring the stale people only leaves exactly the rows scoring everyone would.
    const scores = () => rm.db.prepare('SELECT * FROM perpetrators_scores ORDER BY canonical_id').all();
    const members = () => rm.db.prepare('SELECT * FROM perpetrators_members ORDER BY party_id').all();
    const afterStale = [scores(), members()];
    expect(rescore(rm.db, config, asOf, { full: true }).mode).toBe('full');
    expect([scores(), members()]).toEqual(afterStale);

    await link([unlinked(P1, P2, '2026-03-12T09:00:00Z')], partyLinkStreamFor(P1, P2));
    expect(rescore(rm.db, config, asOf)).toEqual({ mode: 'stale', people: 2 });
    const afterUnlink = [scores(), members()];
    rescore(rm.db, config, asOf, { full: true });
    expect([scores(), members()]).toEqual(afterUnlink);
    expect(listPerpetrators(rm.db, { limit: 10 }).rows.map((r) => [r.partyId, r.referrals])).toEqual([
      [P1, 2],
      [P2, 1],
      [P3, 1],
    ]);
  });

  it('pages by keyset: each person once, in score order', () => {
    const first = listPerpetrators(rm.db, { limit: 2 });
    expect(first.more).toBe(true);
    const after = decodePerpetratorCursor(encodePerpetratorCursor(first.rows.at(-1)!))!;
    const second = listPerpetrators(rm.db, { limit: 2, after });
    expect([...first.rows, ...second.rows].map((r) => r.partyId)).toEqual([P1, P2, P3]);
    expect(second.more).toBe(false);
    expect(decodePerpetratorCursor('not-a-cursor')).toBeUndefined();
  });

  it('filters by problem behaviour', () => {
    expect(listPerpetrators(rm.db, { limit: 10, behaviour: 'serial_domestic_abuse' }).rows.map((r) => r.partyId)).toEqual([P2]);
  });

  it('filters by policing area, whole areas only, and lists each person’s areas', () => {
    const byArea = (area: string) => listPerpetrators(rm.db, { limit: 10, area }).rows.map((r) => r.partyId);
    expect(byArea('North')).toEqual([P1]);
    expect(byArea('North East')).toEqual([P1]);
    expect(byArea('South')).toEqual([P2]);
    expect(byArea('Nort')).toEqual([]); // a whole area, not a part of one
    expect(byArea('West')).toEqual([]);
    expect(listPerpetrators(rm.db, { limit: 10, area: 'North', behaviour: 'serial_domestic_abuse' }).rows).toEqual([]);
    const rows = listPerpetrators(rm.db, { limit: 10 }).rows;
    expect(rows.find((r) => r.partyId === P1)?.areas).toEqual(['North', 'North East']);
    expect(rows.find((r) => r.partyId === P3)?.areas).toEqual([]); // its source said none
  });

  it('rescores everyone under a new configuration (a new version) and on a new day', () => {
    const heavier = rfgConfigFrom(JSON.stringify({ weights: { victims: 10 } }));
    expect(heavier.version).not.toBe(config.version);
    expect(rescore(rm.db, heavier, asOf)).toEqual({ mode: 'full', people: 3 });
    expect(listPerpetrators(rm.db, { limit: 1 }).rows[0]!.score).toBe(5 + 2 + 0.5 * 17 + 10 * 4);
    expect(rescore(rm.db, config, asOf).mode).toBe('full');
    expect(rescore(rm.db, config, '2026-09-30').mode).toBe('full');
    // Six months on, P1's last incident is in the 181-365 day band.
    expect(listPerpetrators(rm.db, { limit: 1 }).rows[0]).toMatchObject({ partyId: P1, recency: 2 });
  });

  it('lists a meeting with what happened since the last one, and its decisions', async () => {
    rescore(rm.db, config, asOf);
    await link([decided(P1, '2026-02-01', 'adopt', 20.5, config.version)], taskingStreamFor('2026-02-01', P1));
    await rm.given([given.urgent(ref(2), 1, '2026-03-02T09:00:00Z', null)]);
    const rows = taskingList(rm.db, { meetingOn: '2026-03-01', previousMeetingOn: '2026-02-01', limit: 2 });
    expect(rows.map((r) => r.openAlerts)).toEqual([1, 0]);
    expect(rows.map((r) => [r.partyId, r.newIncidentsSinceLastMeeting, r.lastDecision, r.decision])).toEqual([
      [P1, 1, { meetingOn: '2026-02-01', decision: 'adopt' }, null],
      [P2, 0, null, null],
    ]);
    expect(perpetratorDetail(rm.db, P1, config, asOf)!.decisions).toMatchObject([{ meetingOn: '2026-02-01', decision: 'adopt', score: 20.5, configVersion: config.version }]);
  });

  it('reports re-offending and the score before and after per quarter and decision', () => {
    const groups = taskingOutcomes(rm.db, config, { from: '2026-01-01', to: '2026-03-31', windowDays: 90, asOf });
    expect(groups).toEqual([
      { period: '2026-Q1', decision: 'adopt', perpetrators: 1, reoffended: 1, reoffendedPct: 100, meanScoreBefore: 20.5, meanScoreAfter: expect.any(Number), stillInFollowUp: 1 },
    ]);
  });

  it('rebuilds from the log (links, unlinks and decisions included) to exactly the rows the live runner keeps', async () => {
    const facts = perpetratorTables.filter((t) => !/scores|members|score_meta|stale/.test(t));
    const dump = (db: Database.Database) => Object.fromEntries(facts.map((t) => [t, db.prepare(`SELECT * FROM ${t} ORDER BY 1, 2, 3`).all()]));
    const { dir, cleanup } = tempDir('hru-perp-rebuild-');
    const db = openReadModelDb(join(dir, 'rebuilt.sqlite'));
    try {
      await rebuildProjections(rm.store, db, ['perpetrators']);
      expect(dump(db)).toEqual(dump(rm.db));
      expect((dump(db).perpetrators_decisions as unknown[]).length).toBe(1);
      // A rebuilt model has no scores yet: the first read scores everyone, to the same ranking.
      expect(rescore(db, config, asOf).mode).toBe('full');
      expect(rescore(rm.db, config, asOf, { full: true }).mode).toBe('full');
      const ranking = (d: Database.Database) => listPerpetrators(d, { limit: 10 }).rows;
      expect(ranking(db)).toEqual(ranking(rm.db));
    } finally {
      db.close();
      cleanup();
    }
  });
});
