/**
 * The shape of one lifecycle command: who may send it, a line for people, its payload schema and its
 * decision. Which states accept it is the machine's to say, not the command's.
 */
import type { Role } from '@hru/events';
import type { z } from 'zod';
import type { CommandMeta, Decision, Where } from '../referral/decision.js';
import type { ReferralState } from '../referral/referral-state.js';

/**
 * Who may send a command (DOMAIN.md §7): staff holding one of these roles, or `system` for commands that only
 * machines send (intake from a source system, escalation from the alert timer), which staff never may.
 */
export type Issuers = readonly Role[] | 'system';

/** Staff who work cases (not the auditor, who only reads, nor the admin, who runs the system). */
export const caseworkers = ['supervisor', 'officer', 'psychologist', 'clinician', 'victim_advocate', 'probation'] as const;
export const clinicLeads = ['supervisor', 'officer', 'psychologist', 'clinician'] as const;

export interface DecisionInput<P> {
  state: ReferralState;
  command: { payload: P; meta: CommandMeta };
  where: Where;
}

export interface CommandSpec<S extends z.ZodType = z.ZodType> {
  roles: Issuers;
  /** One line: the OpenAPI summary of the command's route, and the title of its console form. */
  summary: string;
  /**
   * The payload. The HTTP layer validates with it too, so every string and array is bounded. Ids the unit
   * refers to later (alerts, plan actions, discussions) are derived by the decision from the history, never sent.
   */
  schema: S;
  /** The events the command yields (possibly none), or a rejection saying why; called only where the machine accepts it. */
  decide: (input: DecisionInput<z.output<S>>) => Decision;
}

/** Declares a command: types its decision's payload from its schema. */
export function defineCommand<S extends z.ZodType>(spec: CommandSpec<S>): CommandSpec<S> {
  return spec;
}
