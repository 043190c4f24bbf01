/** Value schemas of the referral domain (DOMAIN.md §1, §2), shared by events, commands and the intake API. */
import { z } from 'zod';

export const problemBehaviourSchema = z.enum(['stalking', 'serial_domestic_abuse', 'sexual_violence', 'querulance']);
export type ProblemBehaviour = z.infer<typeof problemBehaviourSchema>;

/**
 * A crime reference as recorded. Events keep accepting either case: a log written before references were
 * normalised holds lower-case ones, and an event is never rewritten.
 */
export const crimeReferenceSchema = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9/_.:-]+$/, 'letters, digits and / _ . : -');

/**
 * The one normal form of a crime reference, used by the referral id and by everything stored from a command:
 * crime recording systems print references in either case (`cc/26/000123`, `CC/26/000123`) and an operator
 * may paste one with surrounding blanks, but it is one crime. Upper case, because forces write references so
 * and an upper-case reference's referral id is then unchanged. ASCII letters only: `toUpperCase` would turn a
 * refused `ı` into an accepted `I`. Inner whitespace is not removed but refused (by the pattern): guessing
 * where a reference's parts join could merge two crimes.
 */
export function normaliseCrimeReference(reference: string): string {
  return reference.trim().replace(/[a-z]+/g, (letters) => letters.toUpperCase());
}

/** A crime reference as a command or the intake API accepts it: normalised, then checked. */
export const crimeReferenceInputSchema = z
  .string()
  .overwrite(normaliseCrimeReference)
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9/_.:-]+$/, 'letters, digits and / _ . : -')
  .describe('Any case, surrounding blanks ignored: stored and matched upper-case (cc/26/1 and CC/26/1 are one crime)');

/**
 * The policing area (district, command unit) a crime was recorded in: an area, not a person, so outside `personal`.
 * Optional on a source (systems that send none, and referrals from before it); the tasking meeting filters
 * perpetrators by it. No comma, % or _: read models keep a list of areas comma-separated and match them whole.
 */
export const areaSchema = z
  .string()
  .min(1)
  .max(60)
  .regex(/^[\p{L}\p{N}][\p{L}\p{N} .'&()/-]*$/u, "letters, digits, spaces and . ' & ( ) / -")
  .describe('A policing area (district, command unit), e.g. `Sunderland` or `North/01`');

export const sourceSchema = z.strictObject({
  system: z.string().regex(/^[a-z0-9][a-z0-9_-]{0,39}$/, 'lower-case letters, digits, _ and -, at most 40'),
  crimeReference: crimeReferenceSchema,
  recordedAt: z.iso.datetime({ offset: true }),
  area: areaSchema.optional(),
});
export type Source = z.infer<typeof sourceSchema>;

/** The source of an intake: as recorded, with its crime reference normalised. */
export const sourceInputSchema = sourceSchema.extend({ crimeReference: crimeReferenceInputSchema });

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

/** ISO calendar date (`2026-11-20`): due dates and outcome dates have no time of day. */
export const isoDateSchema = z.iso.date();
export const isoDateTimeSchema = z.iso.datetime({ offset: true });

/** A member of staff, by identity-provider subject and agency; names stay out of events. */
export const staffRefSchema = z.strictObject({
  sub: z.string().min(1).max(200),
  agency: z.string().min(1).max(100),
});
export type StaffRef = z.infer<typeof staffRefSchema>;

/** Stalker motivational type (Mullen et al., 1999), revisable at later formulations. */
export const stalkerTypeSchema = z.enum([
  'rejected',
  'resentful',
  'intimacy_seeking',
  'incompetent_suitor',
  'predatory',
  'not_yet_formulated',
]);
export type StalkerType = z.infer<typeof stalkerTypeSchema>;

/** Stalking Risk Profile: a structured judgement per domain, not a score. */
export const srpRatingSchema = z.enum(['low', 'moderate', 'high']);
export const srpSchema = z.strictObject({
  violence: srpRatingSchema,
  persistence: srpRatingSchema,
  recurrence: srpRatingSchema,
  psychosocialDamage: srpRatingSchema,
});
export type Srp = z.infer<typeof srpSchema>;

/** The six kinds of management strategy a plan action can be (DOMAIN.md §3). */
export const strategyKindSchema = z.enum([
  'tactical_investigative_advice',
  'communication_risk_sharing',
  'victim_safety_planning',
  'health_pathway_consultation',
  'legal_proceedings',
  'therapeutic_intervention',
]);
export type StrategyKind = z.infer<typeof strategyKindSchema>;

/** Services a case discussion can direct a case to (DOMAIN.md §1.4). */
export const serviceSchema = z.enum(['victim_advocate', 'health_pathway', 'probation', 'mappa', 'marac']);
export type Service = z.infer<typeof serviceSchema>;

/** Home Office outcome type, kept as the code string (`1`, `3`, `16`, `8A`) because the list changes. */
export const outcomeCodeSchema = z.string().regex(/^[0-9]{1,2}[A-Z]?$/, 'a Home Office outcome type such as 1, 3 or 16');

/** A short free-text line (decisions, activities); narrative about people belongs under `personal`. */
export const shortTextSchema = z.string().trim().min(1).max(1_000);
