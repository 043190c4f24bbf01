/**
 * A break in the hash chains found by the engine's own integrity monitor: the auditor's urgent alert. One
 * event per break, in the `integrity` stream, with an event id derived from the break (kind, stream,
 * position, revision), so a break found again by every later check, or by another process, is recorded once.
 */
import { z } from 'zod';
import { defineEvent } from '../envelope.js';

export const IntegrityBreakDetected = defineEvent(
  'IntegrityBreakDetected',
  z.strictObject({
    kind: z.string().min(1).max(50),
    /** The stream, or `*` for a break of the log as a whole (gap, truncation, checkpoint, anchor). */
    streamId: z.string().min(1).max(200),
    revision: z.number().int().nullable(),
    position: z.string().max(40).nullable(),
    expected: z.string().max(2_000),
    found: z.string().max(2_000),
    store: z.string().min(1).max(50),
  }),
);

export const integrityEventDefinitions = [IntegrityBreakDetected] as const;

export const INTEGRITY_STREAM = 'integrity';
