/**
 * The BullMQ queues and job shapes of urgent alerts. Job ids are derived from the event that caused the job,
 * so the reactor, a second reactor, or a sweep after a Redis restart can add the same job again harmlessly.
 */
import { createHash } from 'node:crypto';
import type { AlertKind } from '@hru/events';

export const ALERT_DELIVERY_QUEUE = 'hru-alert-delivery';
export const TIMER_QUEUE = 'hru-timers';

export interface AlertDeliveryJob {
  alertId: string;
  referralId: string;
  kind: AlertKind;
  level: number;
  reason: string;
  raisedAt: string;
  target: string;
}

/** Timers are data (the due time is in an event); this job is only the trigger that fires them. */
export interface EscalationTimerJob {
  type: 'alert-escalation';
  referralId: string;
  alertId: string;
  /** The level the alert escalates to when this fires. */
  level: number;
  dueAt: string;
}

export type TimerJob = EscalationTimerJob;

function shortHash(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 12);
}

/** One job per (alert, kind, level, receiver): one failing receiver never delays or repeats the others. */
export function deliveryJobId(job: Pick<AlertDeliveryJob, 'alertId' | 'kind' | 'level' | 'target'>): string {
  return `deliver-${job.alertId}-${job.kind}-${job.level}-${shortHash(job.target)}`;
}

export function escalationJobId(alertId: string, level: number): string {
  return `escalate-${alertId}-L${level}`;
}

/** Retained finished jobs keep their ids taken, so a late duplicate add within a day is ignored. */
export const finishedJobRetention = { age: 24 * 3600, count: 50_000 };
