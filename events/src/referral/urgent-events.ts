/**
 * Urgent action: a cross-cutting flag with its own lifecycle (raised → acknowledged → resolved) and
 * escalation levels. Due times are recorded in the events because timers are data: a worker re-arms its
 * delayed jobs from them after a restart.
 */
import { z } from 'zod';
import { defineEvent } from '../envelope.js';
import { personalSection } from '../personal.js';
import { roleSchema } from '../roles.js';
import { movedToPersonal } from './move-to-personal.js';
import { referralIdSchema } from './events.js';
import { isoDateTimeSchema, reasonSchema } from './values.js';

export const urgentRaisedBySchema = z.enum(['person', 'intake_rule', 'deadline', 'breach']);
export type UrgentRaisedBy = z.infer<typeof urgentRaisedBySchema>;

export const alertIdSchema = z.string().regex(/^ref-[0-9a-f]{32}\.ua[0-9]{1,4}$/, 'an alert id (referral id, .ua and a number)');

/**
 * Version 2 records `ackDueAt`, the time the first escalation falls due. Version 1 histories did not:
 * their alerts upcast with `ackDueAt: null`, which a timer worker reads as "due at once". Version 3 moves
 * the free-text `reason` under `personal`; `raisedBy` and `rules` are the reason's category, outside it.
 * Version 4 addresses each alert to a role (a missed bail clock is the officer's to act on); earlier alerts were all
 * the supervisors'.
 */
export const UrgentActionRaised = defineEvent(
  'UrgentActionRaised',
  z.strictObject({
    referralId: referralIdSchema,
    alertId: alertIdSchema,
    /**
     * `person` when staff raised it; `intake_rule` when an intake rule did (the rules are listed); `deadline` when a
     * statutory clock passed unmet (the rule is the deadline kind); `breach` when an order was breached.
     */
    raisedBy: urgentRaisedBySchema,
    /** The role that must act; supervisors see every alert. */
    addressedTo: roleSchema,
    rules: z.array(z.string().max(100)).max(20).default([]),
    ackDueAt: isoDateTimeSchema.nullable(),
    personal: personalSection({ reason: reasonSchema }),
  }),
  {
    version: 4,
    upcasters: [
      { fromVersion: 1, upcast: (data) => ({ ...(data as Record<string, unknown>), ackDueAt: null }) },
      movedToPersonal(2, 'reason'),
      { fromVersion: 3, upcast: (data) => ({ ...(data as Record<string, unknown>), addressedTo: 'supervisor' }) },
    ],
  },
);

/**
 * Version 2 makes `note` optional: a pager's one-button acknowledgement says nothing, and the record of who
 * acknowledged and when is in the metadata. Every version 1 event is a valid version 2 event as it is.
 * Version 3 moves the note under `personal` (an empty section when there is none).
 */
export const UrgentActionAcknowledged = defineEvent(
  'UrgentActionAcknowledged',
  z.strictObject({ referralId: referralIdSchema, alertId: alertIdSchema, personal: personalSection({ note: reasonSchema.optional() }) }),
  { version: 3, upcasters: [{ fromVersion: 1, upcast: (data) => data }, movedToPersonal(2, 'note')] },
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
    resolvedBy: z.enum(['person', 'closure', 'superseded']),
    /** The resolution in words (under `personal` since version 2): `resolvedBy` is its category. */
    personal: personalSection({ resolution: reasonSchema }),
  }),
  { version: 2, upcasters: [movedToPersonal(1, 'resolution')] },
);
