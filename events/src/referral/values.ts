/** Value schemas of the referral domain (DOMAIN.md §1, §2), shared by events, commands and the intake API. */
import { z } from 'zod';

export const problemBehaviourSchema = z.enum(['stalking', 'serial_domestic_abuse', 'sexual_violence', 'querulance']);
export type ProblemBehaviour = z.infer<typeof problemBehaviourSchema>;

export const sourceSchema = z.strictObject({
  system: z.string().regex(/^[a-z0-9][a-z0-9_-]{0,39}$/, 'lower-case letters, digits, _ and -, at most 40'),
  crimeReference: z.string().min(1).max(64).regex(/^[A-Za-z0-9/_.:-]+$/, 'letters, digits and / _ . : -'),
  recordedAt: z.iso.datetime({ offset: true }),
});
export type Source = z.infer<typeof sourceSchema>;

export const offenceSchema = z.strictObject({
  /** Home Office offence classification, e.g. `8/65`. */
  code: z.string().min(1).max(16),
  description: z.string().min(1).max(200),
  /** One offence of a crime is principal; the others are included classifications. */
  principal: z.boolean(),
});
export type Offence = z.infer<typeof offenceSchema>;

export const offencesSchema = z
  .array(offenceSchema)
  .min(1)
  .max(20)
  .refine((offences) => offences.filter((o) => o.principal).length === 1, {
    message: 'exactly one offence must be principal',
  });

/** DASH yes-count (27 questions) and S-DASH answers (11 yes/no stalking questions; no official bands). */
export const intakeRiskSchema = z.strictObject({
  dashYesCount: z.number().int().min(0).max(27).optional(),
  sdashAnswers: z.array(z.boolean()).max(11).optional(),
});
export type IntakeRisk = z.infer<typeof intakeRiskSchema>;

export const riskIndicatorSchema = z.enum([
  'threats_to_kill',
  'attending_address',
  'weapon',
  'breach_of_order',
  'escalating',
  'sexual_violence',
  'strangulation',
  'pregnancy',
  'children_at_risk',
  'suicide_threat',
]);
export type RiskIndicator = z.infer<typeof riskIndicatorSchema>;

export const reasonSchema = z.string().trim().min(1).max(4_000);
