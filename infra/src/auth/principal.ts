/** Who is calling: a member of staff (JWT) or a source system (API key). */
import { z } from 'zod';
import { roleSchema, staffRoles, type Actor, type Role } from '@hru/events';

export const staffClaimsSchema = z.object({
  sub: z.string().min(1).max(200),
  name: z.string().min(1).max(200),
  // At most every role once: the bound grows with the list (a ninth role, data_protection, came with issue #16).
  roles: z.array(roleSchema).min(1).max(staffRoles.length),
  agency: z.string().min(1).max(100),
});

/** `expiresAt`: when the token it was proven with expires (ms since the epoch); a live stream ends then. */
export type StaffPrincipal = { kind: 'staff'; expiresAt: number } & z.infer<typeof staffClaimsSchema>;
export type SourcePrincipal = { kind: 'source'; system: string };
export type Principal = StaffPrincipal | SourcePrincipal;

export function actorOf(principal: Principal): Actor {
  return principal.kind === 'staff'
    ? { kind: 'person', sub: principal.sub, name: principal.name, roles: principal.roles, agency: principal.agency }
    : { kind: 'system', system: principal.system };
}

/** The id a rate limit or a log line may carry for a caller (never a name). */
export function callerId(principal: Principal): string {
  return principal.kind === 'staff' ? `staff:${principal.sub}` : `source:${principal.system}`;
}

export function hasAnyRole(principal: Principal, roles: readonly Role[]): boolean {
  return principal.kind === 'staff' && principal.roles.some((r) => roles.includes(r));
}
