/**
 * Outcomes of delivering an urgent alert to a webhook receiver. They live in one stream per alert, apart from
 * the referral's lifecycle, and carry deterministic event ids: a delivery retried after a crash is recorded
 * once, however many times it was sent.
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { defineEvent } from '../envelope.js';

export const alertKindSchema = z.enum(['raised', 'escalated']);
export type AlertKind = z.infer<typeof alertKindSchema>;

const deliveryFields = {
  alertId: z.string().min(1).max(100),
  referralId: z.string().min(1).max(100),
  kind: alertKindSchema,
  level: z.number().int().min(0).max(20),
  channel: z.literal('webhook'),
  /** The receiver's URL as configured (configuration, not personal data). */
  target: z.string().min(1).max(2_000),
  attempts: z.number().int().min(1).max(1_000),
};

export const AlertDelivered = defineEvent(
  'AlertDelivered',
  z.strictObject({ ...deliveryFields, httpStatus: z.number().int().min(200).max(299) }),
);

export const AlertDeliveryFailed = defineEvent(
  'AlertDeliveryFailed',
  z.strictObject({ ...deliveryFields, error: z.string().max(500) }),
);

export const alertDeliveryEventDefinitions = [AlertDelivered, AlertDeliveryFailed] as const;

export const ALERT_DELIVERY_STREAM_PREFIX = 'alert-delivery-';
export function alertDeliveryStreamFor(alertId: string): string {
  return ALERT_DELIVERY_STREAM_PREFIX + alertId;
}

/** A UUID (version 5 layout) derived from the parts: the same delivery always gets the same event id. */
export function deterministicEventId(...parts: string[]): string {
  const hex = createHash('sha256').update(parts.join('\u0000')).digest('hex');
  const variant = ((parseInt(hex[16]!, 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}
