/** Interventions and legal measures taken, and the Home Office outcome of each crime (DOMAIN.md §4, §5). */
import { z } from 'zod';
import { defineEvent } from '../envelope.js';
import { referralIdSchema } from './events.js';
import { crimeReferenceSchema, isoDateSchema, outcomeCodeSchema } from './values.js';

const orderStage = z.enum(['interim', 'full']);

/** Each kind is one of the unit's headline counts; the union keeps kind-specific facts typed. */
export const interventionSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('spo_advised') }),
  z.strictObject({ kind: z.literal('spo_applied'), order: orderStage }),
  z.strictObject({ kind: z.literal('spo_granted'), order: orderStage }),
  z.strictObject({
    kind: z.literal('mappa_support'),
    category: z.number().int().min(1).max(3),
    level: z.number().int().min(1).max(3),
  }),
  z.strictObject({ kind: z.literal('da_disclosure_to_probation') }),
  z.strictObject({
    kind: z.literal('victim_advocate_contact'),
    outcome: z.enum(['engaged', 'declined', 'uncontactable']),
  }),
  z.strictObject({ kind: z.literal('therapeutic_intervention_started') }),
  z.strictObject({ kind: z.literal('therapeutic_intervention_completed') }),
  z.strictObject({ kind: z.literal('tactical_review') }),
  z.strictObject({ kind: z.literal('investigative_review') }),
  z.strictObject({ kind: z.literal('direct_constable_intervention') }),
]);
export type Intervention = z.infer<typeof interventionSchema>;
export type InterventionKind = Intervention['kind'];

export const InterventionRecorded = defineEvent(
  'InterventionRecorded',
  z.strictObject({
    referralId: referralIdSchema,
    interventionId: z.string().regex(/^i[0-9]{1,5}$/),
    intervention: interventionSchema,
    occurredOn: isoDateSchema,
  }),
);

/** A later outcome for the same crime replaces the earlier one in the view; both stay in the log. */
export const CrimeOutcomeRecorded = defineEvent(
  'CrimeOutcomeRecorded',
  z.strictObject({
    referralId: referralIdSchema,
    crimeReference: crimeReferenceSchema,
    outcomeCode: outcomeCodeSchema,
    outcomeDate: isoDateSchema,
  }),
);
