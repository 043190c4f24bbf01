/** Builders of measure and deadline events (through the real schemas) for the deadlines and statistics specs. */
import type { NewEvent } from '@hru/application';
import type { DeadlineKind, MeasureStepOf, Role } from '@hru/events';
import { event } from './history.js';

export interface SetOptions {
  kind?: DeadlineKind;
  clock?: string;
  measureId?: string | null;
  owner?: Role;
  triggerAt?: string;
  /** The measure step whose time the trigger is; null for the case's own clocks (default). */
  startedBy?: string | null;
  warnAt?: string | null;
  version?: number;
}

export const deadline = {
  set: (id: string, deadlineId: string, dueAt: string, at: string, o: SetOptions = {}): NewEvent =>
    event(
      'DeadlineSet',
      {
        referralId: id,
        deadlineId,
        kind: o.kind ?? 'victim_contact',
        clock: o.clock ?? (o.kind ?? 'victim_contact'),
        measureId: o.measureId === undefined ? null : o.measureId,
        owner: o.owner ?? 'officer',
        triggerAt: o.triggerAt ?? at,
        startedBy: o.startedBy ?? null,
        dueAt,
        warnAt: o.warnAt === undefined ? null : o.warnAt,
        version: o.version ?? 1,
      },
      at,
    ),
  warned: (id: string, deadlineId: string, at: string, version = 1) => event('DeadlineWarned', { referralId: id, deadlineId, version }, at),
  missed: (id: string, deadlineId: string, dueAt: string, at: string, version = 1) => event('DeadlineMissed', { referralId: id, deadlineId, version, dueAt }, at),
  closed: (id: string, deadlineId: string, outcome: 'met' | 'cancelled' | 'expired', at: string, late = false, recordedAt = at) =>
    event('DeadlineClosed', { referralId: id, deadlineId, outcome, at, late }, recordedAt),
  contacted: (id: string, deadlineId: string, at: string) =>
    event('VictimContacted', { referralId: id, deadlineId, at, method: 'phone', personal: { note: 'told of the arrest' } }, at),
};

export const measure = {
  spo: (id: string, measureId: string, at: string, step: MeasureStepOf<'spo'>) =>
    event('SpoStepRecorded', { referralId: id, measureId, at, step, personal: {} }, at),
  dvpo: (id: string, measureId: string, at: string, step: MeasureStepOf<'dvpo'>) =>
    event('DvpoStepRecorded', { referralId: id, measureId, at, step, personal: {} }, at),
  bail: (id: string, measureId: string, at: string, step: MeasureStepOf<'bail'>) =>
    event('BailStepRecorded', { referralId: id, measureId, at, step, personal: {} }, at),
  mappa: (id: string, measureId: string, at: string, step: MeasureStepOf<'mappa'>) =>
    event('MappaStepRecorded', { referralId: id, measureId, at, step, personal: {} }, at),
  disclosure: (id: string, measureId: string, at: string, step: MeasureStepOf<'disclosure_scheme'>) =>
    event('DisclosureSchemeStepRecorded', { referralId: id, measureId, at, step, personal: {} }, at),
  corrected: (id: string, measureId: string, step: string, at: string, previousAt: string, recordedAt: string) =>
    event('MeasureStepCorrected', { referralId: id, measureId, step, at, previousAt, personal: { reason: 'entered wrongly' } }, recordedAt),
};
