/** @hru/workflows: the referral lifecycle as a pure XState decider, and its commands. Pure: no I/O, no clock; depends on @hru/events alone. */
export { intakeBodySchema, referralIdFor, partyIdFor, type IntakeBody } from './intake/intake-body.js';
export { defaultIntakeRules, intakeRulesSchema, matchIntakeRules, type IntakeRules } from './intake/intake-rules.js';
export {
  commandCatalogue,
  commandNames,
  commandSchemas,
  isCommandName,
  canIssue,
  actorMayIssue,
  type CommandName,
  type CommandPayload,
} from './commands/catalogue.js';
export type { CommandSpec, Issuers } from './commands/command.js';
export { riskAssessmentPayloadSchema } from './commands/casework.js';
export { retentionFactsOf } from './commands/retention.js';
export {
  addYears,
  defaultRetentionTable,
  mayDispose,
  mopiGroupOf,
  retentionRuleOf,
  reviewDueFrom,
  type MopiCriteria,
  type RetentionFacts,
  type RetentionTable,
} from './retention/mopi-table.js';
export {
  lifecycleStages,
  type Stage,
  type MachineStage,
  type CommandEvent,
  type CommandMeta,
  type DecisionOptions,
  type DraftEvent,
} from './referral/decision.js';
export { referralMachine, MACHINE_VERSION, type ReferralSnapshot, type ReferralMachineEvent } from './referral/referral-machine.js';
export {
  initialSnapshot,
  foldEvents,
  evolveSnapshot,
  decide,
  allowedCommands,
  stageOf,
  UnfoldableHistoryError,
} from './referral/referral-decider.js';
export type { ReferralState, UrgentActionState, UrgentActionStatus } from './referral/referral-state.js';
export { toReferralView, type ReferralView } from './referral/referral-view.js';
export { readAccess, caseTeam, readsPersonalData, type Reader, type ReadBasis, type ReadDecision, type ReadAccessFacts } from './referral/read-access.js';
export {
  ResearchExtractBuilder,
  buildResearchExtract,
  researchPeriodSchema,
  researchPeriodFields,
  checkResearchPeriod,
  researchMonthSchema,
  MAX_EXTRACT_YEARS,
  type ResearchExtract,
  type ResearchPeriod,
  type ResearchRow,
} from './research/extract.js';
export { caseColumns, interventionColumns, researchDictionary, type Cell, type DictionaryEntry } from './research/columns.js';
export { pseudonymiser, PSEUDONYM_HEX_DIGITS, type Pseudonymiser } from './research/pseudonyms.js';
export { monthOf, type FoldedCase } from './research/case-fold.js';
export { renderCase, renderedPage, type RenderedCase, type StoredRenderedCase } from './research/rendered-rows.js';
export {
  foldPseudonyms,
  presetPseudonyms,
  pseudonymisedEvent,
  startPseudonymisedCase,
  foldPseudonymisedCase,
  foldToJson,
  foldFromJson,
  type FoldPseudonyms,
} from './research/pseudonymised-fold.js';
export type { Clocks, ClockReading } from './deadlines/clocks.js';
export { deadlineTitles, clockSteps, victimHasEnhancedRights } from './deadlines/deadline-effects.js';
export { measureKindSpecs, measureKindSpec, nextStatus } from './measures/measure-kinds.js';
export type { MeasureKindSpec, Effect } from './measures/measure-kind.js';
export { caseStudyCommandNames, measureCommandNames } from './commands/catalogue.js';
export { unmetDeadlines, type MeasureState, type MeasureFacts, type DeadlineState, type DeadlineStatus } from './referral/referral-state.js';
export { clocksOn, standardClocks, datedClocks } from './deadlines/calendar-clocks.js';
export * from './calendar/index.js';
export * from './perpetrators/party-link.js';
export * from './perpetrators/tasking-decision.js';
