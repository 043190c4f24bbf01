/** The trend's month boundaries over the read-model tables themselves: the last second of a month, the first of the next. */
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { monthlyTrend, recountAlerts, recountStatistics, statsSchema } from '@hru/projections';
import { alertSchema } from '../../projections/src/alerts/schema.js';

function db(): Database.Database {
  const d = new Database(':memory:');
  d.exec(statsSchema);
  d.exec(alertSchema);
  return d;
}

const alert = (d: Database.Database, id: string, raisedAt: string, level: number, acknowledged: boolean) =>
  d
    .prepare(`INSERT INTO alerts_items (alert_id, referral_id, raised_by, addressed_to, rules, raised_at, status, level, ack_due_at, acknowledged_at) VALUES (?, 'r', 'intake_rule', 'supervisor', '[]', ?, ?, ?, NULL, ?)`)
    .run(id, raisedAt, acknowledged ? 'acknowledged' : 'open', level, acknowledged ? raisedAt : null);

describe('monthly trend boundaries', () => {
  it('puts an alert raised in the last second of a month in that month, and one at midnight in the next', () => {
    const d = db();
    alert(d, 'a1', '2026-03-31T23:59:59Z', 0, true);
    alert(d, 'a2', '2026-03-31T23:59:59.999Z', 1, true);
    alert(d, 'a3', '2026-04-01T00:00:00.000Z', 0, false);
    recountAlerts(d); // rows written by hand, not by the projection: count them
    const t = monthlyTrend(d, { from: '2026-03-01', to: '2026-04-30' });
    expect(t.months.map((m) => [m.month, m.alertsRaised, m.alertsAcknowledgedInTime, m.alertsAcknowledgedLate])).toEqual([
      ['2026-03', 2, 1, 1],
      ['2026-04', 1, 0, 0],
    ]);
  });

  it('counts a referral received on the last day of a month in it, open at its end, and closed in the next', () => {
    const d = db();
    d.prepare("INSERT INTO stats_open_intervals VALUES ('r1', 'stalking', '2026-03-31', '2026-04-01')").run();
    d.prepare("INSERT INTO stats_open_intervals VALUES ('r1', 'stalking', '2026-04-10', NULL)").run();
    recountStatistics(d); // rows written by hand, not by the projection: count them
    const t = monthlyTrend(d, { from: '2026-03-15', to: '2026-04-30' });
    expect(t.months).toEqual([
      expect.objectContaining({ month: '2026-03', from: '2026-03-15', to: '2026-03-31', referralsReceived: 1, openAtEnd: 1, closed: 0 }),
      expect.objectContaining({ month: '2026-04', from: '2026-04-01', to: '2026-04-30', referralsReceived: 0, openAtEnd: 1, closed: 1 }),
    ]);
    expect(t.totals.referralsReceived).toBe(1);
  });
});
