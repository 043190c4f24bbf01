/**
 * Statutory and practice clocks (DOMAIN.md §4): an SPO's notification, a DVPO hearing, the end of pre-charge bail,
 * a MAPPA review, a disclosure decision, a Victims' Code contact, a plan review, an order's end. A clock is data:
 * its due and warning times are computed once, when the step that starts it is decided (on a working-day calendar,
 * see workflows/src/calendar), and written here; the open-timers read model arms its queue jobs from these events
 * and re-arms them after any restart. A firing only ever sends a command back, which decides against the stream.
 *
 * A deadline is set once per version: a corrected trigger sets it again with the next version, and a firing for
 * an older version is ignored. It ends met, cancelled (what it waited for no longer applies), expired (an order's
 * end, which is no failure), or is missed (its due time passed unmet: an alert to its owner) and may still be met late.
 */
import { z } from 'zod';
import { defineEvent } from '../envelope.js';
import { personalSection } from '../personal.js';
import { roleSchema } from '../roles.js';
import { referralIdSchema } from './events.js';
import { measureIdSchema, stepNameSchema } from './measure-events.js';
import { isoDateTimeSchema, reasonSchema } from './values.js';

export const deadlineIdSchema = z.string().regex(/^d[0-9]{1,5}$/, 'a deadline id (d and a number)');

/** What a clock is for; `clock` below names the rule that computed it (bail_6_months is a bail_expiry). */
export const deadlineKinds = [
  'spo_notification',
  'dvpo_hearing',
  'bail_expiry',
  'mappa_review',
  'disclosure_decision',
  'victim_contact',
  'plan_review',
  'order_end',
] as const;
export const deadlineKindSchema = z.enum(deadlineKinds);
export type DeadlineKind = z.infer<typeof deadlineKindSchema>;

const version = z.number().int().min(1).max(1_000);

export const DeadlineSet = defineEvent(
  'DeadlineSet',
  z.strictObject({
    referralId: referralIdSchema,
    deadlineId: deadlineIdSchema,
    kind: deadlineKindSchema,
    /** The named clock rule that computed `dueAt` (configuration: HRU_CLOCKS). */
    clock: z.string().regex(/^[a-z0-9_]{1,60}$/),
    /** The measure it belongs to; null for obligations of the case (a Victims' Code contact, a plan review). */
    measureId: measureIdSchema.nullable(),
    /** The role that must act: the alert of a missed deadline is addressed to it. */
    owner: roleSchema,
    /** When the event that started the clock happened. */
    triggerAt: isoDateTimeSchema,
    /** The measure step whose time `triggerAt` is (a correction of that step moves the clock); null for the case's own clocks. */
    startedBy: stepNameSchema.nullable(),
    dueAt: isoDateTimeSchema,
    /** When it warns its owner ahead of `dueAt`; null for no warning. */
    warnAt: isoDateTimeSchema.nullable(),
    version,
  }),
);

export const DeadlineWarned = defineEvent(
  'DeadlineWarned',
  z.strictObject({ referralId: referralIdSchema, deadlineId: deadlineIdSchema, version }),
);

export const DeadlineMissed = defineEvent(
  'DeadlineMissed',
  z.strictObject({ referralId: referralIdSchema, deadlineId: deadlineIdSchema, version, dueAt: isoDateTimeSchema }),
);

export const deadlineOutcomeSchema = z.enum(['met', 'cancelled', 'expired']);
export type DeadlineOutcome = z.infer<typeof deadlineOutcomeSchema>;

export const DeadlineClosed = defineEvent(
  'DeadlineClosed',
  z.strictObject({
    referralId: referralIdSchema,
    deadlineId: deadlineIdSchema,
    outcome: deadlineOutcomeSchema,
    /** When what closed it happened (a contact made at 16:00 and recorded at 18:00 met a 17:00 deadline). */
    at: isoDateTimeSchema,
    /** Met after its due time (it was missed first). */
    late: z.boolean(),
  }),
);

export const victimContactMethodSchema = z.enum(['phone', 'in_person', 'letter', 'email', 'via_advocate']);

/** The victim was told what the Victims' Code entitles them to hear: meets that contact clock. */
export const VictimContacted = defineEvent(
  'VictimContacted',
  z.strictObject({
    referralId: referralIdSchema,
    deadlineId: deadlineIdSchema,
    at: isoDateTimeSchema,
    method: victimContactMethodSchema,
    personal: personalSection({ note: reasonSchema.optional() }),
  }),
);
