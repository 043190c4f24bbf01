/**
 * Personal data lives only under the `personal` key of an event body, keyed by party, so that it can be
 * encrypted per person and erased (crypto-shredding) without rewriting the immutable log, and so that
 * logs and projections can drop it by one rule. Everything outside `personal` must be free of names,
 * dates of birth and narrative.
 */
import { z } from 'zod';

export const partyCategorySchema = z.enum(['victim', 'suspect', 'witness', 'offender']);
export type PartyCategory = z.infer<typeof partyCategorySchema>;

/** A party of a case: a stable id, its Part 3 category, and the source system's person reference. */
export const partySchema = z.strictObject({
  partyId: z.string().min(1).max(64),
  category: partyCategorySchema,
  sourceRef: z.string().min(1).max(100).optional(),
});
export type Party = z.infer<typeof partySchema>;

export const personDetailsSchema = z.strictObject({
  partyId: z.string().min(1).max(64),
  name: z.string().min(1).max(200).optional(),
  dateOfBirth: z.iso.date().optional(),
});

export const personalSectionSchema = z
  .strictObject({
    /** Free text from the source system: treated as personal data as a whole. */
    summary: z.string().max(20_000).optional(),
    people: z.array(personDetailsSchema).max(20).default([]),
  })
  .meta({ personal: true });
export type PersonalSection = z.infer<typeof personalSectionSchema>;

/** The key under which every event keeps its personal data. */
export const PERSONAL_KEY = 'personal';
