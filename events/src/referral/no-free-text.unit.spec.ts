/**
 * Nothing outside `personal` may carry free text (issue #16): every string field of a referral event's schema
 * outside its `personal` section is either constrained (a pattern, a date, an id, an enum) or one of the few
 * plain strings listed here, each a fact about the unit's work rather than about a person. A new plain string
 * fails this test until it moves under `personal` or is listed with the reason it is not personal.
 */
import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { referralEventDefinitions } from './registry.js';

/** Plain strings that are not about a person, by `Type.path` ([] for array elements). */
const allowed: Record<string, string> = {
  'ReferralReceived.offences[].code': 'a Home Office classification',
  'ReferralReceived.offences[].description': 'the classification’s title',
  'ReferralDetailsUpdated.offences[].code': 'a Home Office classification',
  'ReferralDetailsUpdated.offences[].description': 'the classification’s title',
  'ReferralReceived.parties[].partyId': 'a party id (a hash: partyIdFor), never a name',
  'ReferralDetailsUpdated.parties[].partyId': 'a party id (a hash: partyIdFor), never a name',
  'ReferralClosed.closedFrom': 'a stage name',
  'UrgentActionRaised.rules[]': 'intake rule names (configuration)',
  'ReferralAssigned.assignee.sub': 'a staff identity, not a case party',
  'ReferralAssigned.assignee.agency': 'an agency',
  'CaseDiscussionScheduled.invitedAgencies[]': 'agencies',
  'CaseDiscussionHeld.attendees[].agency': 'an agency',
  'CaseDiscussionHeld.attendees[].discipline': 'a discipline',
  'ManagementPlanAgreed.actions[].owner.sub': 'a staff identity',
  'ManagementPlanAgreed.actions[].owner.agency': 'an agency',
  'TimeLogged.agency': 'an agency',
  'ReferralDisclosed.agencies[]': 'agencies',
  'ReferralDisclosed.gateway': 'the legal gateway of a disclosure',
};

type Def = { type: string; format?: string; checks?: { _zod: { def: { check: string; format?: string } } }[] } & Record<string, unknown>;
const defOf = (schema: unknown): Def => (schema as { _zod: { def: Def } })._zod.def;

/** Paths of unconstrained strings outside `personal`. */
function plainStrings(schema: unknown, path: string): string[] {
  const def = defOf(schema);
  switch (def.type) {
    case 'string': {
      const constrained = def.format !== undefined || (def.checks ?? []).some((c) => c._zod.def.check === 'string_format');
      return constrained ? [] : [path];
    }
    case 'object':
      return Object.entries(def.shape as Record<string, z.ZodType>).flatMap(([key, value]) => (key === 'personal' ? [] : plainStrings(value, `${path}.${key}`)));
    case 'array':
      return plainStrings(def.element, `${path}[]`);
    case 'record':
      return [...plainStrings(def.keyType, `${path}{key}`), ...plainStrings(def.valueType, `${path}{}`)];
    case 'union':
      return [...new Set((def.options as unknown[]).flatMap((o) => plainStrings(o, path)))];
    case 'optional':
    case 'nullable':
    case 'default':
    case 'prefault':
    case 'readonly':
      return plainStrings(def.innerType, path);
    case 'pipe':
      return plainStrings(def.in, path);
    default:
      return [];
  }
}

describe('referral events outside their personal section', () => {
  it('carry no free text: every plain string is a listed, non-personal fact', () => {
    const found = referralEventDefinitions.flatMap((d) => plainStrings(d.schema, d.type));
    expect(found.filter((path) => !(path in allowed))).toEqual([]);
  });

  it('the list names no field that no longer exists', () => {
    const found = new Set(referralEventDefinitions.flatMap((d) => plainStrings(d.schema, d.type)));
    expect(Object.keys(allowed).filter((path) => !found.has(path))).toEqual([]);
  });
});
