/** Schemas and the access rule shared by the history and state-as-of routes. */
import { z } from 'zod';
import type { Role } from '@hru/events';

/** History and state as of a point: for those who audit or supervise the unit's decisions. */
export const auditReaders: readonly Role[] = ['auditor', 'supervisor'];

export const timelineEntrySchema = z.object({
  revision: z.number().int(),
  position: z.string(),
  type: z.string(),
  occurredAt: z.string(),
  recordedAt: z.string(),
  actor: z.object({
    kind: z.enum(['person', 'system']),
    sub: z.string(),
    name: z.string(),
    roles: z.array(z.string()),
    agency: z.string(),
  }),
  reason: z.string().nullable().describe("The event's why (reason, note, rationale…), from its personal section; null when it has none or it was erased"),
  correlationId: z.string(),
  causationId: z.string().nullable(),
  summary: z.string().describe('One line for a human'),
  data: z
    .record(z.string(), z.unknown())
    .describe("The event's data with its personal section (`personal`: the free text, names; `{erased: true}` once erased)"),
});
