/**
 * Who may read a referral (its personal data, history and state), decided from the referral's own folded state,
 * so the check is per referral and needs no other store. Pure.
 *
 * - The admin role runs the system and reads no personal data, and data protection works on people, not cases: a
 *   reader with only those roles is refused.
 * - Staff of the owning force (`HRU_OWNING_AGENCY`) read every referral.
 * - Staff of any other agency read a referral when they are on its case team (its assignee, the owner of an
 *   action of its management plan, or of an agency invited to or attending one of its case discussions), or
 *   when it was disclosed to their agency (ReferralDisclosed).
 */
import { nonCaseReaders, type Role } from '@hru/events';
import type { ReferralState } from './referral-state.js';

export interface Reader {
  sub: string;
  roles: readonly Role[];
  agency: string;
}

export type ReadBasis = 'owning_agency' | 'case_team' | 'disclosure';
export type ReadDecision = { allowed: true; basis: ReadBasis } | { allowed: false; reason: 'admin_reads_no_personal_data' | 'agency_not_entitled' };

/** The parts of the state this decision reads (a full `ReferralState` or the API's view both fit). */
export type ReadAccessFacts = Pick<ReferralState, 'assignee' | 'plan' | 'caseDiscussions' | 'disclosedTo'>;

/** Whether a reader holds a role that reads a case's personal data at all (any staff role but admin and data protection). */
export function readsPersonalData(roles: readonly Role[]): boolean {
  return roles.some((role) => !(nonCaseReaders as readonly Role[]).includes(role));
}

export function caseTeam(facts: ReadAccessFacts): { subs: Set<string>; agencies: Set<string> } {
  const subs = new Set<string>();
  const agencies = new Set<string>();
  if (facts.assignee) subs.add(facts.assignee.sub);
  for (const action of facts.plan?.actions ?? []) subs.add(action.owner.sub);
  for (const discussion of facts.caseDiscussions) {
    for (const agency of discussion.invitedAgencies) agencies.add(agency);
    for (const attendee of discussion.attendees) agencies.add(attendee.agency);
  }
  return { subs, agencies };
}

export function readAccess(facts: ReadAccessFacts, reader: Reader, owningAgency: string): ReadDecision {
  if (!readsPersonalData(reader.roles)) return { allowed: false, reason: 'admin_reads_no_personal_data' };
  if (reader.agency === owningAgency) return { allowed: true, basis: 'owning_agency' };
  const team = caseTeam(facts);
  if (team.subs.has(reader.sub) || team.agencies.has(reader.agency)) return { allowed: true, basis: 'case_team' };
  if (facts.disclosedTo.includes(reader.agency)) return { allowed: true, basis: 'disclosure' };
  return { allowed: false, reason: 'agency_not_entitled' };
}
