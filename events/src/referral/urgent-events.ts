/**
 * Urgent action: a cross-cutting flag with its own lifecycle (raised → acknowledged → resolved) and
 * escalation levels. Due times are recorded in the events because timers are data: a worker re-arms its
 * delayed jobs from them after a restart.
 */
import { z } from 'zod';
import { defineEvent } from '../envelope.js';
import { referralIdSchema } from './events.js';
import { isoDateTimeSchema, reasonSchema } from './values.js';

export const alertIdSchema = z.string().regex(/^ref-[0-9a-f]{32}\.ua[0-9]{1,4}$/, 'an alert id (referral id, .ua and a number)');

/**
 * Version 2 records `ackDueAt`, the time the first escalation falls due. Version 1 histories did not:
 * their alerts upcast with `ackDueAt: null`, which a timer worker reads as "due at once".
 */
export const UrgentActionRaised = defineEvent(
  'UrgentActionRaised',
  z.strictObject({
    referralId: referralIdSchema,
    alertId: alertIdSchema,
    reason: reasonSchema,
    /** `person` when staff raised it; `intake_rule` when an intake rule did (the rules are listed). */
    raisedBy: z.enum(['person', 'intake_rule']),
    rules: z.array(z.string().max(100)).max(20).default([]),
    ackDueAt: isoDateTimeSchema.nullable(),
  }),
  {
    version: 2,
    upcasters: [{ fromVersion: 1, upcast: (data) => ({ ...(data as Record<string, unknown>), ackDueAt: null }) }],
  },
);

/**
 * Version 2 makes `note` optional: a pager's one-button acknowledgement says nothing, and the record of who
 * acknowledged and when is in the metadata. Every version 1 event is a valid version 2 event as it is.
 */
export const UrgentActionAcknowledged = defineEvent(
  'UrgentActionAcknowledged',
  z.strictObject({ referralId: referralIdSchema, alertId: alertIdSchema, note: reasonSchema.optional() }),
  { version: 2, upcasters: [{ fromVersion: 1, upcast: (data) => data }] },
);

/** Nobody acknowledged in time. `nextAckDueAt` is null at the last level: no further timer is armed. */
export const UrgentActionEscalated = defineEvent(
  'UrgentActionEscalated',
  z.strictObject({
    referralId: referralIdSchema,
    alertId: alertIdSchema,
    level: z.number().int().min(1).max(20),
    nextAckDueAt: isoDateTimeSchema.nullable(),
  }),
);

/**
 * `closure`: the referral closed with the alert acknowledged, so the alert ends with it. `superseded`: a new
 * danger signal arrived after this alert was acknowledged; it ends here and a new alert is raised at once.
 */
export const UrgentActionResolved = defineEvent(
  'UrgentActionResolved',
  z.strictObject({
    referralId: referralIdSchema,
    alertId: alertIdSchema,
    resolution: reasonSchema,
    resolvedBy: z.enum(['person', 'closure', 'superseded']),
  }),
);
