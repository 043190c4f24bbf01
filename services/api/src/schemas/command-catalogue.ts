/**
 * The lifecycle commands the API exposes to staff: schema and roles come from the workflow package; the
 * summaries are this file's (typed by command name, so a new command cannot be added without one).
 */
import type { Role } from '@hru/events';
import { commandNames, commandRoles, commandSchemas, systemCommands, canIssue, type CommandName } from '@hru/workflows';
import type { z } from 'zod';

const summaries: Record<CommandName, string> = {
  'receive-referral': 'Receive a referral (source systems use POST /v1/referrals)',
  triage: 'Triage: proceed to screening, or close as not stalking / out of scope',
  screen: 'Screen: adopt, advice only, or no added value',
  'raise-urgent-action': 'Raise an urgent action: supervisors are alerted at once',
  'acknowledge-urgent-action': 'Acknowledge an urgent action (stops its escalation)',
  'escalate-urgent-action': 'Escalate an urgent action (sent by the alert timer)',
  'resolve-urgent-action': 'Resolve an acknowledged urgent action',
  assign: 'Assign the referral to a member of staff',
  'schedule-case-discussion': 'Schedule the multi-agency case discussion',
  'record-case-discussion': 'Record a case discussion: attendees by agency and decisions',
  'record-risk-assessment': 'Record a risk assessment (DASH, S-DASH, Stalking Risk Profile)',
  formulate: 'Formulate the stalker’s motivational type (supersedes the previous formulation)',
  'agree-management-plan': 'Agree the management plan: actions of the six strategy kinds',
  'complete-plan-action': 'Complete a plan action',
  'direct-to-service': 'Direct the case to a service',
  'record-advice': 'Record advice given to the investigating officer (advice-only path)',
  'record-intervention': 'Record an intervention (SPO, MAPPA, disclosure, advocacy, therapy, review)',
  'record-crime-outcome': 'Record a crime’s Home Office outcome',
  'log-time': 'Log staff time spent on the case',
  review: 'Review the case',
  close: 'Close the referral',
  reopen: 'Reopen a closed referral linked to a new one about the same perpetrator',
};

export interface StaffCommand {
  name: CommandName;
  summary: string;
  roles: readonly Role[];
  schema: z.ZodType;
}

export const staffCommandCatalogue: readonly StaffCommand[] = commandNames
  .filter((name) => !systemCommands.has(name))
  .map((name) => ({ name, summary: summaries[name], roles: commandRoles[name], schema: commandSchemas[name] as z.ZodType }));

/** The allowed commands that these roles may issue (for the console's buttons). */
export function commandsAvailableTo(roles: readonly Role[], allowed: readonly CommandName[]): CommandName[] {
  return allowed.filter((name) => !systemCommands.has(name) && canIssue(roles, name));
}
