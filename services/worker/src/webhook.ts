/** Signed webhook delivery of urgent alerts: the body is signed with HMAC-SHA256 (see @hru/infra postSignedJson). */
import { postSignedJson } from '@hru/infra';

export { signBody, WebhookError } from '@hru/infra';

export interface AlertWebhookBody {
  alertId: string;
  referralId: string;
  kind: 'raised' | 'escalated';
  level: number;
  /** The escalation tier the alert is addressed to at this level (configuration). */
  tier: string;
  reason: string;
  raisedAt: string;
}

/** Posts once; resolves with the 2xx status, throws WebhookError for anything else (the queue retries). */
export async function postWebhook(
  target: string,
  body: AlertWebhookBody,
  options: { secret: string | undefined; deliveryId: string; timeoutMs?: number },
): Promise<number> {
  return postSignedJson(target, JSON.stringify(body), {
    secret: options.secret,
    headers: { 'user-agent': 'hru-alerts/1', 'x-hru-delivery': options.deliveryId },
    ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
  });
}
