/**
 * Linking two suspect party ids as one person, and taking the link back: a pure decider over the pair's own stream
 * (`partyLinkStreamFor`). The fold knows only whether the pair is linked now; the handler appends with the stream's
 * revision, so two staff linking and unlinking the same pair at once cannot both win.
 */
import { z } from 'zod';
import { CommandNotAllowedError, ValidationError, partyIdSchema, reasonSchema, type DataOf, type PartiesLinked } from '@hru/events';

export const partyLinkPayloadSchema = z
  .strictObject({
    partyId: partyIdSchema,
    samePersonAs: partyIdSchema,
    reason: reasonSchema.describe('Why the two ids are (or are no longer taken to be) one person: kept under personal, erasable'),
  })
  .refine((p) => p.partyId !== p.samePersonAs, { message: 'a party id is always the same person as itself', path: ['samePersonAs'] });
export type PartyLinkPayload = z.output<typeof partyLinkPayloadSchema>;

export interface PartyLinkState {
  linked: boolean;
}

export type PartyLinkEvent = { type: 'PartiesLinked' | 'PartiesUnlinked'; data: DataOf<typeof PartiesLinked> };

export const initialPartyLinkState: PartyLinkState = { linked: false };

export function evolvePartyLink(state: PartyLinkState, event: { type: string }): PartyLinkState {
  if (event.type === 'PartiesLinked') return { linked: true };
  if (event.type === 'PartiesUnlinked') return { linked: false };
  return state;
}

/** The pair in its one form: the lower id first, as the stream names it. */
export function orderedPair(a: string, b: string): { partyId: string; samePersonAs: string } {
  if (a === b) throw new ValidationError('A party id cannot be linked to itself', [{ path: '/samePersonAs', message: 'another party id' }]);
  return a < b ? { partyId: a, samePersonAs: b } : { partyId: b, samePersonAs: a };
}

export function decideLink(state: PartyLinkState, payload: PartyLinkPayload): PartyLinkEvent[] {
  if (state.linked) {
    throw new CommandNotAllowedError('link-parties', 'linked', ['unlink-parties'], 'The two party ids are already linked as one person');
  }
  const pair = orderedPair(payload.partyId, payload.samePersonAs);
  return [{ type: 'PartiesLinked', data: { ...pair, personal: { reason: payload.reason, people: aboutBoth(pair) } } }];
}

export function decideUnlink(state: PartyLinkState, payload: PartyLinkPayload): PartyLinkEvent[] {
  if (!state.linked) {
    throw new CommandNotAllowedError('unlink-parties', 'not_linked', ['link-parties'], 'The two party ids are not linked');
  }
  const pair = orderedPair(payload.partyId, payload.samePersonAs);
  return [{ type: 'PartiesUnlinked', data: { ...pair, personal: { reason: payload.reason, people: aboutBoth(pair) } } }];
}

/** The reason is about both people: naming them (ids only) makes the stream one of each one's cases, for erasure. */
function aboutBoth(pair: { partyId: string; samePersonAs: string }): { partyId: string }[] {
  return [{ partyId: pair.partyId }, { partyId: pair.samePersonAs }];
}
