/**
 * Commands of everyday casework: assignment, risk assessments, interventions, crime outcomes, staff time.
 * Ids of things referred to later are numbered from the history, so they are deterministic.
 */
import { z } from 'zod';
import { crimeReferenceInputSchema, interventionSchema, isoDateSchema, outcomeCodeSchema, reasonSchema, srpSchema, staffRefSchema } from '@hru/events';
import { draft } from '../referral/decision.js';
import { caseworkers, defineCommand } from './command.js';

export const assign = defineCommand({
  summary: 'Assign the referral to a member of staff',
  roles: ['supervisor'],
  schema: z.strictObject({ assignee: staffRefSchema }),
  decide: ({ state, command }) => [draft('ReferralAssigned', { referralId: state.referralId, assignee: command.payload.assignee })],
});

export const riskAssessmentPayloadSchema = z
  .strictObject({
    assessedOn: isoDateSchema,
    dashYesCount: z.number().int().min(0).max(27).optional(),
    sdashAnswers: z.array(z.boolean()).length(11).optional(),
    srp: srpSchema.optional(),
    rationale: reasonSchema,
  })
  .refine((p) => p.dashYesCount !== undefined || p.sdashAnswers !== undefined || p.srp !== undefined, {
    message: 'record at least one of dashYesCount, sdashAnswers, srp',
  });

export const recordRiskAssessment = defineCommand({
  summary: 'Record a risk assessment (DASH, S-DASH, Stalking Risk Profile)',
  roles: caseworkers,
  schema: riskAssessmentPayloadSchema,
  decide: ({ state, command }) => {
    const p = command.payload;
    return [
      draft('RiskAssessmentRecorded', {
        referralId: state.referralId,
        assessmentId: `ra${state.riskAssessments.length + 1}`,
        assessedOn: p.assessedOn,
        dashYesCount: p.dashYesCount ?? null,
        sdashAnswers: p.sdashAnswers ?? null,
        srp: p.srp ?? null,
        personal: { rationale: p.rationale },
      }),
    ];
  },
});

export const recordIntervention = defineCommand({
  summary: 'Record an intervention (SPO, MAPPA, disclosure, advocacy, therapy, review)',
  roles: caseworkers,
  schema: z.strictObject({ intervention: interventionSchema, occurredOn: isoDateSchema }),
  decide: ({ state, command }) => [
    draft('InterventionRecorded', {
      referralId: state.referralId,
      interventionId: `i${state.interventions.length + 1}`,
      intervention: command.payload.intervention,
      occurredOn: command.payload.occurredOn,
    }),
  ],
});

export const recordCrimeOutcome = defineCommand({
  summary: 'Record a crime’s Home Office outcome',
  roles: ['supervisor', 'officer'],
  schema: z.strictObject({ crimeReference: crimeReferenceInputSchema, outcomeCode: outcomeCodeSchema, outcomeDate: isoDateSchema }),
  decide: ({ state, command }) => [draft('CrimeOutcomeRecorded', { referralId: state.referralId, ...command.payload })],
});

export const logTime = defineCommand({
  summary: 'Log staff time spent on the case',
  roles: caseworkers,
  schema: z.strictObject({
    agency: z.string().min(1).max(100),
    minutes: z.number().int().min(1).max(1_440),
    activity: z.string().trim().min(1).max(200),
  }),
  decide: ({ state, command }) => {
    const { agency, minutes, activity } = command.payload;
    return [draft('TimeLogged', { referralId: state.referralId, agency, minutes, personal: { activity } })];
  },
});
