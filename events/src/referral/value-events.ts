/**
 * The value-for-money case study of one referral (the seed's "what could have happened (costs avoided)"): the harms
 * the unit judged its intervention prevented, each priced later from the table of unit costs of crime, per
 * perspective (who would have borne the cost). A harm is weighed by a probability, or belongs whole to the best or
 * the worst case. Why the unit judged so is free text about people, so it lives under `personal`.
 */
import { z } from 'zod';
import { defineEvent } from '../envelope.js';
import { personalSection } from '../personal.js';
import { referralIdSchema } from './events.js';
import { reasonSchema } from './values.js';

/**
 * The harms the unit-cost table prices. Stalking and harassment, and domestic abuse, are the unit's own crimes;
 * the rest are what a case can escalate to. Suicide is the perpetrator's or the victim's (the seed prices the
 * perpetrator's).
 */
export const harmKinds = [
  'violence_with_injury',
  'violence_without_injury',
  'stalking_and_harassment',
  'domestic_abuse',
  'sexual_offences',
  'rape',
  'homicide',
  'suicide',
] as const;
export const harmKindSchema = z.enum(harmKinds);
export type HarmKind = z.infer<typeof harmKindSchema>;

/** Who bears a cost: the state (police, courts, health), the victim (harm, lost output), society (the rest). */
export const perspectives = ['state', 'victim', 'society'] as const;
export const perspectiveSchema = z.enum(perspectives);
export type Perspective = z.infer<typeof perspectiveSchema>;

export const caseStudyScenarios = ['best_case', 'worst_case'] as const;
export const caseStudyScenarioSchema = z.enum(caseStudyScenarios);
export type CaseStudyScenario = z.infer<typeof caseStudyScenarioSchema>;

/** How much of a harm counts: a probability (the expected case), or all of it in the best or the worst case. */
export const harmWeightSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('probability'), probability: z.number().gt(0).max(1) }),
  z.strictObject({ kind: z.literal('scenario'), scenario: caseStudyScenarioSchema }),
]);
export type HarmWeight = z.infer<typeof harmWeightSchema>;

/** A harm's id within its referral (`h1`, `h2`…), derived by the decision from the history. */
export const harmIdSchema = z.string().regex(/^h[0-9]{1,4}$/, 'a harm id (h and a number)');

export const CounterfactualHarmRecorded = defineEvent(
  'CounterfactualHarmRecorded',
  z.strictObject({
    referralId: referralIdSchema,
    harmId: harmIdSchema,
    harm: harmKindSchema,
    /** The perspectives it is priced for, each once, in the order of `perspectives`. */
    perspectives: z.array(perspectiveSchema).min(1).max(perspectives.length),
    weight: harmWeightSchema,
    personal: personalSection({ reason: reasonSchema }),
  }),
);

/** A harm recorded in error, or judged again: it leaves the case study; the record of it stays in the log. */
export const CounterfactualHarmWithdrawn = defineEvent(
  'CounterfactualHarmWithdrawn',
  z.strictObject({
    referralId: referralIdSchema,
    harmId: harmIdSchema,
    personal: personalSection({ reason: reasonSchema }),
  }),
);
