/**
 * The statistics' queries as they were before issue #20 (SQL over every fact row of the period), kept as the
 * oracle the pre-aggregated queries are checked against (tests/projections/statistics-differential.spec.ts).
 */
import type Database from 'better-sqlite3';
import type { ClockCompliance, MeasureStats, Period } from '@hru/projections';

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
