/**
 * The per-referral read check (`readAccess` in @hru/workflows) applied to a request. A refusal is a 404, the
 * same answer as for a referral that does not exist: referral ids derive from crime references, so a 403 would
 * tell a partner agency that a crime has a stalking referral. Each refusal is logged at warn as a security event
 * with ids only.
 */
import type { FastifyRequest } from 'fastify';
import { NotFoundError } from '@hru/events';
import { readAccess, readsPersonalData, type ReadAccessFacts } from '@hru/workflows';
import type { Principal } from '@hru/infra';
import { requirePrincipal } from '../plugins/access-control.js';
import type { ApiDeps } from '../deps.js';

export function mayRead(deps: ApiDeps, principal: Principal, facts: ReadAccessFacts): boolean {
  return principal.kind === 'staff' && readAccess(facts, principal, deps.config.owningAgency).allowed;
}

/** Whether the caller is staff of the owning force: their lists need no per-row check. */
export function ofOwningForce(deps: ApiDeps, principal: Principal): boolean {
  return principal.kind === 'staff' && principal.agency === deps.config.owningAgency;
}

/** Whether the caller reads every referral (owning force staff with a role that reads personal data). */
export function readsAll(deps: ApiDeps, principal: Principal): boolean {
  return ofOwningForce(deps, principal) && principal.kind === 'staff' && readsPersonalData(principal.roles);
}

/** Throws the referral's 404 unless the caller may read it, logging the refusal. */
export function assertMayRead(deps: ApiDeps, request: FastifyRequest, referralId: string, facts: ReadAccessFacts): void {
  const principal = requirePrincipal(request);
  const decision = principal.kind === 'staff' ? readAccess(facts, principal, deps.config.owningAgency) : ({ allowed: false, reason: 'source_system' } as const);
  if (decision.allowed) return;
  request.log.warn(
    {
      securityEvent: 'referral_read_refused',
      referralId,
      sub: principal.kind === 'staff' ? principal.sub : undefined,
      agency: principal.kind === 'staff' ? principal.agency : undefined,
      system: principal.kind === 'source' ? principal.system : undefined,
      refusal: decision.reason,
    },
    'referral read refused',
  );
  throw new NotFoundError('Referral', referralId);
}

/** Loads a referral the caller may read: 404 when it does not exist or the caller may not read it. */
export async function loadReadable(deps: ApiDeps, request: FastifyRequest, referralId: string) {
  const loaded = await deps.commands.load(referralId);
  if (!loaded) throw new NotFoundError('Referral', referralId);
  assertMayRead(deps, request, referralId, loaded.view);
  return loaded;
}
