/**
 * Assessments (DPA 2018 Part 3 asks to tell facts from assessments): dated, appended, never overwritten.
 * Each schema carries `.meta({ assessment: true })` so read models and the research extract can tell. The
 * rationale is free text about people: under `personal` since version 2.
 */
import { z } from 'zod';
import { defineEvent } from '../envelope.js';
import { personalSection } from '../personal.js';
import { movedToPersonal } from './move-to-personal.js';
import { referralIdSchema } from './events.js';
import { isoDateSchema, reasonSchema, srpSchema, stalkerTypeSchema } from './values.js';

export const RiskAssessmentRecorded = defineEvent(
  'RiskAssessmentRecorded',
  z
    .strictObject({
      referralId: referralIdSchema,
      assessmentId: z.string().regex(/^ra[0-9]{1,4}$/),
      assessedOn: isoDateSchema,
      /** DASH: count of "yes" answers out of 27. */
      dashYesCount: z.number().int().min(0).max(27).nullable(),
      /** S-DASH: the 11 answers in order; no official bands, so the count is derived, not judged. */
      sdashAnswers: z.array(z.boolean()).length(11).nullable(),
      srp: srpSchema.nullable(),
      personal: personalSection({ rationale: reasonSchema }),
    })
    .meta({ assessment: true }),
  { version: 2, upcasters: [movedToPersonal(1, 'rationale')] },
);

/** A formulation supersedes the one before it (named in `supersedes`); both stay in the history. */
export const FormulationRecorded = defineEvent(
  'FormulationRecorded',
  z
    .strictObject({
      referralId: referralIdSchema,
      formulationId: z.string().regex(/^f[0-9]{1,4}$/),
      stalkerType: stalkerTypeSchema,
      supersedes: z.string().regex(/^f[0-9]{1,4}$/).nullable(),
      personal: personalSection({ rationale: reasonSchema }),
    })
    .meta({ assessment: true }),
  { version: 2, upcasters: [movedToPersonal(1, 'rationale')] },
);
