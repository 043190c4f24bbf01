/** Signed webhook delivery of urgent alerts: the body is signed with HMAC-SHA256 (see @hru/infra postSignedJson). */
import type { Role, UrgentRaisedBy } from '@hru/events';
import { postSignedJson } from '@hru/infra/delivery';

export { signBody, WebhookError } from '@hru/infra/delivery';

export interface AlertWebhookBody {
  alertId: string;
  referralId: string;
  kind: 'raised' | 'escalated';
  level: number;
  /** The escalation tier the alert is addressed to at this level (configuration). */
  tier: string;
  /** The role that must act (a missed bail clock is the officer's); supervisors see every alert. */
  addressedTo: Role;
  /**
   * The reason's category, never its text (free text is personal data, and a receiver such as a pager or a chat
   * channel is no place for it): `staff`; `intake_rule` with the rules that matched; `deadline` with the kind of the
   * clock that passed unmet (`bail_expiry`…); `breach` with the rule of the breach (`spo_breach`…).
   */
  reason: AlertReasonCategory;
  raisedAt: string;
  /** Where staff read the alert's referral (the console; the reason is there, for a stated justification). */
  link: string;
}

export type AlertReasonCategory =
  | { category: 'staff' }
  | { category: 'intake_rule'; rules: string[] }
  | { category: 'deadline'; rules: string[] }
  | { category: 'breach'; rules: string[] };

/** The category of an alert's reason, from who raised it and the rules it names. */
export function reasonCategory(raisedBy: UrgentRaisedBy, rules: string[]): AlertReasonCategory {
  switch (raisedBy) {
    case 'person':
      return { category: 'staff' };
    case 'intake_rule':
    case 'deadline':
    case 'breach':
      return { category: raisedBy, rules };
    default:
      return raisedBy satisfies never;
  }
}

/** The console's page of a referral, under the engine's public base URL (HRU_PUBLIC_URL). */
export function referralLink(publicUrl: string, referralId: string): string {
  return `${publicUrl.replace(/\/+$/, '')}/console/#/referral/${referralId}`;
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
