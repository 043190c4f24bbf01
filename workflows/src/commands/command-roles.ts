/**
 * Who may issue each command (DOMAIN.md §7). The API enforces this before the handler runs; the handler
 * checks again so no other caller can bypass it. Two commands come only from machines: intake from a
 * source system, escalation from the alert timer.
 */
import type { Actor, Role } from '@hru/events';
import type { CommandName } from './command-schemas.js';

/** Staff who work cases (not the auditor, who only reads, nor the admin, who runs the system). */
const casework = ['supervisor', 'officer', 'psychologist', 'clinician', 'victim_advocate', 'probation'] as const;
const clinicLeads = ['supervisor', 'officer', 'psychologist', 'clinician'] as const;

export const commandRoles: Readonly<Record<CommandName, readonly Role[]>> = {
  'receive-referral': [],
  triage: ['supervisor', 'officer'],
  screen: clinicLeads,
  'raise-urgent-action': casework,
  'acknowledge-urgent-action': ['supervisor'],
  'escalate-urgent-action': [],
  'resolve-urgent-action': ['supervisor'],
  assign: ['supervisor'],
  'schedule-case-discussion': clinicLeads,
  'record-case-discussion': clinicLeads,
  'record-risk-assessment': casework,
  formulate: ['psychologist', 'clinician'],
  'agree-management-plan': clinicLeads,
  'complete-plan-action': casework,
  'direct-to-service': clinicLeads,
  'record-advice': clinicLeads,
  'record-intervention': casework,
  'record-crime-outcome': ['supervisor', 'officer'],
  'log-time': casework,
  review: clinicLeads,
  close: ['supervisor'],
  reopen: ['supervisor', 'officer'],
};

/** Commands only a system actor sends (a source system, or the engine's own timers). */
export const systemCommands: ReadonlySet<CommandName> = new Set(['receive-referral', 'escalate-urgent-action']);

export function canIssue(roles: readonly Role[], command: CommandName): boolean {
  const allowed = commandRoles[command];
  return roles.some((role) => allowed.includes(role));
}

/** Whether this actor may send the command: system commands need a system actor, the rest a staff role. */
export function actorMayIssue(actor: Actor, command: CommandName): boolean {
  switch (actor.kind) {
    case 'system':
      return systemCommands.has(command);
    case 'person':
      return canIssue(actor.roles, command);
    default: {
      const never: never = actor;
      throw new Error(`unknown actor ${JSON.stringify(never)}`);
    }
  }
}
