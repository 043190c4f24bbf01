/**
 * The lifecycle commands staff send over HTTP: a view of the workflow package's command catalogue, where each
 * command's roles, summary and schema are declared. System commands (intake, escalation) have no route here.
 */
import type { Role } from '@hru/events';
import { canIssue, commandCatalogue, commandNames, type CommandName } from '@hru/workflows';
import type { z } from 'zod';

export interface StaffCommand {
  name: CommandName;
  summary: string;
  roles: readonly Role[];
  schema: z.ZodType;
}

export const staffCommandCatalogue: readonly StaffCommand[] = commandNames.flatMap((name) => {
  const { roles, summary, schema } = commandCatalogue[name];
  return roles === 'system' ? [] : [{ name, summary, roles, schema }];
});

/** The allowed commands that these roles may issue (for the console's buttons). */
export function commandsAvailableTo(roles: readonly Role[], allowed: readonly CommandName[]): CommandName[] {
  return allowed.filter((name) => canIssue(roles, name));
}
