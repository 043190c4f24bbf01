/** The types a decision works with: commands as the machine sees them, drafted events, rejections. */
import type { ReferralEvent, ReferralEventType, Role } from '@hru/events';
import type { CommandName, CommandPayload } from '../commands/catalogue.js';
import type { IntakeRules } from '../intake/intake-rules.js';
import type { RetentionTable } from '../retention/mopi-table.js';
import type { Clocks } from '../deadlines/clocks.js';

/** Configuration a decision depends on; passed in with every command so deciding stays pure. */
export interface DecisionOptions {
  intakeRules: IntakeRules;
  /** How long a supervisor has to acknowledge an urgent action before it escalates. */
  alertAckSlaMs: number;
  /** Escalation stops at this level: its event carries no next due time. */
  maxEscalationLevel: number;
  /** The MoPI table (HRU_RETENTION_TABLE); absent = `defaultRetentionTable`. */
  retentionTable?: RetentionTable;
  /** The statutory and practice clocks on the working-day calendar (HRU_CLOCKS, HRU_HOLIDAY_REGION). */
  clocks: Clocks;
}

export interface CommandMeta {
  /** The time of the command (ISO 8601): the machine has no clock of its own. */
  now: string;
  options: DecisionOptions;
  /**
   * The roles of the member of staff who sent it (empty for a machine): the few decisions that depend on who asks
   * (an alert is acknowledged by a supervisor or by the role it is addressed to) read them here.
   */
  issuerRoles?: readonly Role[];
}

export type CommandEvent = {
  [K in CommandName]: { type: K; payload: CommandPayload<K>; meta: CommandMeta };
}[CommandName];

/** An event decided but not yet stored: the handler adds the metadata. */
export type DraftEvent = ReferralEvent extends infer E ? (E extends ReferralEvent ? { type: E['type']; data: E['data'] } : never) : never;
export type DraftOf<T extends ReferralEventType> = Extract<DraftEvent, { type: T }>;

export function draft<T extends ReferralEventType>(type: T, data: DraftOf<T>['data']): DraftOf<T> {
  return { type, data } as DraftOf<T>;
}

/** What the machine emits while deciding: the drafted events, or one rejection saying why. */
export type Emitted = DraftEvent | { type: 'rejected'; why: string };

export type Decision = DraftEvent[] | { rejected: string };

export const lifecycleStages = [
  'awaiting_triage',
  'awaiting_screening',
  'advice_only',
  'awaiting_case_discussion',
  'case_discussion_held',
  'under_management',
  'closed',
] as const;
export type Stage = (typeof lifecycleStages)[number];
/** The machine's stage before the first event: not a stage a referral is ever reported in. */
export type MachineStage = Stage | 'not_received';

/** Where a command was decided: a stage, or `open` for commands every open stage accepts alike. */
export type Where = MachineStage | 'open';

export function addMs(iso: string, ms: number): string {
  return new Date(Date.parse(iso) + ms).toISOString();
}
