/**
 * The command catalogue: every lifecycle command by its kebab-case name. Each is declared once, whole (roles,
 * summary, schema, decision), in the file of its area; this is the one place that names them. The machine is
 * the gate on which state accepts each; everything else here is a view of the catalogue.
 */
import type { Actor, Role } from '@hru/events';
import type { z } from 'zod';
import type { CommandEvent, Decision, Where } from '../referral/decision.js';
import type { ReferralState } from '../referral/referral-state.js';
import type { CommandSpec } from './command.js';
import { assign, logTime, recordCrimeOutcome, recordIntervention, recordRiskAssessment } from './casework.js';
import { agreeManagementPlan, completePlanAction, formulate, recordCaseDiscussion, scheduleCaseDiscussion } from './clinic.js';
import { receiveReferral } from './intake.js';
import { close, directToService, recordAdvice, reopen, review, screen, triage } from './pathway.js';
import { reviewRetention } from './retention.js';
import {
  correctMeasureStep,
  passDeadlineCommand,
  recordArrest,
  recordBail,
  recordDisclosureScheme,
  recordDvpo,
  recordMappa,
  recordSpo,
  recordVictimContact,
  warnDeadline,
} from './measures.js';
import { recordCounterfactualHarm, withdrawCounterfactualHarm } from './value.js';
import { acknowledgeUrgentAction, escalateUrgentAction, raiseUrgentAction, resolveUrgentAction } from './urgent.js';

/** In the order the API lists them (allowed commands, OpenAPI paths). */
export const commandCatalogue = {
  'receive-referral': receiveReferral,
  triage,
  screen,
  'raise-urgent-action': raiseUrgentAction,
  'acknowledge-urgent-action': acknowledgeUrgentAction,
  'escalate-urgent-action': escalateUrgentAction,
  'resolve-urgent-action': resolveUrgentAction,
  assign,
  'schedule-case-discussion': scheduleCaseDiscussion,
  'record-case-discussion': recordCaseDiscussion,
  'record-risk-assessment': recordRiskAssessment,
  formulate,
  'agree-management-plan': agreeManagementPlan,
  'complete-plan-action': completePlanAction,
  'direct-to-service': directToService,
  'record-advice': recordAdvice,
  'record-intervention': recordIntervention,
  'record-crime-outcome': recordCrimeOutcome,
  'log-time': logTime,
  review,
  close,
  reopen,
  'review-retention': reviewRetention,
  'record-spo': recordSpo,
  'record-dvpo': recordDvpo,
  'record-bail': recordBail,
  'record-mappa': recordMappa,
  'record-disclosure-scheme': recordDisclosureScheme,
  'correct-measure-step': correctMeasureStep,
  'record-arrest': recordArrest,
  'record-victim-contact': recordVictimContact,
  'warn-deadline': warnDeadline,
  'pass-deadline': passDeadlineCommand,
  'record-counterfactual-harm': recordCounterfactualHarm,
  'withdraw-counterfactual-harm': withdrawCounterfactualHarm,
};

/** Commands about legal measures and clocks: accepted in every stage but before intake and after disposal. */
export const measureCommandNames = [
  'record-spo',
  'record-dvpo',
  'record-bail',
  'record-mappa',
  'record-disclosure-scheme',
  'correct-measure-step',
  'record-arrest',
  'record-victim-contact',
  'warn-deadline',
  'pass-deadline',
] as const satisfies readonly (keyof typeof commandCatalogue)[];

/** The value-for-money case study: adopted cases only, open or closed (a case study is often written after closure). */
export const caseStudyCommandNames = ['record-counterfactual-harm', 'withdraw-counterfactual-harm'] as const satisfies readonly (keyof typeof commandCatalogue)[];

type Catalogue = typeof commandCatalogue;
export type CommandName = keyof Catalogue;
export type CommandPayload<K extends CommandName> = z.output<Catalogue[K]['schema']>;

export const commandNames = Object.keys(commandCatalogue) as CommandName[];

export function isCommandName(name: string): name is CommandName {
  return Object.hasOwn(commandCatalogue, name);
}

/** The machine calls this for a command it accepted, in the stage `where`. */
export function decideCommand(state: ReferralState, command: CommandEvent, where: Where): Decision {
  // The catalogue is keyed by name, so the entry found is always the one for this command's payload.
  const { decide } = commandCatalogue[command.type] as CommandSpec;
  return decide({ state, command, where });
}

/** Each command's payload schema by name, for callers that only validate. */
export const commandSchemas = Object.fromEntries(commandNames.map((name) => [name, commandCatalogue[name].schema])) as {
  [K in CommandName]: Catalogue[K]['schema'];
};

/** Whether staff with these roles may send the command; never a system command. */
export function canIssue(roles: readonly Role[], name: CommandName): boolean {
  const issuers = commandCatalogue[name].roles;
  return issuers !== 'system' && roles.some((role) => issuers.includes(role));
}

/**
 * Whether this actor may send the command: system commands need a system actor, the rest a staff role. The
 * API's routes check the roles first; the handler checks again here, so no other caller can bypass them.
 */
export function actorMayIssue(actor: Actor, name: CommandName): boolean {
  switch (actor.kind) {
    case 'system':
      return commandCatalogue[name].roles === 'system';
    case 'person':
      return canIssue(actor.roles, name);
    default: {
      const never: never = actor;
      throw new Error(`unknown actor ${JSON.stringify(never)}`);
    }
  }
}
