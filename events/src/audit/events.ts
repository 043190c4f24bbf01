/**
 * The access log of Data Protection Act 2018 s62: every consultation (read) of a referral's personal data and
 * every disclosure, with the justification. Who and when travel in the metadata (actor, occurredAt).
 */
import { z } from 'zod';
import { defineEvent } from '../envelope.js';

export const accessedResourceSchema = z.enum(['referral', 'history', 'state', 'export']);
export type AccessedResource = z.infer<typeof accessedResourceSchema>;

/** Why personal data is consulted; `params` lets the place that asks for one say what a missing one means. */
export function justificationText(params?: Parameters<typeof z.string>[0]) {
  return z.string(params).trim().min(3).max(1_000);
}

export const justificationSchema = justificationText();

export const PersonalDataAccessed = defineEvent(
  'PersonalDataAccessed',
  z.strictObject({
    referralId: z.string().min(1).max(100),
    resource: accessedResourceSchema,
    kind: z.enum(['consultation', 'disclosure']),
    justification: justificationSchema,
    /** For a disclosure: who received the data, and the legal gateway it was shared under. */
    recipients: z.array(z.string().min(1).max(200)).max(20).default([]),
    gateway: z.string().min(1).max(200).optional(),
    requestId: z.string().min(1).max(100),
  }),
);

export const auditEventDefinitions = [PersonalDataAccessed] as const;

/** Access-log entries are kept in one stream per UTC day: short streams, easy retention review. */
export const ACCESS_LOG_STREAM_PREFIX = 'access-log-';
export function accessLogStreamFor(at: Date): string {
  return ACCESS_LOG_STREAM_PREFIX + at.toISOString().slice(0, 10);
}
