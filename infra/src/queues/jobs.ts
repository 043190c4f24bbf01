/**
 * The BullMQ queues and job shapes of the engine's side effects. Job ids are derived from the event that caused
 * the job, so the reactor, a second reactor, or a sweep after a Redis restart can add the same job again
 * harmlessly. Timer jobs carry a `Timer` (@hru/application), whose kind declares its job id.
 */
import { createHash } from 'node:crypto';
import type { AlertKind, Role, UrgentRaisedBy } from '@hru/events';

export const ALERT_DELIVERY_QUEUE = 'hru-alert-delivery';
export const TIMER_QUEUE = 'hru-timers';

/** No free text (it would sit in Redis in clear): the reason's category, never the reason. */
export interface AlertDeliveryJob {
  alertId: string;
  referralId: string;
  kind: AlertKind;
  level: number;
  /** Who raised the alert: staff, intake rules (named in `rules`), a missed deadline (its kind) or a breach. */
  raisedBy: UrgentRaisedBy;
  /**
   * The role that must act. Optional: a job queued before alerts were addressed (still in Redis across an upgrade)
   * has none, and those alerts were all the supervisors'.
   */
  addressedTo?: Role;
  rules: string[];
  raisedAt: string;
  target: string;
}

function shortHash(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 12);
}

/** One job per (alert, kind, level, receiver): one failing receiver never delays or repeats the others. */
export function deliveryJobId(job: Pick<AlertDeliveryJob, 'alertId' | 'kind' | 'level' | 'target'>): string {
  return `deliver-${job.alertId}-${job.kind}-${job.level}-${shortHash(job.target)}`;
}

/** Retained finished jobs keep their ids taken, so a late duplicate add within a day is ignored. */
export const finishedJobRetention = { age: 24 * 3600, count: 50_000 };
