/**
 * Personal data lives only under the `personal` key of an event body, so that it can be encrypted per person and
 * erased (crypto-shredding) without rewriting the immutable log, and so that logs and projections can drop it by
 * one rule. Everything outside `personal` must be free of names, dates of birth, source person references and
 * free text (reasons, notes, narrative).
 *
 * How the store encrypts a section (the one rule the cipher in @hru/application applies to every event):
 * - each element of `personal.people` (an object with a `partyId`) under that person's key in this case,
 *   `party:<partyId>@<referralId>` (per case, so disposing of one case leaves the person's other cases readable);
 * - every other key of `personal` (the case's free text) together under the case's key, `case:<referralId>`,
 *   the event's `data.referralId`.
 * Read back after a key was destroyed, a person reads `{partyId, erased: true}` and the case's free text reads
 * `{erased: true}` (with `people` beside it when the section has people): the schemas below accept both.
 */
import { z } from 'zod';

export const partyCategorySchema = z.enum(['victim', 'suspect', 'witness', 'offender']);
export type PartyCategory = z.infer<typeof partyCategorySchema>;

/**
 * A party of a case: a stable id and its Part 3 category. The source system's person reference identifies the
 * person, so it is one of their details under `personal.people` (since ReferralReceived v3).
 */
export const partySchema = z.strictObject({
  partyId: z.string().min(1).max(64),
  category: partyCategorySchema,
});
export type Party = z.infer<typeof partySchema>;

export const personDetailsSchema = z.strictObject({
  partyId: z.string().min(1).max(64),
  name: z.string().min(1).max(200).optional(),
  dateOfBirth: z.iso.date().optional(),
  /** The source system's reference for this person. */
  sourceRef: z.string().min(1).max(100).optional(),
});
export type PersonDetails = z.infer<typeof personDetailsSchema>;

/** A person whose key was destroyed (erasure, or disposal of their case): the id stays, the details are gone. */
export const erasedPersonSchema = z.strictObject({ partyId: z.string().min(1).max(64), erased: z.literal(true) });
export const personEntrySchema = z.union([personDetailsSchema, erasedPersonSchema]);
export type PersonEntry = z.infer<typeof personEntrySchema>;

const peopleSchema = z.array(personEntrySchema).max(20).default([]);

/**
 * The `personal` section of an event with free text about a case: its fields, or `{erased: true}` once the case's
 * key is destroyed.
 */
export function personalSection<const S extends z.ZodRawShape>(shape: S) {
  return z.union([z.strictObject(shape), z.strictObject({ erased: z.literal(true) })]).meta({ personal: true });
}

/**
 * The same for a section that also names people: the people stay readable one by one (each under their own key),
 * so the erased case text reads `{erased: true, people: [...]}`.
 */
export function personalSectionWithPeople<const S extends z.ZodRawShape>(shape: S) {
  return z
    .union([z.strictObject({ ...shape, people: peopleSchema }), z.strictObject({ erased: z.literal(true), people: peopleSchema })])
    .meta({ personal: true });
}

/** The intake section (ReferralReceived, ReferralDetailsUpdated): the source's narrative and the people named. */
export const personalSectionSchema = personalSectionWithPeople({
  /** Free text from the source system: treated as personal data as a whole. */
  summary: z.string().max(20_000).optional(),
});
export type PersonalSection = z.infer<typeof personalSectionSchema>;

/** Whether a section (or a person) was read back after its key was destroyed. */
export function isErased(section: unknown): section is { erased: true } {
  return typeof section === 'object' && section !== null && (section as { erased?: unknown }).erased === true;
}

/** The key under which every event keeps its personal data. */
export const PERSONAL_KEY = 'personal';
