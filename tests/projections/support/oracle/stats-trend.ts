/**
 * The statistics' queries as they were before issue #20 (SQL over every fact row of the period), kept as the
 * oracle the pre-aggregated queries are checked against (tests/projections/statistics-differential.spec.ts).
 */
import type Database from 'better-sqlite3';
import { monthsOf, type MonthTrend, type Period, type Trend } from '@hru/projections';

const count = (db: Database.Database, sql: string, ...args: unknown[]) => (db.prepare(sql).get(...args) as { n: number | null }).n ?? 0;

/** The day after an ISO date. */
const dayAfter = (day: string) => new Date(Date.parse(`${day}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);

/**
 * Alerts' times are ISO instants in UTC (`…Z`); a month's alerts are those raised on its UTC days, as the open
 * intervals count on their events' UTC dates. Compared as text against whole dates: `2026-03-31T23:59:59Z` sorts
 * before `2026-04-01`, whatever the fraction of a second it carries.
 */
function monthRow(db: Database.Database, m: Period): MonthTrend {
  const alerts = db
    .prepare(
      `SELECT count(*) AS raised,
         sum(acknowledged_at IS NOT NULL AND level = 0) AS inTime,
         sum(acknowledged_at IS NOT NULL AND level > 0) AS late
       FROM alerts_items WHERE raised_at >= ? AND raised_at < ?`,
    )
    .get(m.from, dayAfter(m.to)) as { raised: number; inTime: number | null; late: number | null };
  return {
    month: m.from.slice(0, 7),
    from: m.from,
    to: m.to,
    referralsReceived: count(
      db,
      'SELECT count(*) AS n FROM (SELECT min(opened_on) AS first FROM stats_open_intervals GROUP BY referral_id) WHERE first BETWEEN ? AND ?',
      m.from,
      m.to,
    ),
    openAtEnd: count(db, 'SELECT count(DISTINCT referral_id) AS n FROM stats_open_intervals WHERE opened_on <= ? AND (closed_on IS NULL OR closed_on > ?)', m.to, m.to),
    closed: count(db, 'SELECT count(*) AS n FROM stats_open_intervals WHERE closed_on BETWEEN ? AND ?', m.from, m.to),
    alertsRaised: alerts.raised,
    alertsAcknowledgedInTime: alerts.inTime ?? 0,
    alertsAcknowledgedLate: alerts.late ?? 0,
  };
}

/** The period month by month; the caller bounds the period (MAX_TREND_MONTHS). */
export function monthlyTrend(db: Database.Database, p: Period): Trend {
  const months = monthsOf(p).map((m) => monthRow(db, m));
  const sum = (key: 'referralsReceived' | 'closed' | 'alertsRaised' | 'alertsAcknowledgedInTime' | 'alertsAcknowledgedLate') => months.reduce((t, m) => t + m[key], 0);
  return {
    from: p.from,
    to: p.to,
    by: 'month',
    months,
    totals: {
      referralsReceived: sum('referralsReceived'),
      closed: sum('closed'),
      alertsRaised: sum('alertsRaised'),
      alertsAcknowledgedInTime: sum('alertsAcknowledgedInTime'),
      alertsAcknowledgedLate: sum('alertsAcknowledgedLate'),
    },
  };
}
