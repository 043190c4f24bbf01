/**
 * Durable timers, all of one mechanism: a due time recorded in an event, an open-timers read model that
 * re-arms them, a delayed queue job that only triggers, and a command that fires them through the command path
 * (the machine ignores a timer that no longer applies). Each kind is declared once here: its shape, its
 * deterministic job id, and the command it fires. Alert escalation is the first kind.
 */
import type { CommandInput } from '../commands/referral-command-handler.js';

export interface AlertEscalationTimer {
  type: 'alert-escalation';
  referralId: string;
  alertId: string;
  /** The level the alert escalates to when this fires. */
  level: number;
  dueAt: string;
}

/**
 * A clock of a legal measure or obligation (DeadlineSet): one timer warns its owner ahead, one marks it missed
 * when due. `version` is the deadline's: a moved deadline gets new job ids, and a firing of the old is ignored.
 */
interface DeadlineTimerOf<T extends string> {
  type: T;
  referralId: string;
  deadlineId: string;
  version: number;
  /** When this timer fires: the deadline's warning time, or its due time. */
  dueAt: string;
}

export type DeadlineWarningTimer = DeadlineTimerOf<'deadline-warning'>;
export type DeadlineDueTimer = DeadlineTimerOf<'deadline-due'>;
export type DeadlineTimer = DeadlineWarningTimer | DeadlineDueTimer;

export type Timer = AlertEscalationTimer | DeadlineTimer;
export type TimerType = Timer['type'];

export interface TimerFiring {
  referralId: string;
  command: CommandInput;
  /** Ties the fired command's events to what the timer belongs to. */
  correlationId: string;
  /** The actor the fired command is recorded under (`system`). */
  system: string;
}

interface TimerKind<T extends Timer> {
  /** One job per timer occurrence: re-arming after a restart adds the same id, which the queue ignores. */
  jobId(timer: T): string;
  /** What the timer owns: re-deciding it (an acknowledgement) closes every open timer of that subject. */
  subject(timer: T): string;
  firing(timer: T): TimerFiring;
}

type TimerKinds = { [K in TimerType]: TimerKind<Extract<Timer, { type: K }>> };

export const timerKinds: TimerKinds = {
  'alert-escalation': {
    // The id scheme predates this table: jobs already in Redis keep matching.
    jobId: (t) => `escalate-${t.alertId}-L${t.level}`,
    subject: (t) => t.alertId,
    firing: (t) => ({
      referralId: t.referralId,
      command: { name: 'escalate-urgent-action', payload: { alertId: t.alertId, level: t.level } },
      correlationId: t.alertId,
      system: 'alert-timer',
    }),
  },
  'deadline-warning': {
    jobId: (t) => `deadline-warn-${t.referralId}-${t.deadlineId}-v${t.version}`,
    subject: (t) => deadlineSubject(t.referralId, t.deadlineId),
    firing: (t) => deadlineFiring(t, 'warn-deadline'),
  },
  'deadline-due': {
    jobId: (t) => `deadline-due-${t.referralId}-${t.deadlineId}-v${t.version}`,
    subject: (t) => deadlineSubject(t.referralId, t.deadlineId),
    firing: (t) => deadlineFiring(t, 'pass-deadline'),
  },
};

/** Deadline ids count per referral: the subject (what closing it closes) is both. */
export function deadlineSubject(referralId: string, deadlineId: string): string {
  return `${referralId}/${deadlineId}`;
}

function deadlineFiring(t: DeadlineTimer, name: 'warn-deadline' | 'pass-deadline'): TimerFiring {
  return {
    referralId: t.referralId,
    command: { name, payload: { deadlineId: t.deadlineId, version: t.version } },
    correlationId: deadlineSubject(t.referralId, t.deadlineId),
    system: 'deadline-timer',
  };
}

function kindOf<T extends Timer>(timer: T): TimerKind<T> {
  return timerKinds[timer.type] as unknown as TimerKind<T>;
}

export function timerJobId(timer: Timer): string {
  return kindOf(timer).jobId(timer);
}

export function timerSubject(timer: Timer): string {
  return kindOf(timer).subject(timer);
}

export function timerFiring(timer: Timer): TimerFiring {
  return kindOf(timer).firing(timer);
}
