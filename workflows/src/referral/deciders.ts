/** One decision function per command; the machine calls the one for the command it accepted. */
import type { CommandName } from '../commands/command-schemas.js';
import type { CommandEvent, Decider, Decision, Where } from './decision.js';
import {
  decideAgreeManagementPlan,
  decideAssign,
  decideCompletePlanAction,
  decideFormulate,
  decideLogTime,
  decideRecordCaseDiscussion,
  decideRecordCrimeOutcome,
  decideRecordIntervention,
  decideRecordRiskAssessment,
  decideScheduleCaseDiscussion,
} from '../commands/casework.js';
import { decideReceiveReferral } from '../commands/intake.js';
import {
  decideClose,
  decideDirectToService,
  decideRecordAdvice,
  decideReopen,
  decideReview,
  decideScreen,
  decideTriage,
} from '../commands/pathway.js';
import {
  decideAcknowledgeUrgentAction,
  decideEscalateUrgentAction,
  decideRaiseUrgentAction,
  decideResolveUrgentAction,
} from '../commands/urgent.js';
import type { ReferralState } from './referral-state.js';

const deciders: { [K in CommandName]: Decider<K> } = {
  'receive-referral': decideReceiveReferral,
  triage: decideTriage,
  screen: decideScreen,
  'raise-urgent-action': decideRaiseUrgentAction,
  'acknowledge-urgent-action': decideAcknowledgeUrgentAction,
  'escalate-urgent-action': decideEscalateUrgentAction,
  'resolve-urgent-action': decideResolveUrgentAction,
  assign: decideAssign,
  'schedule-case-discussion': decideScheduleCaseDiscussion,
  'record-case-discussion': decideRecordCaseDiscussion,
  'record-risk-assessment': decideRecordRiskAssessment,
  formulate: decideFormulate,
  'agree-management-plan': decideAgreeManagementPlan,
  'complete-plan-action': decideCompletePlanAction,
  'direct-to-service': decideDirectToService,
  'record-advice': decideRecordAdvice,
  'record-intervention': decideRecordIntervention,
  'record-crime-outcome': decideRecordCrimeOutcome,
  'log-time': decideLogTime,
  review: decideReview,
  close: decideClose,
  reopen: decideReopen,
};

export function decideCommand(state: ReferralState, command: CommandEvent, where: Where): Decision {
  // The map is keyed by command name, so the decider found always matches the command's type.
  const decider = deciders[command.type] as Decider<CommandName>;
  return decider({ state, command, where });
}
