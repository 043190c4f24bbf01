/**
 * The deadlines read model agrees with each referral's own fold, over lives decided by the real command handler:
 * clocks set by measure steps, an arrest and a plan; warned and missed by the timer's commands; met in time and late;
 * moved by an extension and by a corrected step time; a backdated trigger missed at once. The clocks here are fixed
 * durations (a test double for the working-day calendar, which is another module's and not what is under test).
 */
import { ReferralCommandHandler, type CommandContext } from '@hru/application';
import type { Actor, Role } from '@hru/events';
import { listDeadlines } from '@hru/projections';
import { referralIdFor, type Clocks } from '@hru/workflows';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { intakeBody } from '../workflows/support/referral-commands.js';
import { startReadModels, type ReadModels } from './support/read-models.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** Each clock rule as a fixed length and owner; warnings one day ahead. */
const rules: Record<string, { ms: number; owner: Role }> = {
  spo_notification: { ms: 3 * DAY, owner: 'officer' },
  dvpo_hearing: { ms: 48 * HOUR, owner: 'supervisor' },
  bail_3_months: { ms: 90 * DAY, owner: 'officer' },
  bail_6_months: { ms: 180 * DAY, owner: 'officer' },
  bail_9_months: { ms: 270 * DAY, owner: 'officer' },
  bail_court: { ms: 0, owner: 'officer' },
  victim_contact_enhanced: { ms: DAY, owner: 'victim_advocate' },
  victim_contact_standard: { ms: 5 * DAY, owner: 'victim_advocate' },
  plan_review: { ms: 28 * DAY, owner: 'supervisor' },
  order_end: { ms: 0, owner: 'officer' },
  mappa_review_level_1: { ms: 90 * DAY, owner: 'probation' },
  mappa_review_level_2: { ms: 56 * DAY, owner: 'probation' },
  mappa_review_level_3: { ms: 28 * DAY, owner: 'probation' },
  disclosure_decision: { ms: 28 * DAY, owner: 'officer' },
};
const rule = (clock: string) => {
  const found = rules[clock];
  if (!found) throw new Error(`no clock ${clock}`);
  return found;
};
const fixedClocks: Clocks = {
  read: (clock, trigger) => {
    const dueAt = new Date(Date.parse(trigger) + rule(clock).ms).toISOString();
    return { dueAt, warnAt: new Date(Date.parse(dueAt) - DAY).toISOString(), owner: rule(clock).owner };
  },
  localDay: (at) => at.slice(0, 10),
  endOfDay: (day) => `${day}T23:59:59.999Z`,
  warnBefore: (_clock, dueAt) => new Date(Date.parse(dueAt) - DAY).toISOString(),
  ownerOf: (clock) => rule(clock).owner,
};

const source: Actor = { kind: 'system', system: 'niche' };
const officer: Actor = { kind: 'person', sub: 'u-off', name: 'PC O', roles: ['officer'], agency: 'police' };
const timer: Actor = { kind: 'system', system: 'deadline-timer' };

let rm: ReadModels;
let handler: ReferralCommandHandler;
beforeEach(async () => {
  rm = await startReadModels();
  handler = new ReferralCommandHandler(rm.store, { alertAckSlaMs: 15 * 60_000, clocks: fixedClocks });
});
afterEach(async () => {
  await rm.close();
});

const ctx = (actor: Actor, now: string): CommandContext => ({ actor, correlationId: 'spec', now });

async function intake(crimeReference: string): Promise<string> {
  const id = referralIdFor('niche', crimeReference);
  await handler.handle(id, { name: 'receive-referral', payload: intakeBody({ source: { system: 'niche', crimeReference, recordedAt: '2026-11-01T09:00:00Z' } }) }, ctx(source, '2026-11-01T09:00:00.000Z'));
  return id;
}

async function send(id: string, name: string, payload: Record<string, unknown>, now: string, actor: Actor = officer) {
  return handler.handle(id, { name, payload }, ctx(actor, now));
}

/** The referral's own clocks, as the read model would hold them. */
async function folded(id: string) {
  const loaded = await handler.load(id);
  return loaded!.view.deadlines
    .map((d) => ({
      referralId: id,
      deadlineId: d.deadlineId,
      kind: d.kind,
      clock: d.clock,
      measureId: d.measureId,
      owner: d.owner,
      triggerAt: new Date(d.triggerAt).toISOString(),
      dueAt: new Date(d.dueAt).toISOString(),
      warnAt: d.warnAt && new Date(d.warnAt).toISOString(),
      warnedAt: d.warnedAt && new Date(d.warnedAt).toISOString(),
      status: d.status,
      missedAt: d.missedAt && new Date(d.missedAt).toISOString(),
      closedAt: d.closedAt && new Date(d.closedAt).toISOString(),
      late: d.late,
      version: d.version,
    }))
    .sort((a, b) => a.deadlineId.localeCompare(b.deadlineId, 'en', { numeric: true }));
}

function modelled(id: string) {
  return listDeadlines(rm.db, { asOf: '2027-12-31T00:00:00.000Z', referralId: id, limit: 100 })
    .rows.map(
      ({ measureKind: _k, overdue: _o, problemBehaviour: _p, stage: _s, assigneeSub: _a, crimeReference: _c, offenceCode: _oc, principalOffence: _po, dashYesCount: _d, indicators: _i, ...row }) =>
        row,
    )
    .sort((a, b) => a.deadlineId.localeCompare(b.deadlineId, 'en', { numeric: true }));
}

describe('deadlines read model against the referral fold, through the command handler', () => {
  it('holds every clock as the referral does, through set, warn, miss, meet (late), move and a backdated trigger', async () => {
    // Bail granted (a 90-day clock and a victim contact), the contact met in time, then extended by an inspector (moved).
    const bail = await intake('CC/26/100001');
    await send(bail, 'record-bail', { at: '2026-11-02T10:00:00Z', step: { step: 'granted', withConditions: true } }, '2026-11-02T11:00:00.000Z');
    await send(bail, 'record-victim-contact', { deadlineId: 'd2', at: '2026-11-02T15:00:00Z', method: 'phone' }, '2026-11-02T16:00:00.000Z');
    await send(bail, 'record-bail', { measureId: 'm1', at: '2027-01-20T10:00:00Z', step: { step: 'extended', authority: 'inspector', authorisedBy: 'inspector' } }, '2027-01-20T11:00:00.000Z');

    // An SPO served: the notification clock warns, then passes unmet (missed, with an alert to its owner).
    const spo = await intake('CC/26/100002');
    for (const [step, at] of [
      [{ step: 'advised' }, '2026-11-03T10:00:00Z'],
      [{ step: 'applied', order: 'full' }, '2026-11-04T10:00:00Z'],
      [{ step: 'granted', order: 'full', endsOn: null }, '2026-11-10T10:00:00Z'],
      [{ step: 'served' }, '2026-11-11T10:00:00Z'],
    ] as const) {
      await send(spo, 'record-spo', { ...(step.step === 'advised' ? {} : { measureId: 'm1' }), at, step }, at);
    }
    const spoClock = (await handler.load(spo))!.view.deadlines.find((d) => d.kind === 'spo_notification')!;
    await send(spo, 'warn-deadline', { deadlineId: spoClock.deadlineId, version: 1 }, '2026-11-13T10:00:00.000Z', timer);
    const passed = await send(spo, 'pass-deadline', { deadlineId: spoClock.deadlineId, version: 1 }, '2026-11-14T10:00:05.000Z', timer);
    expect(passed.events.map((e) => e.type)).toEqual(expect.arrayContaining(['DeadlineMissed', 'UrgentActionRaised']));

    // An arrest recorded a week late: its contact clock is missed at once, then met late.
    const arrest = await intake('CC/26/100003');
    await send(arrest, 'record-arrest', { at: '2026-11-05T10:00:00Z' }, '2026-11-12T10:00:00.000Z');
    await send(arrest, 'record-victim-contact', { deadlineId: 'd1', at: '2026-11-12T12:00:00Z', method: 'in_person' }, '2026-11-12T13:00:00.000Z');

    // A DVPN whose time was entered wrongly (corrected: the hearing clock moves), then the order granted.
    const dvpo = await intake('CC/26/100004');
    await send(dvpo, 'record-dvpo', { at: '2026-11-20T10:00:00Z', step: { step: 'notice_issued', authorisedBy: 'superintendent' } }, '2026-11-20T10:30:00.000Z');
    await send(dvpo, 'correct-measure-step', { measureId: 'm1', step: 'notice_issued', at: '2026-11-20T08:00:00Z', reason: 'entered wrongly' }, '2026-11-20T11:00:00.000Z');
    await send(dvpo, 'record-dvpo', { measureId: 'm1', at: '2026-11-21T09:00:00Z', step: { step: 'order_granted', days: 14 } }, '2026-11-21T09:30:00.000Z');

    await rm.runner.waitUntilCaughtUp();
    for (const id of [bail, spo, arrest, dvpo]) expect(modelled(id), id).toEqual(await folded(id));

    // And what each came to, named, so agreement is not agreement on nothing.
    expect(modelled(bail).map((d) => [d.kind, d.status, d.version, d.dueAt])).toEqual([
      ['bail_expiry', 'open', 2, '2027-05-01T10:00:00.000Z'], // 180 days from the bail start
      ['victim_contact', 'met', 1, '2026-11-03T10:00:00.000Z'],
      ['victim_contact', 'open', 1, '2027-01-21T10:00:00.000Z'], // the extension's contact
    ]);
    expect(modelled(spo).find((d) => d.kind === 'spo_notification')).toMatchObject({ status: 'missed', warnedAt: '2026-11-13T10:00:00.000Z', missedAt: '2026-11-14T10:00:05.000Z' });
    expect(modelled(arrest)).toMatchObject([{ kind: 'victim_contact', status: 'met', late: true, missedAt: '2026-11-12T10:00:00.000Z' }]);
    expect(modelled(dvpo).map((d) => [d.kind, d.status, d.version, d.triggerAt])).toEqual([
      ['dvpo_hearing', 'met', 2, '2026-11-20T08:00:00.000Z'],
      ['order_end', 'open', 1, '2026-11-21T09:00:00.000Z'],
      ['victim_contact', 'open', 1, '2026-11-21T09:00:00.000Z'],
    ]);
    expect(listDeadlines(rm.db, { asOf: '2026-11-21T10:00:00.000Z', referralId: dvpo, limit: 10 }).rows.map((r) => r.measureKind)).toEqual(['dvpo', 'dvpo', 'dvpo']);
  });
});
