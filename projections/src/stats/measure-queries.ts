/**
 * Legal measures and statutory clocks in a period's statistics (issue #17): compliance with the Victims' Code
 * contact and SPO notification clocks, and counts of orders, notices, bail and MAPPA from the measures' steps (legacy
 * interventions included). Periods are ISO dates, both ends inclusive, each step and clock on its Europe/London date,
 * read from counts pre-aggregated by day (./counts.ts).
 */
import type Database from 'better-sqlite3';
import { dayCount, dayCountsByCounter } from './counts.js';
import type { Period } from './queries.js';

/** How the clocks of one kind that fell due in a period ended. */
export interface ClockCompliance {
  /** Clocks due in the period (cancelled and expired ones left out: what they waited for no longer applied). */
  due: number;
  metInTime: number;
  metLate: number;
  /** Reported missed (met late since, or still unmet). */
  missed: number;
  /** Still open: not yet due, or due and not yet reported missed. */
  pending: number;
  /** metInTime as a % of the clocks decided (due less pending); null when none is. */
  ratePct: number | null;
}

export interface MeasureStats {
  /** Victims' Code: contacts met in time out of contacts due. */
  victimsCodeCompliance: ClockCompliance;
  /** SPO notification by the subject (3 days from service): notified in time out of notifications due. */
  spoNotificationCompliance: ClockCompliance;
  /** SPO steps in the period, lifecycles and legacy interventions alike. */
  spo: { advised: number; applied: number; granted: number; breached: number };
  /**
   * DVPNs issued in the period, how many of those went on to a DVPO granted (whenever), the rate, and breaches of
   * DVPOs in the period.
   */
  dvpo: { notices: number; ordersGranted: number; conversionPct: number | null; breached: number };
  /** Pre-charge bail granted in the period, and extensions by authority. */
  bail: { granted: number; extensions: { inspector: number; superintendent: number; court: number } };
}

const pct = (part: number, whole: number) => (whole === 0 ? null : Math.round((part / whole) * 1000) / 10);

/** Clocks are counted on their due date by how they stand: `deadline:<kind>:<status>:<missed>:<late>`. */
export function clockCompliance(db: Database.Database, kind: string, p: Period): ClockCompliance {
  const row = { due: 0, metInTime: 0, metLate: 0, missed: 0, pending: 0 };
  for (const [key, n] of dayCountsByCounter(db, `deadline:${kind}:`, p)) {
    const [status, missed, late] = key.split(':');
    row.due += n;
    if (status === 'met' && late === '0') row.metInTime += n;
    if (status === 'met' && late === '1') row.metLate += n;
    if (missed === '1') row.missed += n;
    if (status === 'open') row.pending += n;
  }
  return { ...row, ratePct: pct(row.metInTime, row.due - row.pending) };
}

const steps = (db: Database.Database, kind: string, step: string, p: Period) => dayCount(db, `step:${kind}:${step}`, p);

export function measureStats(db: Database.Database, p: Period): MeasureStats {
  const notices = steps(db, 'dvpo', 'notice_issued', p);
  const converted = dayCount(db, 'dvpo:notice_converted', p);
  const extension = (authority: string) => dayCount(db, `step:bail:extended:${authority}`, p);
  return {
    victimsCodeCompliance: clockCompliance(db, 'victim_contact', p),
    spoNotificationCompliance: clockCompliance(db, 'spo_notification', p),
    spo: { advised: steps(db, 'spo', 'advised', p), applied: steps(db, 'spo', 'applied', p), granted: steps(db, 'spo', 'granted', p), breached: steps(db, 'spo', 'breached', p) },
    dvpo: { notices, ordersGranted: converted, conversionPct: pct(converted, notices), breached: steps(db, 'dvpo', 'breached', p) },
    bail: {
      granted: steps(db, 'bail', 'granted', p),
      extensions: { inspector: extension('inspector'), superintendent: extension('superintendent'), court: extension('court') },
    },
  };
}

/** The figures as `statistic,value` rows, for CSV. */
export function measureStatsRows(stats: MeasureStats): { statistic: string; value: number | null }[] {
  const flat = (prefix: string, value: unknown): { statistic: string; value: number | null }[] =>
    value !== null && typeof value === 'object'
      ? Object.entries(value).flatMap(([key, inner]) => flat(`${prefix}.${key}`, inner))
      : [{ statistic: prefix, value: value as number | null }];
  return Object.entries(stats).flatMap(([key, value]) => flat(key, value));
}
