/**
 * Posts a JSON body to a receiver, signed with HMAC-SHA256 when a secret is set (`X-HRU-Signature:
 * sha256=<hex>`), so receivers can trust it came from us. Shared by alert deliveries and anchor webhooks.
 */
import { createHmac } from 'node:crypto';

export function signBody(body: string, secret: string): string {
  return 'sha256=' + createHmac('sha256', secret).update(body).digest('hex');
}

export class WebhookError extends Error {
  constructor(message: string, readonly status?: number) {
    super(message);
  }
}

/** Posts once; resolves with the 2xx status, throws WebhookError for anything else (callers decide on retries). */
export async function postSignedJson(
  target: string,
  text: string,
  options: { secret: string | undefined; headers?: Record<string, string>; timeoutMs?: number },
): Promise<number> {
  const headers: Record<string, string> = { 'content-type': 'application/json', ...options.headers };
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
