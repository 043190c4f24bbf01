import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { countCaseload, listCaseload, listQueue, toCsv, caseloadCsvColumns } from '@hru/projections';
import { given, received, referralId } from './support/history.js';
import { startReadModels, type ReadModels } from './support/read-models.js';

const [a, b, c, d, e] = [1, 2, 3, 4, 5].map(referralId) as [string, string, string, string, string];
const now = new Date('2026-03-20T12:00:00Z');

describe('caseload and stage queues', () => {
  let rm: ReadModels;
  beforeEach(async () => {
    rm = await startReadModels();
    await rm.given([
      received(a, '2026-03-01T09:00:00Z', 'stalking'),
      received(b, '2026-03-02T09:00:00Z', 'serial_domestic_abuse'),
      received(c, '2026-03-03T09:00:00Z', 'stalking'),
      received(d, '2026-03-19T09:00:00Z', 'querulance'),
      received(e, '2026-03-04T09:00:00Z', 'stalking'),
      given.triaged(a, '2026-03-02T09:00:00Z'),
      given.screened(a, '2026-03-05T09:00:00Z', 'adopt'),
      given.triaged(b, '2026-03-03T09:00:00Z'),
      given.triaged(c, '2026-03-04T09:00:00Z'),
      given.screened(c, '2026-03-06T09:00:00Z', 'adopt'),
      given.discussed(c, '2026-03-10T09:00:00Z'),
      given.plan(c, '2026-03-10T10:00:00Z'),
      given.reviewed(c, '2026-03-12T10:00:00Z', '2026-03-18'),
      given.assigned(c, '2026-03-06T10:00:00Z', 'dc-smith'),
      given.urgent(b, 1, '2026-03-03T10:00:00Z', '2026-03-03T10:15:00Z'),
      given.triaged(e, '2026-03-05T09:00:00Z', 'not_stalking'),
      given.closed(e, '2026-03-05T09:05:00Z', 'awaiting_triage'),
    ]);
  });
  afterEach(() => rm.close());

  it('lists active cases with stage, owner, urgency and age', () => {
    const rows = listCaseload(rm.db, {}, now);
    expect(rows.map((r) => [r.referralId, r.stage, r.urgent])).toEqual([
      [b, 'awaiting_screening', true],
      [a, 'awaiting_case_discussion', false],
      [c, 'under_management', false],
      [d, 'awaiting_triage', false],
    ]);
    expect(rows.find((r) => r.referralId === c)).toMatchObject({ ownerSub: 'dc-smith', ageDays: 17, daysInStage: 10, nextReviewDue: '2026-03-18' });
    expect(listCaseload(rm.db, { problemBehaviour: 'stalking' }, now).map((r) => r.referralId)).toEqual([a, c]);
    expect(listCaseload(rm.db, { includeClosed: true, stage: 'closed' }, now).map((r) => r.referralId)).toEqual([e]);
    expect(countCaseload(rm.db)).toEqual([
      { problemBehaviour: 'querulance', stage: 'awaiting_triage', cases: 1, urgent: 0 },
      { problemBehaviour: 'serial_domestic_abuse', stage: 'awaiting_screening', cases: 1, urgent: 1 },
      { problemBehaviour: 'stalking', stage: 'awaiting_case_discussion', cases: 1, urgent: 0 },
      { problemBehaviour: 'stalking', stage: 'under_management', cases: 1, urgent: 0 },
    ]);
  });

  it('clears urgency when the alert is resolved and reopens a closed case into triage', async () => {
    await rm.given([given.resolved(b, 1, '2026-03-04T10:00:00Z'), given.reopened(e, '2026-03-15T09:00:00Z', d)]);
    const rows = listCaseload(rm.db, {}, now);
    expect(rows.find((r) => r.referralId === b)?.urgent).toBe(false);
    expect(rows.find((r) => r.referralId === e)).toMatchObject({ stage: 'awaiting_triage', stageSince: '2026-03-15T09:00:00Z' });
  });

  it('ages each queue against its target', () => {
    expect(listQueue(rm.db, 'triage', { now })).toEqual([
      expect.objectContaining({ referralId: d, daysWaiting: 1, targetDays: 1, overTarget: false }),
    ]);
    expect(listQueue(rm.db, 'screening', { now, targets: { triage: 1, screening: 10, awaiting_case_discussion: 28, reviews_due: 0 } })).toEqual([
      expect.objectContaining({ referralId: b, urgent: true, daysWaiting: 17, targetDays: 10, overTarget: true }),
    ]);
    expect(listQueue(rm.db, 'awaiting_case_discussion', { now }).map((r) => [r.referralId, r.daysWaiting, r.overTarget])).toEqual([[a, 15, false]]);
    expect(listQueue(rm.db, 'reviews_due', { now })).toEqual([
      expect.objectContaining({ referralId: c, waitingSince: '2026-03-18', daysWaiting: 2, overTarget: true }),
    ]);
  });

  it('renders the caseload as CSV', () => {
    const csv = toCsv(listCaseload(rm.db, { stage: 'under_management' }, now), caseloadCsvColumns);
    expect(csv.split('\r\n')[0]).toBe('referralId,problemBehaviour,stage,stageSince,receivedAt,ownerSub,ownerAgency,urgent,nextReviewDue,ageDays,daysInStage,targetDays,overTarget,crimeReference,offenceCode,principalOffence,dashYesCount');
    expect(csv.split('\r\n')[1]).toBe(`${c},stalking,under_management,2026-03-10T10:00:00Z,2026-03-03T09:00:00Z,dc-smith,police,false,2026-03-18,17,10,,false,CC/000003,8/65,Stalking involving fear of violence,9`);
  });
});
