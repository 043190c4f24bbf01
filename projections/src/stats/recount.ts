/**
 * The statistics' counts worked out afresh from the fact tables, for every referral at once: for fact rows written
 * without `apply` (a test's hand-made rows), and for a rebuild into an empty shadow, which loads the fact rows alone
 * and counts once at the end instead of before and after each batch of a referral's events.
 *
 * The counts are sums over referrals of what each adds (./contributions.ts). Those of the steps and the clocks (each
 * on its day) are counted here in SQL, grouped over each table; those of the facts (each on its day, a case's
 * distinct days of a kind) in one read of them in key order; those of a referral's open intervals, which merge and
 * order them, go through `intervalsContribution`, the code `contributionOf` uses, over the intervals read in order,
 * a page of referrals at a time. The statistics-differential spec checks that this leaves the counts `apply` kept
 * event by event.
 */
import type Database from 'better-sqlite3';
import { statement } from '../framework/statements.js';
import { aggregateTables } from './aggregate-schema.js';
import { addTo, intervalsContribution, splitKey, type Contribution, type Interval } from './contributions.js';
import { factKinds } from './schema.js';

/** Referrals whose intervals are summed in memory before the sums are written. */
const PAGE = 5_000;

const addToDayCounts = (select: string) =>
  `INSERT INTO stats_day_counts (counter, on_date, n) ${select} ON CONFLICT (counter, on_date) DO UPDATE SET n = n + excluded.n`;

/**
 * `contributionOf`'s counts of the steps and the clocks, for every referral (`WHERE true`: SQLite's upsert after a
 * SELECT needs a WHERE). The facts' are counted in `countFacts`.
 */
const rowCounts = [
  // A measure's step on its day, with its detail when it has one.
  addToDayCounts(`SELECT 'step:' || measure_kind || ':' || step, on_date, count(*) FROM stats_measure_steps WHERE true GROUP BY 1, 2`),
  addToDayCounts(
    `SELECT 'step:' || measure_kind || ':' || step || ':' || detail, on_date, count(*) FROM stats_measure_steps WHERE detail IS NOT NULL GROUP BY 1, 2`,
  ),
  // A DVPN whose measure has an order granted (any step of the referral naming the measure), whenever.
  addToDayCounts(
    `SELECT 'dvpo:notice_converted', s.on_date, count(*) FROM stats_measure_steps s
     WHERE s.measure_kind = 'dvpo' AND s.step = 'notice_issued' AND s.measure_id IS NOT NULL
       AND EXISTS (SELECT 1 FROM stats_measure_steps g WHERE g.referral_id = s.referral_id AND g.step = 'order_granted' AND g.measure_id = s.measure_id)
     GROUP BY s.on_date`,
  ),
  // A clock by how it ended, on its due date; cancelled and expired ones count nowhere.
  addToDayCounts(
    `SELECT 'deadline:' || kind || ':' || status || ':' || missed || ':' || late, due_on, count(*) FROM stats_deadlines
     WHERE status NOT IN ('cancelled', 'expired') GROUP BY 1, 2`,
  ),
];

const upserts: Record<string, string> = {
  stats_day_counts: 'INSERT INTO stats_day_counts VALUES (?, ?, ?) ON CONFLICT (counter, on_date) DO UPDATE SET n = n + excluded.n',
  stats_first_days: 'INSERT INTO stats_first_days VALUES (?, ?, ?, ?) ON CONFLICT (counter, on_date, prev_on) DO UPDATE SET n = n + excluded.n',
  stats_open_segments:
    'INSERT INTO stats_open_segments VALUES (?, ?, ?, ?, ?) ON CONFLICT (counter, reach, seg_from, seg_until) DO UPDATE SET n = n + excluded.n',
};

/**
 * `contributionOf`'s counts of the facts, for every referral at once, in one read of the facts in key order (a
 * referral's together): each fact on its day, and each distinct day of a case's facts of a kind with the day before
 * it ('' for its first). SQL did this with a GROUP BY and a window over the same rows, which sorted them twice
 * (850 ms for the bench log's 312,500 facts, against 300 ms to read them). Counted in maps by kind, then day: a key
 * string built per fact cost as much again.
 */
function countFacts(db: Database.Database): void {
  const onDays = new Map<string, Map<string, number>>();
  /** By kind, day, then the day before it. */
  const firstDays = new Map<string, Map<string, Map<string, number>>>();
  const bump = (counts: Map<string, number>, at: string) => counts.set(at, (counts.get(at) ?? 0) + 1);
  const within = <V>(map: Map<string, V>, key: string, make: () => V): V => {
    let inner = map.get(key);
    if (inner === undefined) map.set(key, (inner = make()));
    return inner;
  };
  let referral: string | undefined;
  const daysOfKind = new Map<string, Set<string>>();
  const endReferral = () => {
    for (const [kind, set] of daysOfKind) {
      const days = [...set].sort();
      const byDay = within(firstDays, kind, () => new Map<string, Map<string, number>>());
      for (let k = 0; k < days.length; k++) bump(within(byDay, days[k]!, () => new Map<string, number>()), days[k - 1] ?? '');
    }
    daysOfKind.clear();
  };
  // A WITHOUT ROWID table is read in its key's order, so ORDER BY costs no sort (stats-recount.spec.ts checks it).
  for (const [id, kind, onDate] of statement<[], [string, string, string]>(db, 'SELECT referral_id, kind, on_date FROM stats_facts ORDER BY referral_id')
    .raw()
    .iterate()) {
    if (id !== referral) {
      endReferral();
      referral = id;
    }
    bump(within(onDays, kind, () => new Map<string, number>()), onDate);
    if (countedKinds.has(kind)) within(daysOfKind, kind, () => new Set<string>()).add(onDate);
  }
  endReferral();
  // The few thousand rows counted, in the contributions' own keys.
  const sums: Contribution = new Map();
  for (const [kind, byDay] of onDays) for (const [day, n] of byDay) addTo(sums, 'stats_day_counts', [`fact:${kind}`, day], n);
  for (const [kind, byDay] of firstDays) {
    for (const [day, byPrevious] of byDay) for (const [previous, n] of byPrevious) addTo(sums, 'stats_first_days', [`cases:${kind}`, day, previous], n);
  }
  writeSums(db, sums);
}

const countedKinds = new Set<string>(factKinds);

function writeSums(db: Database.Database, sums: Contribution): void {
  for (const [at, n] of sums) {
    const [table, ...key] = splitKey(at);
    statement(db, upserts[table]!).run(...key, n);
  }
}

/** The open intervals of every referral, a page of referrals at a time, with the first dates their segments start from. */
function countIntervals(db: Database.Database): void {
  const page = statement<[string, number], string>(db, 'SELECT DISTINCT referral_id FROM stats_open_intervals WHERE referral_id > ? ORDER BY referral_id LIMIT ?').pluck();
  const intervals = statement<[string, string], [string, string, string, string | null, string | null, string | null]>(
    db,
    `SELECT i.referral_id, i.problem_behaviour, i.opened_on, i.closed_on,
       (SELECT min(on_date) FROM stats_facts f WHERE f.referral_id = i.referral_id AND f.kind = 'health_involvement'),
       (SELECT min(on_date) FROM stats_measure_steps s WHERE s.referral_id = i.referral_id AND s.measure_kind = 'mappa' AND s.step = 'accepted')
     FROM stats_open_intervals i WHERE i.referral_id > ? AND i.referral_id <= ? ORDER BY i.referral_id, i.opened_on`,
  ).raw();
  for (let after = ''; ; ) {
    const ids = page.all(after, PAGE);
    if (ids.length === 0) return;
    const last = ids[ids.length - 1]!;
    const sums: Contribution = new Map();
    let referral: Interval[] = [];
    let firsts: [string | undefined, string | undefined] = [undefined, undefined];
    const rows = intervals.all(after, last);
    rows.forEach(([id, problem_behaviour, opened_on, closed_on, health, mappa], i) => {
      referral.push({ problem_behaviour, opened_on, closed_on });
      firsts = [health ?? undefined, mappa ?? undefined];
      if (rows[i + 1]?.[0] === id) return;
      intervalsContribution(sums, referral, ...firsts);
      referral = [];
    });
    writeSums(db, sums);
    after = last;
  }
}

export function recountStatistics(db: Database.Database): void {
  for (const table of aggregateTables) db.exec(`DELETE FROM ${table}`);
  for (const sql of rowCounts) statement(db, sql).run();
  countFacts(db);
  countIntervals(db);
  // Rows summing to zero (the open caseload's, whose cases have all closed) are not kept, as `apply` deletes them.
  for (const table of aggregateTables) db.exec(`DELETE FROM ${table} WHERE n = 0`);
}
