/**
 * The statistics' queries as they were before issue #20 (SQL over every fact row of the period), kept as the
 * oracle the pre-aggregated queries are checked against (tests/projections/statistics-differential.spec.ts).
 */
import type Database from 'better-sqlite3';
import type { OutcomeComparator, OutcomeRates, OutcomeStats } from '@hru/projections';

/** Home Office outcome types counted by each rate; 2 and 3 are the two caution types. */
export const outcomeGroups = { chargedOrSummonsed: ['1'], cautioned: ['2', '3'], victimWithdrawal: ['16'] } as const;

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

const inList = (codes: readonly string[]) => codes.map((c) => `'${c}'`).join(', ');

/** `from` and `to` are ISO dates, both inclusive. */
export function outcomeStats(db: Database.Database, period: { from: string; to: string }, comparator?: OutcomeComparator): OutcomeStats {
  const rows = db
    .prepare(
      `SELECT coalesce(r.problem_behaviour, 'unknown') AS problemBehaviour, count(*) AS crimes,
         sum(c.outcome_code IN (${inList(outcomeGroups.chargedOrSummonsed)})) AS charged,
         sum(c.outcome_code IN (${inList(outcomeGroups.cautioned)})) AS cautioned,
         sum(c.outcome_code IN (${inList(outcomeGroups.victimWithdrawal)})) AS withdrawn
       FROM outcomes_crimes c LEFT JOIN outcomes_referrals r USING (referral_id)
       WHERE c.outcome_date BETWEEN ? AND ?
       GROUP BY 1 ORDER BY 1`,
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
