/**
 * Legal measures (DOMAIN.md §4) as lifecycles of their own, each step an event in the referral's stream, keyed by
 * a measure id (`m1`, `m2`… per referral). One event type per measure kind, its `step` a discriminated union, so
 * each step carries exactly the facts it has (an order's end date, the rank who authorised a notice, a breach's
 * crime reference). Which step may follow which is the kind's machine (workflows/src/measures); the clocks a step
 * starts or stops are deadline events (deadline-events.ts) decided with it.
 *
 * `at` is when the step happened in the world (a notice served at 14:10), not when it was recorded: the clocks run
 * from it. Free text about a step (a note) can describe a person, so it lives under `personal`.
 */
import { z } from 'zod';
import { defineEvent } from '../envelope.js';
import { personalSection } from '../personal.js';
import { referralIdSchema } from './events.js';
import { crimeReferenceSchema, isoDateSchema, isoDateTimeSchema, reasonSchema } from './values.js';

export const measureKinds = ['spo', 'dvpo', 'bail', 'mappa', 'disclosure_scheme'] as const;
export const measureKindSchema = z.enum(measureKinds);
export type MeasureKind = z.infer<typeof measureKindSchema>;

export const measureIdSchema = z.string().regex(/^m[0-9]{1,4}$/, 'a measure id (m and a number)');

/** A step's name (`served`, `notice_issued`): lower case and underscores. */
export const stepNameSchema = z.string().regex(/^[a-z_]{1,40}$/, 'a step name');

/** Police ranks, lowest first: who may authorise a notice or an extension is a rank or above. */
export const policeRanks = [
  'constable',
  'sergeant',
  'inspector',
  'chief_inspector',
  'superintendent',
  'chief_superintendent',
  'assistant_chief_constable',
  'deputy_chief_constable',
  'chief_constable',
] as const;
export const policeRankSchema = z.enum(policeRanks);
export type PoliceRank = z.infer<typeof policeRankSchema>;

export function rankAtLeast(rank: PoliceRank, least: PoliceRank): boolean {
  return policeRanks.indexOf(rank) >= policeRanks.indexOf(least);
}

const breach = z.strictObject({ step: z.literal('breached'), breachOn: isoDateSchema, crimeReference: crimeReferenceSchema });
const noteSection = personalSection({ note: reasonSchema.optional() });
const orderStage = z.enum(['interim', 'full']);
/** An order's end: a date, or `null` for "until further order" (a full SPO may be). */
const endsOn = isoDateSchema.nullable();

/** Stalking Protection Order (Stalking Protection Act 2019). */
export const spoStepSchema = z.discriminatedUnion('step', [
  z.strictObject({ step: z.literal('considered') }),
  z.strictObject({ step: z.literal('advised') }),
  z.strictObject({ step: z.literal('applied'), order: orderStage }),
  z.strictObject({ step: z.literal('granted'), order: orderStage, endsOn }),
  z.strictObject({ step: z.literal('refused') }),
  z.strictObject({ step: z.literal('withdrawn') }),
  z.strictObject({ step: z.literal('served') }),
  z.strictObject({ step: z.literal('notified') }),
  /** Decided by the notification clock (3 days from service), never sent by staff. */
  z.strictObject({ step: z.literal('notification_missed') }),
  z.strictObject({ step: z.literal('varied'), endsOn: endsOn.optional() }),
  z.strictObject({ step: z.literal('renewed'), endsOn }),
  z.strictObject({ step: z.literal('discharged') }),
  z.strictObject({ step: z.literal('expired') }),
  breach,
]);
export type SpoStep = z.infer<typeof spoStepSchema>;

/** Domestic Violence Protection Notice and Order (Crime and Security Act 2010 ss24–33). */
export const dvpoStepSchema = z.discriminatedUnion('step', [
  z.strictObject({ step: z.literal('notice_issued'), authorisedBy: policeRankSchema }),
  /** Decided by the hearing clock: no hearing began within 48 hours of the notice. */
  z.strictObject({ step: z.literal('hearing_missed') }),
  z.strictObject({ step: z.literal('order_granted'), days: z.number().int().min(14).max(28) }),
  z.strictObject({ step: z.literal('order_refused') }),
  z.strictObject({ step: z.literal('expired') }),
  breach,
]);
export type DvpoStep = z.infer<typeof dvpoStepSchema>;

/** Who extended pre-charge bail: an inspector (to 6 months), a superintendent (to 9), or a magistrates' court. */
export const bailAuthoritySchema = z.enum(['inspector', 'superintendent', 'court']);
export type BailAuthority = z.infer<typeof bailAuthoritySchema>;

/** Pre-charge bail (PACE 1984 ss47ZA–47ZG). */
export const bailStepSchema = z.discriminatedUnion('step', [
  z.strictObject({ step: z.literal('granted'), withConditions: z.boolean() }),
  z.strictObject({
    step: z.literal('extended'),
    authority: bailAuthoritySchema,
    authorisedBy: policeRankSchema.optional(),
    /** A court's extension names its end; an officer's runs to the end of the period their rank may authorise. */
    until: isoDateSchema.optional(),
  }),
  z.strictObject({ step: z.literal('answered') }),
  z.strictObject({ step: z.literal('released_under_investigation') }),
  z.strictObject({ step: z.literal('charged') }),
  /** Decided by the bail clock: the applicable bail period ended with no decision or extension. */
  z.strictObject({ step: z.literal('lapsed') }),
]);
export type BailStep = z.infer<typeof bailStepSchema>;

const mappaCategory = z.number().int().min(1).max(3);
const mappaLevel = z.number().int().min(1).max(3);

/** Multi-Agency Public Protection Arrangements (Criminal Justice Act 2003 ss325–327). */
export const mappaStepSchema = z.discriminatedUnion('step', [
  z.strictObject({ step: z.literal('referred'), category: mappaCategory, level: mappaLevel }),
  z.strictObject({ step: z.literal('accepted') }),
  z.strictObject({ step: z.literal('declined') }),
  /** A review meeting; `level` when it changed the level of management. */
  z.strictObject({ step: z.literal('reviewed'), level: mappaLevel.optional() }),
  z.strictObject({ step: z.literal('exited') }),
]);
export type MappaStep = z.infer<typeof mappaStepSchema>;

/** Domestic Violence Disclosure Scheme (Right to Ask / Right to Know). */
export const disclosureSchemeStepSchema = z.discriminatedUnion('step', [
  z.strictObject({ step: z.literal('applied'), route: z.enum(['right_to_ask', 'right_to_know']) }),
  z.strictObject({ step: z.literal('checks_completed') }),
  /** The disclosure itself (to whom, under which gateway) goes through the disclosure log: POST …/disclosures. */
  z.strictObject({ step: z.literal('disclosed') }),
  z.strictObject({ step: z.literal('not_disclosed') }),
]);
export type DisclosureSchemeStep = z.infer<typeof disclosureSchemeStepSchema>;

/** The step schema of each kind: the command of the kind validates with the same one. */
export const measureStepSchemas = {
  spo: spoStepSchema,
  dvpo: dvpoStepSchema,
  bail: bailStepSchema,
  mappa: mappaStepSchema,
  disclosure_scheme: disclosureSchemeStepSchema,
} as const;

export type MeasureStepOf<K extends MeasureKind> = z.infer<(typeof measureStepSchemas)[K]>;
export type MeasureStep = { [K in MeasureKind]: MeasureStepOf<K> }[MeasureKind];

function stepEvent<const T extends string, K extends MeasureKind>(type: T, kind: K) {
  return defineEvent(
    type,
    z.strictObject({
      referralId: referralIdSchema,
      measureId: measureIdSchema,
      /** When the step happened; the clocks it starts run from here. */
      at: isoDateTimeSchema,
      step: measureStepSchemas[kind],
      personal: noteSection,
    }),
  );
}

export const SpoStepRecorded = stepEvent('SpoStepRecorded', 'spo');
export const DvpoStepRecorded = stepEvent('DvpoStepRecorded', 'dvpo');
export const BailStepRecorded = stepEvent('BailStepRecorded', 'bail');
export const MappaStepRecorded = stepEvent('MappaStepRecorded', 'mappa');
export const DisclosureSchemeStepRecorded = stepEvent('DisclosureSchemeStepRecorded', 'disclosure_scheme');

/** The event type of each kind's steps. */
export const measureEventTypes = {
  spo: 'SpoStepRecorded',
  dvpo: 'DvpoStepRecorded',
  bail: 'BailStepRecorded',
  mappa: 'MappaStepRecorded',
  disclosure_scheme: 'DisclosureSchemeStepRecorded',
} as const satisfies Record<MeasureKind, string>;
export type MeasureEventType = (typeof measureEventTypes)[MeasureKind];

/** The kind of each step event type: the one inverse of `measureEventTypes`, for every reader of the steps. */
export const measureKindOfEventType = {
  SpoStepRecorded: 'spo',
  DvpoStepRecorded: 'dvpo',
  BailStepRecorded: 'bail',
  MappaStepRecorded: 'mappa',
  DisclosureSchemeStepRecorded: 'disclosure_scheme',
} as const satisfies { [K in MeasureKind as (typeof measureEventTypes)[K]]: K };

/** The step event types, in one list (read models subscribe to them). */
export const measureStepEventTypes = Object.keys(measureKindOfEventType) as MeasureEventType[];

/**
 * A step's time corrected (a service time entered wrongly): the step stands, its `at` moves, and so does any clock
 * it started (a DeadlineSet of the next version, decided with it).
 */
export const MeasureStepCorrected = defineEvent(
  'MeasureStepCorrected',
  z.strictObject({
    referralId: referralIdSchema,
    measureId: measureIdSchema,
    step: stepNameSchema,
    at: isoDateTimeSchema,
    previousAt: isoDateTimeSchema,
    personal: personalSection({ reason: reasonSchema }),
  }),
);

/** The suspect was arrested: the victim must be told (Victims' Code), which opens a contact clock. */
export const SuspectArrested = defineEvent(
  'SuspectArrested',
  z.strictObject({ referralId: referralIdSchema, at: isoDateTimeSchema }),
);
