/**
 * Legal measures and statutory clocks in a period's statistics (issue #17): compliance with the Victims' Code
 * contact and SPO notification clocks, and counts of orders, notices, bail and MAPPA from the measures' steps (legacy
 * interventions included). Periods are ISO dates, both ends inclusive, each step and clock on its Europe/London date.
 */
import type Database from 'better-sqlite3';
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

export function clockCompliance(db: Database.Database, kind: string, p: Period): ClockCompliance {
  const row = db
    .prepare(
      `SELECT count(*) AS due,
         coalesce(sum(status = 'met' AND late = 0), 0) AS metInTime,
         coalesce(sum(status = 'met' AND late = 1), 0) AS metLate,
         coalesce(sum(missed), 0) AS missed,
         coalesce(sum(status = 'open'), 0) AS pending
       FROM stats_deadlines WHERE kind = ? AND due_on BETWEEN ? AND ? AND status NOT IN ('cancelled', 'expired')`,
    )
    .get(kind, p.from, p.to) as Omit<ClockCompliance, 'ratePct'>;
  return { ...row, ratePct: pct(row.metInTime, row.due - row.pending) };
}

function steps(db: Database.Database, kind: string, step: string, p: Period): number {
  return (
    db.prepare('SELECT count(*) AS n FROM stats_measure_steps WHERE measure_kind = ? AND step = ? AND on_date BETWEEN ? AND ?').get(kind, step, p.from, p.to) as {
      n: number;
    }
  ).n;
}

/** Cases with the measure step by the period's end that were open at some time during the period. */
export function openCasesWithStep(db: Database.Database, kind: string, step: string, p: Period): number {
  return (
    db
      .prepare(
        `SELECT count(DISTINCT s.referral_id) AS n FROM stats_measure_steps s
         WHERE s.measure_kind = ? AND s.step = ? AND s.on_date <= ? AND EXISTS (
           SELECT 1 FROM stats_open_intervals o WHERE o.referral_id = s.referral_id
             AND o.opened_on <= ? AND (o.closed_on IS NULL OR o.closed_on >= ?))`,
      )
      .get(kind, step, p.to, p.to, p.from) as { n: number }
  ).n;
}

export function measureStats(db: Database.Database, p: Period): MeasureStats {
  const notices = steps(db, 'dvpo', 'notice_issued', p);
  const converted = (
    db
      .prepare(
        `SELECT count(*) AS n FROM stats_measure_steps s WHERE s.measure_kind = 'dvpo' AND s.step = 'notice_issued' AND s.on_date BETWEEN ? AND ?
           AND EXISTS (SELECT 1 FROM stats_measure_steps g WHERE g.referral_id = s.referral_id AND g.measure_id = s.measure_id AND g.step = 'order_granted')`,
      )
      .get(p.from, p.to) as { n: number }
  ).n;
  const extensions = Object.fromEntries(
    (
      db
        .prepare(
          `SELECT detail, count(*) AS n FROM stats_measure_steps WHERE measure_kind = 'bail' AND step = 'extended' AND on_date BETWEEN ? AND ? GROUP BY detail`,
        )
        .all(p.from, p.to) as { detail: string; n: number }[]
    ).map((r) => [r.detail, r.n]),
  );
  return {
    victimsCodeCompliance: clockCompliance(db, 'victim_contact', p),
    spoNotificationCompliance: clockCompliance(db, 'spo_notification', p),
    spo: { advised: steps(db, 'spo', 'advised', p), applied: steps(db, 'spo', 'applied', p), granted: steps(db, 'spo', 'granted', p), breached: steps(db, 'spo', 'breached', p) },
    dvpo: { notices, ordersGranted: converted, conversionPct: pct(converted, notices), breached: steps(db, 'dvpo', 'breached', p) },
    bail: {
      granted: steps(db, 'bail', 'granted', p),
      extensions: { inspector: extensions.inspector ?? 0, superintendent: extensions.superintendent ?? 0, court: extensions.court ?? 0 },
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
