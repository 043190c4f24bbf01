/** Outcome rates per period, overall and per problem behaviour, beside a configured comparator. */
import type Database from 'better-sqlite3';
import { columnsOf } from '../framework/csv.js';

export { outcomeGroups } from './daily.js';

export interface OutcomeRates extends Record<string, unknown> {
  crimes: number;
  chargedOrSummonsed: number;
  cautioned: number;
  victimWithdrawal: number;
  chargedPct: number | null;
  cautionedPct: number | null;
  victimWithdrawalPct: number | null;
}

/** A published comparison (e.g. force-wide stalking outcomes); configuration, since it varies by force. */
export interface OutcomeComparator {
  label: string;
  chargedPct: number;
  cautionedPct: number;
  victimWithdrawalPct?: number;
}

export interface OutcomeStats {
  from: string;
  to: string;
  overall: OutcomeRates;
  byProblemBehaviour: (OutcomeRates & { problemBehaviour: string })[];
  comparator: OutcomeComparator | null;
}

const pct = (part: number, whole: number) => (whole === 0 ? null : Math.round((part / whole) * 1000) / 10);

function rates(row: { crimes: number; charged: number; cautioned: number; withdrawn: number }): OutcomeRates {
  return {
    crimes: row.crimes,
    chargedOrSummonsed: row.charged,
    cautioned: row.cautioned,
    victimWithdrawal: row.withdrawn,
    chargedPct: pct(row.charged, row.crimes),
    cautionedPct: pct(row.cautioned, row.crimes),
    victimWithdrawalPct: pct(row.withdrawn, row.crimes),
  };
}

/** `from` and `to` are ISO dates, both inclusive; the counts are pre-aggregated by day (./daily.ts). */
export function outcomeStats(db: Database.Database, period: { from: string; to: string }, comparator?: OutcomeComparator): OutcomeStats {
  const rows = db
    .prepare(
      `SELECT problem_behaviour AS problemBehaviour, sum(crimes) AS crimes, sum(charged) AS charged, sum(cautioned) AS cautioned, sum(withdrawn) AS withdrawn
       FROM outcomes_daily WHERE outcome_date BETWEEN ? AND ?
       GROUP BY 1 HAVING sum(crimes) > 0 ORDER BY 1`,
    )
    .all(period.from, period.to) as { problemBehaviour: string; crimes: number; charged: number; cautioned: number; withdrawn: number }[];
  const total = rows.reduce(
    (t, r) => ({ crimes: t.crimes + r.crimes, charged: t.charged + r.charged, cautioned: t.cautioned + r.cautioned, withdrawn: t.withdrawn + r.withdrawn }),
    { crimes: 0, charged: 0, cautioned: 0, withdrawn: 0 },
  );
  return {
    from: period.from,
    to: period.to,
    overall: rates(total),
    byProblemBehaviour: rows.map((r) => ({ problemBehaviour: r.problemBehaviour, ...rates(r) })),
    comparator: comparator ?? null,
  };
}

/** Flat rows for CSV: `overall` first, then one per problem behaviour. */
export function outcomeStatsRows(stats: OutcomeStats): (OutcomeRates & { group: string })[] {
  return [{ group: 'overall', ...stats.overall }, ...stats.byProblemBehaviour.map(({ problemBehaviour, ...r }) => ({ group: problemBehaviour, ...r }))];
}

export const outcomeCsvColumns = columnsOf<OutcomeRates & { group: string }>([
  'group',
  'crimes',
  'chargedOrSummonsed',
  'cautioned',
  'victimWithdrawal',
  'chargedPct',
  'cautionedPct',
  'victimWithdrawalPct',
]);
