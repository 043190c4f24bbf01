/**
 * Commands of the legal measures (DOMAIN.md §4): one per kind, its payload the kind's step union, plus the
 * correction of a step's time and the arrest (which the Victims' Code makes a reason to tell the victim). What each
 * step may follow and what it starts is the kind's (../measures); these only say who may send what.
 */
import { z } from 'zod';
import {
  isoDateTimeSchema,
  measureIdSchema,
  measureStepSchemas,
  reasonSchema,
  stepNameSchema,
  type MeasureKind,
} from '@hru/events';
import { draft } from '../referral/decision.js';
import { Decided } from '../deadlines/decided.js';
import { applyEffects, passDeadline, setClock } from '../deadlines/deadline-effects.js';
import { unmetDeadlines } from '../referral/referral-state.js';
import { decideMeasureStep, recordClockStep } from '../measures/record-step.js';
import { caseworkers, defineCommand, type Issuers } from './command.js';

const police = ['supervisor', 'officer'] as const;

function measureCommand<K extends MeasureKind>(kind: K, summary: string, roles: Issuers) {
  return defineCommand({
    summary,
    roles,
    schema: z.strictObject({
      measureId: measureIdSchema.optional().describe('The measure this step belongs to; absent to start a new one'),
      at: isoDateTimeSchema.describe('When the step happened: its clocks run from here'),
      step: measureStepSchemas[kind],
      note: reasonSchema.optional(),
    }),
    decide: ({ state, command }) => decideMeasureStep(state, kind, command.payload as never, command.meta),
  });
}

export const recordSpo = measureCommand('spo', 'Record a step of a Stalking Protection Order', police);
export const recordDvpo = measureCommand('dvpo', 'Record a step of a DVPN/DVPO', police);
export const recordBail = measureCommand('bail', 'Record a step of pre-charge bail', police);
export const recordMappa = measureCommand('mappa', 'Record a step of MAPPA management', [...police, 'probation']);
export const recordDisclosureScheme = measureCommand('disclosure_scheme', 'Record a step of a disclosure scheme application', police);

export const correctMeasureStep = defineCommand({
  summary: 'Correct when a step of a measure happened (its clocks move)',
  roles: police,
  schema: z.strictObject({ measureId: measureIdSchema, step: stepNameSchema, at: isoDateTimeSchema, reason: reasonSchema }),
  decide: ({ state, command }) => {
    const { measureId, step, at, reason } = command.payload;
    const { now } = command.meta;
    const measure = state.measures.find((m) => m.measureId === measureId);
    if (!measure) return { rejected: `Measure ${measureId} is not one of this referral's` };
    const recorded = measure.steps.findLast((s) => s.step === step);
    if (!recorded) return { rejected: `Measure ${measureId} has no ${step} step` };
    if (Date.parse(at) > Date.parse(now)) return { rejected: `A step is recorded once it has happened: ${at} is in the future` };
    if (recorded.at === at) return [];
    const b = new Decided(state, command.meta);
    b.add(draft('MeasureStepCorrected', { referralId: state.referralId, measureId, step, at, previousAt: recorded.at, personal: { reason } }));
    // The clocks that step started run from the corrected time: each unmet one is moved (a date-named end is not
    // the step's to move). A bail extension runs from the bail start, so correcting `granted` moves it too.
    const started = unmetDeadlines(state).filter((d) => d.measureId === measureId && d.startedBy === step && d.clock !== 'order_end' && d.clock !== 'bail_court');
    for (const d of started) setClock(b, { kind: d.kind, clock: d.clock, measureId, trigger: at, startedBy: step, moves: d.deadlineId }, recordClockStep);
    return b.events;
  },
});

export const recordArrest = defineCommand({
  summary: 'Record the suspect’s arrest (the victim must be told: a Victims’ Code clock starts)',
  roles: police,
  schema: z.strictObject({ at: isoDateTimeSchema }),
  decide: ({ state, command }) => {
    const { at } = command.payload;
    if (Date.parse(at) > Date.parse(command.meta.now)) return { rejected: `An arrest is recorded once it has happened: ${at} is in the future` };
    const b = new Decided(state, command.meta);
    b.add(draft('SuspectArrested', { referralId: state.referralId, at }));
    applyEffects(b, null, null, [{ type: 'victim-contact' }], at, recordClockStep);
    return b.events;
  },
});

export const recordVictimContact = defineCommand({
  summary: 'Record that the victim was told (meets a Victims’ Code clock)',
  roles: caseworkers,
  schema: z.strictObject({
    deadlineId: z.string().regex(/^d[0-9]{1,5}$/),
    at: isoDateTimeSchema,
    method: z.enum(['phone', 'in_person', 'letter', 'email', 'via_advocate']),
    note: reasonSchema.optional(),
  }),
  decide: ({ state, command }) => {
    const { deadlineId, at, method, note } = command.payload;
    const deadline = state.deadlines.find((d) => d.deadlineId === deadlineId);
    if (!deadline || deadline.kind !== 'victim_contact') return { rejected: `${deadlineId} is not one of this referral's Victims' Code contacts` };
    if (deadline.status !== 'open' && deadline.status !== 'missed') return { rejected: `${deadlineId} is already ${deadline.status}` };
    if (Date.parse(at) > Date.parse(command.meta.now)) return { rejected: `A contact is recorded once it has happened: ${at} is in the future` };
    const b = new Decided(state, command.meta);
    b.add(draft('VictimContacted', { referralId: state.referralId, deadlineId, at, method, personal: note === undefined ? {} : { note } }));
    b.add(draft('DeadlineClosed', { referralId: state.referralId, deadlineId, outcome: 'met', at, late: Date.parse(at) > Date.parse(deadline.dueAt) }));
    return b.events;
  },
});

const firingSchema = z.strictObject({ deadlineId: z.string().regex(/^d[0-9]{1,5}$/), version: z.number().int().min(1).max(1_000) });

/**
 * Sent by the timer worker. A firing for a clock met, moved (an older version) or already warned is ignored, so a
 * late, repeated or obsolete firing is harmless.
 */
export const warnDeadline = defineCommand({
  summary: 'Warn that a deadline approaches (sent by the timer)',
  roles: 'system',
  schema: firingSchema,
  decide: ({ state, command }) => {
    const { deadlineId, version } = command.payload;
    const d = state.deadlines.find((x) => x.deadlineId === deadlineId);
    if (!d || d.status !== 'open' || d.version !== version || d.warnedAt !== null) return [];
    return [draft('DeadlineWarned', { referralId: state.referralId, deadlineId, version })];
  },
});

export const passDeadlineCommand = defineCommand({
  summary: 'A deadline’s due time passed (sent by the timer)',
  roles: 'system',
  schema: firingSchema,
  decide: ({ state, command }) => {
    const { deadlineId, version } = command.payload;
    const d = state.deadlines.find((x) => x.deadlineId === deadlineId);
    // Not yet due: the worker fired early (clock skew); it re-delays the job rather than record anything now.
    if (!d || d.status !== 'open' || d.version !== version || Date.parse(command.meta.now) < Date.parse(d.dueAt)) return [];
    const b = new Decided(state, command.meta);
    passDeadline(b, deadlineId, recordClockStep);
    return b.events;
  },
});
