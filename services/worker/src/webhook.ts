/** Signed webhook delivery: the body is signed with HMAC-SHA256 so receivers can trust it came from us. */
import { createHmac } from 'node:crypto';

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

export function signBody(body: string, secret: string): string {
  return 'sha256=' + createHmac('sha256', secret).update(body).digest('hex');
}

export class WebhookError extends Error {
  constructor(message: string, readonly status?: number) {
    super(message);
  }
}

/** Posts once; resolves with the 2xx status, throws WebhookError for anything else (the queue retries). */
export async function postWebhook(
  target: string,
  body: AlertWebhookBody,
  options: { secret: string | undefined; deliveryId: string; timeoutMs?: number },
): Promise<number> {
  const text = JSON.stringify(body);
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    'user-agent': 'hru-alerts/1',
    'x-hru-delivery': options.deliveryId,
  };
  if (options.secret) headers['x-hru-signature'] = signBody(text, options.secret);
  let response: Response;
  try {
    response = await fetch(target, { method: 'POST', headers, body: text, signal: AbortSignal.timeout(options.timeoutMs ?? 5_000) });
  } catch (error) {
    throw new WebhookError(`receiver unreachable: ${(error as Error).name === 'TimeoutError' ? 'timed out' : (error as Error).message}`);
  }
  await response.arrayBuffer().catch(() => undefined); // drain, so the connection can be reused
  if (response.status < 200 || response.status > 299) throw new WebhookError(`receiver answered ${response.status}`, response.status);
  return response.status;
}
