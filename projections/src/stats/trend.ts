/**
 * The manager's dashboard by month: referrals received, cases open at each month's end, cases closed, and the
 * urgent alerts raised with how many were acknowledged before their first escalation fell due. Each month is the
 * same count the period figures make (received on the date ReferralReceived counts on; open at the month's
 * last day as `activeCaseload` counts it), so a month's row can be checked against the headline for that month.
 */
import type Database from 'better-sqlite3';
import type { CsvColumn } from '../framework/csv.js';
import { alertCountsByMonth } from '../alerts/counts.js';
import { dayCount, runningCount } from './counts.js';
import type { Period } from './queries.js';

/** The longest trend asked for in one request: three years of months keeps the reply and the work bounded. */
export const MAX_TREND_MONTHS = 36;

export interface MonthTrend {
  /** `2026-03`. */
  month: string;
  /** The part of the month inside the period (the first and last months may be partial). */
  from: string;
  to: string;
  /** Referrals first received in the month (a reopening is not a new referral). */
  referralsReceived: number;
  /** Cases open at the end of the month (its last day in the period). */
  openAtEnd: number;
  /** Case closures dated in the month. */
  closed: number;
  /** Urgent alerts raised in the month. */
  alertsRaised: number;
  /** Of those, acknowledged while still at level 0 (before the first escalation fell due). */
  alertsAcknowledgedInTime: number;
  /** Of those, acknowledged only after at least one escalation. */
  alertsAcknowledgedLate: number;
}

export interface Trend {
  from: string;
  to: string;
  by: 'month';
  months: MonthTrend[];
  totals: Omit<MonthTrend, 'month' | 'from' | 'to' | 'openAtEnd'>;
}

/** The calendar months a period touches, each cut to the period. */
export function monthsOf(p: Period): Period[] {
  const out: Period[] = [];
  let [year, month] = p.from.slice(0, 7).split('-').map(Number) as [number, number];
  for (;;) {
    const first = `${year}-${String(month).padStart(2, '0')}-01`;
    if (first > p.to) return out;
    const last = new Date(Date.UTC(year, month, 0)).toISOString().slice(0, 10);
    out.push({ from: first < p.from ? p.from : first, to: last > p.to ? p.to : last });
    month += 1;
    if (month === 13) {
      month = 1;
      year += 1;
    }
  }
}

interface AlertCounts {
  raised: number;
  in_time: number;
  late: number;
}

function monthRow(db: Database.Database, m: Period, alerts: AlertCounts | undefined): MonthTrend {
  return {
    month: m.from.slice(0, 7),
    from: m.from,
    to: m.to,
    referralsReceived: dayCount(db, 'received', m),
    openAtEnd: runningCount(db, 'open', m.to),
    closed: dayCount(db, 'closed', m),
    alertsRaised: alerts?.raised ?? 0,
    alertsAcknowledgedInTime: alerts?.in_time ?? 0,
    alertsAcknowledgedLate: alerts?.late ?? 0,
  };
}

/** The period month by month; the caller bounds the period (MAX_TREND_MONTHS). */
export function monthlyTrend(db: Database.Database, p: Period): Trend {
  // Alerts by the UTC day they were raised (the alerts model's counts), the period's months in one read.
  const alerts = alertCountsByMonth(db, p.from, p.to);
  const months = monthsOf(p).map((m) => monthRow(db, m, alerts.get(m.from.slice(0, 7))));
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

export const trendCsvColumns: CsvColumn<MonthTrend>[] = [
  { header: 'month', value: (r) => r.month },
  { header: 'from', value: (r) => r.from },
  { header: 'to', value: (r) => r.to },
  { header: 'referralsReceived', value: (r) => r.referralsReceived },
  { header: 'openAtEnd', value: (r) => r.openAtEnd },
  { header: 'closed', value: (r) => r.closed },
  { header: 'alertsRaised', value: (r) => r.alertsRaised },
  { header: 'alertsAcknowledgedInTime', value: (r) => r.alertsAcknowledgedInTime },
  { header: 'alertsAcknowledgedLate', value: (r) => r.alertsAcknowledgedLate },
];
