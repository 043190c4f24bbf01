/**
 * The alerts list's keyset pages (issue 20), over alerts raised at the same moment (an intake's rules raise several):
 * walking every page, of any size, with or without a filter, gives each alert once, in the order of the whole list.
 */
import Database from 'better-sqlite3';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { alertsProjection, caseloadSchema, decodeAlertCursor, encodeAlertCursor, pageAlerts, type AlertCursor } from '@hru/projections';

const statuses = ['open', 'escalated', 'acknowledged', 'resolved'] as const;
const referral = (n: number) => `ref-${n.toString(16).padStart(32, '0')}`;

describe('alerts keyset pages', () => {
  it('walk the whole list once, newest first then by id, whatever the page size, ties and filter', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ minute: fc.integer({ min: 0, max: 4 }), status: fc.constantFrom(...statuses), referral: fc.integer({ min: 1, max: 3 }) }), { maxLength: 60 }),
        fc.integer({ min: 1, max: 7 }),
        fc.constantFrom('all', 'open', 'resolved') as fc.Arbitrary<'all' | 'open' | 'resolved'>,
        fc.option(fc.integer({ min: 1, max: 3 }), { nil: undefined }),
        (alerts, limit, status, onlyReferral) => {
          const db = new Database(':memory:');
          db.exec(alertsProjection({ webhookTargets: [] }).schema);
          db.exec(caseloadSchema);
          const insert = db.prepare(
            `INSERT INTO alerts_items (alert_id, referral_id, raised_by, addressed_to, rules, raised_at, status, level) VALUES (?, ?, 'person', 'supervisor', '[]', ?, ?, 0)`,
          );
          const rows = alerts.map((a, i) => ({
            alertId: `${referral(a.referral)}.ua${i + 1}`,
            referralId: referral(a.referral),
            raisedAt: `2026-05-01T10:0${a.minute}:00.000Z`,
            status: a.status,
          }));
          for (const r of rows) insert.run(r.alertId, r.referralId, r.raisedAt, r.status);
          const expected = rows
            .filter((r) => (status === 'all' ? true : status === 'open' ? r.status === 'open' || r.status === 'escalated' : r.status === status))
            .filter((r) => onlyReferral === undefined || r.referralId === referral(onlyReferral))
            .sort((a, b) => (a.raisedAt !== b.raisedAt ? (a.raisedAt < b.raisedAt ? 1 : -1) : a.alertId < b.alertId ? -1 : 1))
            .map((r) => r.alertId);
          const walked: string[] = [];
          let after: AlertCursor | undefined;
          for (let pages = 0; pages <= rows.length + 1; pages++) {
            const page = pageAlerts(db, { status, limit, ...(onlyReferral ? { referralId: referral(onlyReferral) } : {}), ...(after ? { after } : {}) });
            walked.push(...page.rows.map((r) => r.alertId));
            if (!page.more) break;
            after = decodeAlertCursor(encodeAlertCursor(page.rows.at(-1)!));
            expect(after).toBeDefined();
          }
          db.close();
          expect(walked).toEqual(expected);
        },
      ),
      { numRuns: 150 },
    );
  });

  it('refuses what is not a cursor of this list', () => {
    expect(decodeAlertCursor('nonsense')).toBeUndefined();
    expect(decodeAlertCursor(Buffer.from(JSON.stringify(['2026-05-01T10:00:00Z', 'pty-1'])).toString('base64url'))).toBeUndefined();
  });
});
