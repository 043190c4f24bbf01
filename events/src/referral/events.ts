/** Lifecycle events of a referral: intake, updates from the source, triage, screening, closure, reopening. */
import { z } from 'zod';
import { defineEvent } from '../envelope.js';
import { partySchema, personalSection, personalSectionSchema } from '../personal.js';
import { movedToPersonal, moveSourceRefs } from './move-to-personal.js';
import {
  intakeRiskSchema,
  offencesSchema,
  problemBehaviourSchema,
  reasonSchema,
  riskIndicatorSchema,
  isoDateTimeSchema,
  sourceSchema,
} from './values.js';

export const referralIdSchema = z.string().regex(/^ref-[0-9a-f]{32}$/, 'a referral id (ref- and 32 hex digits)');

/**
 * Version 2 records every offence of the crime with one principal (a national inspection asked forces to
 * record included classifications); version 1 carried a single `offence`. Version 3 moves each party's
 * `sourceRef` (it identifies the person) into their entry under `personal.people`.
 */
export const ReferralReceived = defineEvent(
  'ReferralReceived',
  z.strictObject({
    referralId: referralIdSchema,
    source: sourceSchema,
    offences: offencesSchema,
    problemBehaviour: problemBehaviourSchema,
    parties: z.array(partySchema).max(20),
    risk: intakeRiskSchema,
    indicators: z.array(riskIndicatorSchema).max(20),
    personal: personalSectionSchema,
  }),
  {
    version: 3,
    upcasters: [
      {
        fromVersion: 1,
        upcast: (data) => {
          const { offence, ...rest } = data as { offence: { code: string; description: string } } & Record<string, unknown>;
          return { ...rest, offences: [{ code: offence.code, description: offence.description, principal: true }] };
        },
      },
      { fromVersion: 2, upcast: moveSourceRefs },
    ],
  },
);

/** The why of a decision: free text about the case, so it lives under `personal` (version 2 moved it there). */
export const reasonSectionSchema = personalSection({ reason: reasonSchema });

export const triageDecisionSchema = z.enum(['proceed', 'not_stalking', 'out_of_scope']);
export const TriageCompleted = defineEvent(
  'TriageCompleted',
  z.strictObject({ referralId: referralIdSchema, decision: triageDecisionSchema, personal: reasonSectionSchema }),
  { version: 2, upcasters: [movedToPersonal(1, 'reason')] },
);

export const screeningDecisionSchema = z.enum(['adopt', 'advice_only', 'no_added_value']);
export const ScreeningCompleted = defineEvent(
  'ScreeningCompleted',
  z.strictObject({ referralId: referralIdSchema, decision: screeningDecisionSchema, personal: reasonSectionSchema }),
  { version: 2, upcasters: [movedToPersonal(1, 'reason')] },
);

export const ReferralClosed = defineEvent(
  'ReferralClosed',
  z.strictObject({
    referralId: referralIdSchema,
    /** The stage the referral closed from, so statistics need not replay the stream. */
    closedFrom: z.string().min(1).max(50),
    personal: reasonSectionSchema,
  }),
  { version: 2, upcasters: [movedToPersonal(1, 'reason')] },
);

/** Which intake facts a repeated intake of the same crime changed. */
export const intakeFieldSchema = z.enum(['recordedAt', 'offences', 'problemBehaviour', 'parties', 'risk', 'indicators', 'summary', 'people']);
export type IntakeField = z.infer<typeof intakeFieldSchema>;

/**
 * The source system sent the same crime again with changed facts. Only the changed fields are present;
 * changed names, dates of birth, source references or summary travel under `personal` like at intake. Version 2
 * moved each party's `sourceRef` there.
 */
export const ReferralDetailsUpdated = defineEvent(
  'ReferralDetailsUpdated',
  z.strictObject({
    referralId: referralIdSchema,
    changedFields: z.array(intakeFieldSchema).min(1).max(8),
    recordedAt: isoDateTimeSchema.optional(),
    offences: offencesSchema.optional(),
    problemBehaviour: problemBehaviourSchema.optional(),
    parties: z.array(partySchema).max(20).optional(),
    risk: intakeRiskSchema.optional(),
    indicators: z.array(riskIndicatorSchema).max(20).optional(),
    personal: personalSectionSchema,
  }),
  { version: 2, upcasters: [{ fromVersion: 1, upcast: moveSourceRefs }] },
);

/**
 * A closed case reopened because a new referral about the same perpetrator arrived: the link is kept
 * because it is re-offending evidence (DOMAIN.md §5).
 */
export const ReferralReopened = defineEvent(
  'ReferralReopened',
  z.strictObject({
    referralId: referralIdSchema,
    linkedReferralId: referralIdSchema,
    personal: reasonSectionSchema,
  }),
  { version: 2, upcasters: [movedToPersonal(1, 'reason')] },
);
