import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { getAlert, listAlerts, listOpenTimers } from '@hru/projections';
import { given, received, referralId } from './support/history.js';
import { startReadModels, type ReadModels } from './support/read-models.js';

const [a, b, c] = [1, 2, 3].map(referralId) as [string, string, string];

describe('alerts and open timers', () => {
  let rm: ReadModels;
  beforeEach(async () => {
    rm = await startReadModels();
    await rm.given([
      received(a, '2026-03-01T09:00:00Z'),
      received(b, '2026-03-01T09:00:00Z'),
      received(c, '2026-03-01T09:00:00Z'),
      given.urgent(a, 1, '2026-03-01T10:00:00Z', '2026-03-01T10:15:00Z'),
      given.escalated(a, 1, '2026-03-01T10:15:00Z', 1, '2026-03-01T10:30:00Z'),
      given.urgent(b, 1, '2026-03-01T11:00:00Z', '2026-03-01T11:15:00Z'),
      given.acknowledged(b, 1, '2026-03-01T11:05:00Z'),
      given.urgent(c, 1, '2026-03-01T12:00:00Z', null),
      given.urgent(c, 2, '2026-03-01T12:30:00Z', '2026-03-01T12:45:00Z'),
      given.escalated(c, 2, '2026-03-01T12:45:00Z', 3, null),
    ]);
  });
  afterEach(() => rm.close());

  it('lists unacknowledged alerts as open, with their escalation level', () => {
    expect(listAlerts(rm.db, { status: 'open' }).map((r) => [r.alertId, r.status, r.escalationLevel])).toEqual([
      [`${a}.ua1`, 'escalated', 1],
      [`${c}.ua1`, 'open', 0],
      [`${c}.ua2`, 'escalated', 3],
    ]);
    expect(getAlert(rm.db, `${b}.ua1`)).toMatchObject({ status: 'acknowledged', ackDueAt: null, reason: 'threats', raisedAt: '2026-03-01T11:00:00Z' });
  });

  it('lists the timers to re-arm: the next escalation of each unacknowledged alert, none at the last level', async () => {
    expect(listOpenTimers(rm.db)).toEqual([
      { alertId: `${a}.ua1`, referralId: a, level: 1, status: 'escalated', ackDueAt: '2026-03-01T10:30:00Z' },
      // No ackDueAt recorded: due at once, so the raise time.
      { alertId: `${c}.ua1`, referralId: c, level: 0, status: 'open', ackDueAt: '2026-03-01T12:00:00Z' },
    ]);
    await rm.given([given.acknowledged(a, 1, '2026-03-01T10:20:00Z'), given.resolved(c, 1, '2026-03-01T13:00:00Z')]);
    expect(listOpenTimers(rm.db)).toEqual([]);
    expect(listAlerts(rm.db, { status: 'resolved' }).map((r) => r.alertId)).toEqual([`${c}.ua1`]);
  });
});
