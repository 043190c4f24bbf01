/**
 * @hru/application: what the API, the worker, the projector and the CLI share between the pure workflows and
 * the adapters: the event-store port, the command handler (load → fold → decide → append), the one way to
 * write an event, and the audit reads and writes over the log.
 */
export * from './ports/event-store.js';
export * from './ports/access-log-index.js';
export * from './ports/receipt-index.js';
export { newEvent, type EventContext } from './events/new-event.js';
export {
  ReferralCommandHandler,
  type ReferralCommandHandlerOptions,
  type CommandInput,
  type CommandContext,
  type CommandResult,
  type ReferralAt,
} from './commands/referral-command-handler.js';
export * from './audit/access-log.js';
export * from './audit/access-log-query.js';
export * from './audit/timeline.js';
export * from './timers/timers.js';
export { fireTimer } from './timers/fire-timer.js';
export { LruCache } from './commands/lru-cache.js';
export * from './personal-data/key-store.js';
export { PersonalDataCipher, isSealed } from './personal-data/cipher.js';
export { randomBytesFromPool } from './personal-data/random-pool.js';
export { EncryptingEventStore } from './personal-data/encrypting-event-store.js';
export { KeyLogFollower, type KeyLogFollowerOptions } from './personal-data/key-log-follower.js';
export { LogBoundKeyStore } from './personal-data/log-bound-key-store.js';
export { shredFor, SHREDDING_EVENT_TYPES } from './personal-data/shredding.js';
export { PersonErasure, type ErasureRequest, type ErasureResult } from './personal-data/person-erasure.js';
export { subjectAccessExport, subjectAccessRows, type SubjectAccessReport, type SubjectAccessCase } from './personal-data/subject-access.js';
export {
  readResearchExtract,
  readResearchExtractPage,
  type ResearchExtractOptions,
  type ResearchExtractPage,
  type ResearchExtractPageOptions,
  type ExtractReadProgress,
} from './research/read-extract.js';
export { PerpetratorCommands, type PerpetratorCommandContext, type PerpetratorCommandResult } from './commands/perpetrator-commands.js';
