/**
 * What the measures' steps do to the clocks (issue 17): set on the working-day calendar, warned, met, missed once,
 * missed at once when backdated, moved by a correction, and the alerts a missed clock or a breach raises.
 * 2026-11-20 is a Friday, in GMT (local time is UTC).
 */
import { describe, expect, it } from 'vitest';
import { HruError } from '@hru/events';
import { acknowledge, agreePlan, close, raise, receive, recordDiscussion, screen, triage } from '../support/referral-commands.js';
import { NOW } from '../support/decider-spec.js';
import { bailLifecycle, dvpoLifecycle, mappaLifecycle, spoLifecycle } from './lifecycles.js';
import { AT, LATER, Life } from './support.js';

const types = (events: { type: string }[]) => events.map((e) => e.type);

function refused(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    if (error instanceof HruError) return error.message;
    throw error;
  }
  throw new Error('the command was accepted');
}

describe('Stalking Protection Order', () => {
  it('service starts the notification clock: 3 days beginning with the day of service, owned by the officer', () => {
    const life = new Life().walk(spoLifecycle, ['applied', 'granted']);
    const events = life.run(life.stepCommand(spoLifecycle, 'served'));
    expect(types(events)).toEqual(['SpoStepRecorded', 'DeadlineSet']);
    expect(events[1]!.data).toMatchObject({ kind: 'spo_notification', clock: 'spo_notification', measureId: 'm1', owner: 'officer', triggerAt: AT, dueAt: '2026-11-22T23:59:59.999Z', version: 1 });
    const warnAt = (events[1]!.data as { warnAt: string | null }).warnAt;
    expect(warnAt === null || (warnAt > AT && warnAt < '2026-11-22T23:59:59.999Z')).toBe(true);
  });

  it('notification meets it; a later firing of its timer records nothing', () => {
    const life = new Life().walk(spoLifecycle, ['applied', 'granted', 'served']);
    const d = life.unmet('spo_notification')!;
    const events = life.run(life.stepCommand(spoLifecycle, 'notified'));
    expect(types(events)).toEqual(['SpoStepRecorded', 'DeadlineClosed']);
    expect(events[1]!.data).toMatchObject({ deadlineId: d.deadlineId, outcome: 'met', late: false });
    expect(life.run({ name: 'pass-deadline', payload: { deadlineId: d.deadlineId, version: 1 }, now: LATER })).toEqual([]);
    expect(life.run({ name: 'warn-deadline', payload: { deadlineId: d.deadlineId, version: 1 }, now: LATER })).toEqual([]);
  });

  it('passing unmet: missed once, the order moves to notification missed, and the officer is alerted', () => {
    const life = new Life().walk(spoLifecycle, ['applied', 'granted', 'served']);
    const d = life.unmet('spo_notification')!;
    const events = life.pass('spo_notification');
    expect(types(events)).toEqual(['DeadlineMissed', 'SpoStepRecorded', 'UrgentActionRaised']);
    expect(events[1]!.data).toMatchObject({ step: { step: 'notification_missed' }, at: d.dueAt });
    expect(events[2]!.data).toMatchObject({ raisedBy: 'deadline', addressedTo: 'officer', rules: ['spo_notification'] });
    expect(life.run({ name: 'pass-deadline', payload: { deadlineId: d.deadlineId, version: 1 }, now: LATER })).toEqual([]);
    // Notified late: met, and marked late.
    const late = life.run(life.stepCommand(spoLifecycle, 'notified', {}, '2027-12-31T10:00:00.000Z', LATER));
    expect(late[1]!.data).toMatchObject({ outcome: 'met', late: true });
  });

  it('a firing before the due time records nothing (the worker re-delays it)', () => {
    const life = new Life().walk(spoLifecycle, ['applied', 'granted', 'served']);
    const d = life.unmet('spo_notification')!;
    expect(life.run({ name: 'pass-deadline', payload: { deadlineId: d.deadlineId, version: 1 }, now: '2026-11-22T23:00:00.000Z' })).toEqual([]);
  });

  it('a backdated service whose clock has run out is missed at once, in the same decision', () => {
    const life = new Life().walk(spoLifecycle, ['applied', 'granted']);
    const events = life.run(life.stepCommand(spoLifecycle, 'served', {}, '2026-11-10T09:00:00.000Z'));
    expect(types(events)).toEqual(['SpoStepRecorded', 'DeadlineSet', 'DeadlineMissed', 'SpoStepRecorded', 'UrgentActionRaised']);
    expect(life.measure('spo')!.status).toBe('notification_missed');
  });

  it('a corrected service time moves the clock (next version); the old version’s firing is ignored', () => {
    const life = new Life().walk(spoLifecycle, ['applied', 'granted', 'served']);
    const events = life.run({ name: 'correct-measure-step', payload: { measureId: 'm1', step: 'served', at: '2026-11-20T08:00:00.000Z', reason: 'Served earlier than entered' } });
    expect(types(events)).toEqual(['MeasureStepCorrected', 'DeadlineSet']);
    expect(events[1]!.data).toMatchObject({ kind: 'spo_notification', version: 2, triggerAt: '2026-11-20T08:00:00.000Z', dueAt: '2026-11-22T23:59:59.999Z' });
    const d = life.unmet('spo_notification')!;
    expect(life.run({ name: 'pass-deadline', payload: { deadlineId: d.deadlineId, version: 1 }, now: LATER })).toEqual([]);
    expect(types(life.run({ name: 'pass-deadline', payload: { deadlineId: d.deadlineId, version: 2 }, now: LATER }))).toContain('DeadlineMissed');
  });

  it('a correction back past the due time reports the clock missed at once', () => {
    const life = new Life().walk(spoLifecycle, ['applied', 'granted', 'served']);
    const events = life.run({ name: 'correct-measure-step', payload: { measureId: 'm1', step: 'served', at: '2026-11-01T08:00:00.000Z', reason: 'Served earlier than entered' } });
    expect(types(events)).toEqual(['MeasureStepCorrected', 'DeadlineSet', 'DeadlineMissed', 'SpoStepRecorded', 'UrgentActionRaised']);
  });

  it('a breach pages the supervisors; a second breach while the first page is unacknowledged supersedes it and keeps its rules', () => {
    const life = new Life().walk(spoLifecycle, ['applied', 'granted', 'served', 'notified']);
    const first = life.run(life.stepCommand(spoLifecycle, 'breached'));
    expect(types(first)).toEqual(['SpoStepRecorded', 'UrgentActionRaised']);
    expect(first[1]!.data).toMatchObject({ raisedBy: 'breach', addressedTo: 'supervisor', rules: ['spo_breach'] });
    expect(life.measure('spo')!.breaches).toEqual([{ breachOn: '2026-11-19', crimeReference: 'CC/26/000999', at: AT }]);
    const staffAlert = new Life().walk(spoLifecycle, ['applied', 'granted', 'served', 'notified']);
    staffAlert.run(raise());
    const second = staffAlert.run(staffAlert.stepCommand(spoLifecycle, 'breached'));
    expect(types(second)).toEqual(['SpoStepRecorded', 'UrgentActionResolved', 'UrgentActionRaised']);
    expect(second[1]!.data).toMatchObject({ resolvedBy: 'superseded' });
    expect(staffAlert.state.urgentActions.map((a) => a.status)).toEqual(['resolved', 'raised']);
  });

  it('a full order lasts at least 2 years or until further order', () => {
    const life = new Life().walk(spoLifecycle, ['applied']);
    expect(refused(() => life.run(life.stepCommand(spoLifecycle, 'granted', { order: 'full', endsOn: '2027-11-20' })))).toMatch(/at least 2 years/);
    const events = life.run(life.stepCommand(spoLifecycle, 'granted', { order: 'full', endsOn: null }));
    expect(types(events)).toEqual(['SpoStepRecorded', 'DeadlineSet']); // the victim's contact clock; no end clock
    expect(events[1]!.data).toMatchObject({ kind: 'victim_contact' });
  });

  it('the end of an order expires it, with no alert', () => {
    const life = new Life().walk(spoLifecycle, ['applied', 'granted', 'served', 'notified']);
    const events = life.pass('order_end');
    expect(types(events)).toEqual(['SpoStepRecorded', 'DeadlineClosed']);
    expect(events[1]!.data).toMatchObject({ outcome: 'expired' });
    expect(life.measure('spo')!.status).toBe('expired');
  });

  it('a renewal moves the end clock; discharge cancels every clock of the order', () => {
    const life = new Life().walk(spoLifecycle, ['applied', 'granted', 'served']);
    const end = life.unmet('order_end')!;
    const renewed = life.run(life.stepCommand(spoLifecycle, 'renewed'));
    expect(renewed.find((e) => e.type === 'DeadlineSet' && e.data.kind === 'order_end')?.data).toMatchObject({ deadlineId: end.deadlineId, version: 2, dueAt: '2027-02-20T23:59:59.999Z' });
    const discharged = life.run(life.stepCommand(spoLifecycle, 'discharged'));
    const cancelled = discharged.filter((e) => e.type === 'DeadlineClosed').map((e) => (e.data as { deadlineId: string; outcome: string }).outcome);
    expect(cancelled).toEqual(['cancelled', 'cancelled']); // the notification and the end
    // Only the victim's contacts are still owed (for the grant, the renewal and the discharge).
    const running = life.state.deadlines.filter((d) => d.measureId === 'm1' && (d.status === 'open' || d.status === 'missed'));
    expect(running.map((d) => d.kind)).toEqual(['victim_contact', 'victim_contact', 'victim_contact']);
  });
});

describe('DVPN / DVPO', () => {
  it('a notice is a superintendent’s or above', () => {
    const life = new Life();
    expect(refused(() => life.run(life.stepCommand(dvpoLifecycle, 'notice_issued', { authorisedBy: 'inspector' })))).toMatch(/superintendent or above/);
  });

  it('the hearing is due 48 hours after the notice, Sunday disregarded (Friday 09:00 → Monday 09:00)', () => {
    const life = new Life();
    const events = life.run(life.stepCommand(dvpoLifecycle, 'notice_issued'));
    expect(events[1]!.data).toMatchObject({ kind: 'dvpo_hearing', dueAt: '2026-11-23T09:00:00.000Z', owner: 'officer' });
  });

  it('an order of 14 days ends at the end of the 14th day beginning with the day it is made', () => {
    const life = new Life().walk(dvpoLifecycle, ['notice_issued']);
    const events = life.run(life.stepCommand(dvpoLifecycle, 'order_granted'));
    expect(types(events)).toEqual(['DvpoStepRecorded', 'DeadlineClosed', 'DeadlineSet', 'DeadlineSet']);
    expect(events[2]!.data).toMatchObject({ kind: 'order_end', dueAt: '2026-12-03T23:59:59.999Z' });
    expect(events[3]!.data).toMatchObject({ kind: 'victim_contact' });
  });

  it('a hearing missed lapses the notice and alerts its owner', () => {
    const life = new Life().walk(dvpoLifecycle, ['notice_issued']);
    expect(types(life.pass('dvpo_hearing'))).toEqual(['DeadlineMissed', 'DvpoStepRecorded', 'UrgentActionRaised']);
  });
});

describe('pre-charge bail', () => {
  it('3 months from the bail start; an inspector extends to 6 months from the start, a superintendent to 9', () => {
    const life = new Life();
    const granted = life.run(life.stepCommand(bailLifecycle, 'granted'));
    expect(granted[1]!.data).toMatchObject({ kind: 'bail_expiry', clock: 'bail_3_months', dueAt: '2027-02-19T23:59:59.999Z', version: 1 });
    const inspector = life.run(life.stepCommand(bailLifecycle, 'extended', { authority: 'inspector', authorisedBy: 'inspector', until: undefined }, '2027-02-01T10:00:00.000Z', '2027-02-01T10:00:00.000Z'));
    // May is in British Summer Time: the end of the local day is 22:59:59.999Z.
    expect(inspector[1]!.data).toMatchObject({ clock: 'bail_6_months', triggerAt: AT, startedBy: 'granted', dueAt: '2027-05-19T22:59:59.999Z', version: 2 });
    expect(
      refused(() => life.run(life.stepCommand(bailLifecycle, 'extended', { authority: 'inspector', authorisedBy: 'chief_inspector', until: undefined }, '2027-05-01T10:00:00.000Z', '2027-05-01T10:00:00.000Z'))),
    ).toMatch(/superintendent/);
    const superintendent = life.run(life.stepCommand(bailLifecycle, 'extended', { authority: 'superintendent', authorisedBy: 'superintendent', until: undefined }, '2027-05-01T10:00:00.000Z', '2027-05-01T10:00:00.000Z'));
    expect(superintendent[1]!.data).toMatchObject({ clock: 'bail_9_months', dueAt: '2027-08-19T22:59:59.999Z', version: 3 });
  });

  it('an extension needs the rank; a court names its date', () => {
    const life = new Life().walk(bailLifecycle, ['granted']);
    expect(refused(() => life.run(life.stepCommand(bailLifecycle, 'extended', { authority: 'inspector', authorisedBy: 'sergeant', until: undefined })))).toMatch(/inspector or above/);
    expect(refused(() => life.run(life.stepCommand(bailLifecycle, 'extended', { authority: 'court', until: undefined })))).toMatch(/names the date/);
  });

  it('charge meets the bail clock and owes the victim a contact', () => {
    const life = new Life().walk(bailLifecycle, ['granted']);
    expect(types(life.run(life.stepCommand(bailLifecycle, 'charged')))).toEqual(['BailStepRecorded', 'DeadlineClosed', 'DeadlineSet']);
  });
});

describe('MAPPA', () => {
  it('acceptance sets a review at the level’s cadence; a review meets it and sets the next at the new level', () => {
    const life = new Life().walk(mappaLifecycle, ['referred']);
    const accepted = life.run(life.stepCommand(mappaLifecycle, 'accepted'));
    expect(accepted[1]!.data).toMatchObject({ kind: 'mappa_review', clock: 'mappa_review_level_2', owner: 'probation' });
    const reviewed = life.run(life.stepCommand(mappaLifecycle, 'reviewed'));
    expect(types(reviewed)).toEqual(['MappaStepRecorded', 'DeadlineClosed', 'DeadlineSet']);
    expect(reviewed[2]!.data).toMatchObject({ clock: 'mappa_review_level_3', deadlineId: 'd2' });
    expect(life.measure('mappa')!.facts).toMatchObject({ category: 1, level: 3 });
  });
});

describe("Victims' Code", () => {
  it('an arrest owes an enhanced-rights victim a contact by the end of the next working day', () => {
    const life = new Life();
    const events = life.run({ name: 'record-arrest', payload: { at: AT } });
    expect(types(events)).toEqual(['SuspectArrested', 'DeadlineSet']);
    expect(events[1]!.data).toMatchObject({ kind: 'victim_contact', clock: 'victim_contact_enhanced', measureId: null, dueAt: '2026-11-23T23:59:59.999Z' });
  });

  it('other victims: 5 working days', () => {
    const life = new Life(receive({ problemBehaviour: 'querulance' }));
    const events = life.run({ name: 'record-arrest', payload: { at: AT } });
    expect(events[1]!.data).toMatchObject({ clock: 'victim_contact_standard', dueAt: '2026-11-27T23:59:59.999Z' });
  });

  it('a contact made in time but recorded after the clock was missed is met in time', () => {
    const life = new Life();
    life.run({ name: 'record-arrest', payload: { at: AT } });
    life.pass('victim_contact');
    const events = life.run({ name: 'record-victim-contact', payload: { deadlineId: 'd1', at: '2026-11-23T16:00:00.000Z', method: 'phone', note: 'Told of the arrest' }, now: LATER });
    expect(types(events)).toEqual(['VictimContacted', 'DeadlineClosed']);
    expect(events[1]!.data).toMatchObject({ outcome: 'met', late: false });
    expect(refused(() => life.run({ name: 'record-victim-contact', payload: { deadlineId: 'd1', at: '2026-11-23T16:00:00.000Z', method: 'phone' }, now: LATER }))).toMatch(/already met/);
  });
});

describe('plan reviews', () => {
  const managed = () => new Life(receive(), triage('proceed'), screen('adopt'), recordDiscussion());

  it('a plan sets its review; a review meets it and sets the next on the date given; closure cancels it', () => {
    const life = managed();
    const plan = life.run(agreePlan());
    expect(types(plan)).toEqual(['ManagementPlanAgreed', 'DeadlineSet']);
    expect(plan[1]!.data).toMatchObject({ kind: 'plan_review', owner: 'supervisor', measureId: null });
    const review = life.run({ name: 'review', payload: { summary: 'Contact has stopped', nextReviewDue: '2027-01-15' } });
    expect(types(review)).toEqual(['CaseReviewed', 'DeadlineClosed', 'DeadlineSet']);
    expect(review[2]!.data).toMatchObject({ deadlineId: 'd2', dueAt: '2027-01-15T23:59:59.999Z' });
    const closed = life.run(close());
    expect(types(closed)).toEqual(['ReferralClosed', 'DeadlineClosed']);
    expect(closed[1]!.data).toMatchObject({ deadlineId: 'd2', outcome: 'cancelled' });
  });
});

describe('where measures are recorded', () => {
  it('not before intake; after closure yes (bail outlives the case); not after disposal', () => {
    expect(refused(() => new Life({ name: 'record-arrest', payload: { at: AT } }))).toBeTruthy();
    const life = new Life(receive(), triage('not_stalking'));
    expect(types(life.run(life.stepCommand(bailLifecycle, 'granted')))).toEqual(['BailStepRecorded', 'DeadlineSet', 'DeadlineSet']);
  });

  it('a step in the future is refused; a clock step is refused to staff', () => {
    const life = new Life();
    expect(refused(() => life.run(life.stepCommand(bailLifecycle, 'granted', {}, '2026-11-21T10:00:00.000Z')))).toMatch(/in the future/);
  });

  it('an alert the clock raises is acknowledged by a supervisor or by the role it is addressed to, not by others', () => {
    const life = new Life().walk(spoLifecycle, ['applied', 'granted', 'served']);
    life.pass('spo_notification');
    const alertId = life.state.urgentActions.at(-1)!.alertId;
    expect(refused(() => life.run({ ...acknowledge(alertId), now: NOW, issuerRoles: ['victim_advocate'] }))).toMatch(/addressed to officer/);
    expect(types(life.run({ ...acknowledge(alertId), now: NOW, issuerRoles: ['officer'] }))).toEqual(['UrgentActionAcknowledged']);
    const other = new Life().walk(spoLifecycle, ['applied', 'granted', 'served']);
    other.pass('spo_notification');
    expect(types(other.run({ ...acknowledge(alertId), now: NOW, issuerRoles: ['supervisor'] }))).toEqual(['UrgentActionAcknowledged']);
  });

  it('an alert staff raise stays the supervisors’ to acknowledge', () => {
    const life = new Life();
    life.run(raise());
    expect(refused(() => life.run({ ...acknowledge(`${life.state.referralId}.ua1`), issuerRoles: ['officer'] }))).toMatch(/addressed to supervisor/);
  });
});

describe('legacy interventions', () => {
  it('SPO advised, applied and granted by record-intervention fold into one SPO, which the lifecycle then continues', () => {
    const life = new Life(receive(), triage('proceed'), screen('adopt'));
    for (const intervention of [{ kind: 'spo_advised' }, { kind: 'spo_applied', order: 'full' }, { kind: 'spo_granted', order: 'full' }]) {
      life.run({ name: 'record-intervention', payload: { intervention, occurredOn: '2026-11-19' } });
    }
    expect(life.state.measures.map((m) => [m.measureId, m.kind, m.status, m.facts.order])).toEqual([['m1', 'spo', 'granted', 'full']]);
    const served = life.run(life.stepCommand(spoLifecycle, 'served'));
    expect(served[0]!.data).toMatchObject({ measureId: 'm1' });
    expect(life.measure('spo')!.status).toBe('notification_due');
  });

  it('a MAPPA link recorded as an intervention is a MAPPA case supported (referred and accepted)', () => {
    const life = new Life(receive(), triage('proceed'), screen('adopt'));
    life.run({ name: 'record-intervention', payload: { intervention: { kind: 'mappa_support', category: 2, level: 2 }, occurredOn: '2026-11-19' } });
    expect(life.measure('mappa')).toMatchObject({ status: 'active', facts: { category: 2, level: 2 } });
  });
});
