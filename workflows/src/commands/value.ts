/**
 * The value-for-money case study of one referral (events/src/referral/value-events.ts): staff record the harms the
 * unit judged its intervention prevented, and withdraw one recorded in error. Pricing them is a read
 * (projections/src/value-for-money/case-study.ts): the unit costs can change, the judgment stays.
 */
import { z } from 'zod';
import { caseStudyScenarioSchema, harmIdSchema, harmKindSchema, perspectives, perspectiveSchema, reasonSchema } from '@hru/events';
import { draft } from '../referral/decision.js';
import { caseworkers, defineCommand } from './command.js';

const perspectiveChoice = z
  .union([z.literal('all'), z.array(perspectiveSchema).min(1).max(perspectives.length)])
  .describe('`all`, or the perspectives to price it for: `state`, `victim`, `society`');

export const recordCounterfactualHarm = defineCommand({
  summary: 'Record a harm the intervention is judged to have prevented (the value-for-money case study)',
  roles: caseworkers,
  schema: z
    .strictObject({
      harm: harmKindSchema,
      perspectives: perspectiveChoice,
      probability: z.number().gt(0).max(1).optional().describe('How likely the harm was: it is priced at this share'),
      scenario: caseStudyScenarioSchema.optional().describe('Instead of a probability: the harm counts whole in this case'),
      reason: reasonSchema.describe('Why the unit judged so (personal: shown only in a justified read)'),
    })
    .refine((p) => (p.probability === undefined) !== (p.scenario === undefined), {
      message: 'give either a probability or a scenario (best_case or worst_case)',
      path: ['probability'],
    }),
  decide: ({ state, command }) => {
    const { harm, probability, scenario, reason } = command.payload;
    const chosen = command.payload.perspectives;
    // Stored in the table's order, each once, so two records of the same judgment read the same.
    const priced = chosen === 'all' ? [...perspectives] : perspectives.filter((p) => chosen.includes(p));
    const weight = scenario !== undefined ? { kind: 'scenario' as const, scenario } : { kind: 'probability' as const, probability: probability! };
    const harmId = `h${state.counterfactualHarms.length + 1}`;
    return [draft('CounterfactualHarmRecorded', { referralId: state.referralId, harmId, harm, perspectives: priced, weight, personal: { reason } })];
  },
});

export const withdrawCounterfactualHarm = defineCommand({
  summary: 'Withdraw a harm from the value-for-money case study (recorded in error, or judged again)',
  roles: caseworkers,
  schema: z.strictObject({ harmId: harmIdSchema, reason: reasonSchema }),
  decide: ({ state, command }) => {
    const { harmId, reason } = command.payload;
    const recorded = state.counterfactualHarms.find((h) => h.harmId === harmId);
    if (!recorded) return { rejected: `Harm ${harmId} is not one of this referral's case study` };
    if (recorded.withdrawnAt !== null) return { rejected: `Harm ${harmId} was already withdrawn` };
    return [draft('CounterfactualHarmWithdrawn', { referralId: state.referralId, harmId, personal: { reason } })];
  },
});
