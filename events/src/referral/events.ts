/** The first referral events: intake, triage, screening, urgent action, closure. */
import { z } from 'zod';
import { defineEvent } from '../envelope.js';
import { partySchema, personalSectionSchema } from '../personal.js';
import {
  intakeRiskSchema,
  offencesSchema,
  problemBehaviourSchema,
  reasonSchema,
  riskIndicatorSchema,
  sourceSchema,
} from './values.js';

export const referralIdSchema = z.string().regex(/^ref-[0-9a-f]{32}$/, 'a referral id (ref- and 32 hex digits)');

/**
 * Version 2 records every offence of the crime with one principal (a national inspection asked forces to
 * record included classifications); version 1 carried a single `offence`.
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
    version: 2,
    upcasters: [
      {
        fromVersion: 1,
        upcast: (data) => {
          const { offence, ...rest } = data as { offence: { code: string; description: string } } & Record<string, unknown>;
          return { ...rest, offences: [{ code: offence.code, description: offence.description, principal: true }] };
        },
      },
    ],
  },
);

export const triageDecisionSchema = z.enum(['proceed', 'not_stalking', 'out_of_scope']);
export const TriageCompleted = defineEvent(
  'TriageCompleted',
  z.strictObject({ referralId: referralIdSchema, decision: triageDecisionSchema, reason: reasonSchema }),
);

export const screeningDecisionSchema = z.enum(['adopt', 'advice_only', 'no_added_value']);
export const ScreeningCompleted = defineEvent(
  'ScreeningCompleted',
  z.strictObject({ referralId: referralIdSchema, decision: screeningDecisionSchema, reason: reasonSchema }),
);

export const UrgentActionRaised = defineEvent(
  'UrgentActionRaised',
  z.strictObject({
    referralId: referralIdSchema,
    alertId: z.string().min(1).max(100),
    reason: reasonSchema,
    /** `person` when staff raised it; `intake_rule` when an intake rule did (the rules are listed). */
    raisedBy: z.enum(['person', 'intake_rule']),
    rules: z.array(z.string().max(100)).max(20).default([]),
  }),
);

export const ReferralClosed = defineEvent(
  'ReferralClosed',
  z.strictObject({
    referralId: referralIdSchema,
    reason: reasonSchema,
    /** The stage the referral closed from, so statistics need not replay the stream. */
    closedFrom: z.string().min(1).max(50),
  }),
);
