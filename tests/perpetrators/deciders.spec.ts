/**
 * Given events → when command → then events (or a named rejection), for the serial-perpetrator deciders: linking
 * two party ids, unlinking them, and a tasking meeting's decision. Payloads go through the commands' real schemas.
 */
import { describe, expect, it } from 'vitest';
import { HruError } from '@hru/events';
import {
  decideLink,
  decideTasking,
  decideUnlink,
  evolvePartyLink,
  evolveTaskingMeeting,
  initialPartyLinkState,
  initialTaskingMeetingState,
  partyLinkPayloadSchema,
  taskingDecisionPayloadSchema,
} from '@hru/workflows';
import { pty } from './support.js';

const A = pty(0xa);
const B = pty(0xb);

function givenLink(events: { type: string }[]) {
  return events.reduce(evolvePartyLink, initialPartyLinkState);
}

function rejection(run: () => unknown): { code: string; message: string } {
  try {
    run();
  } catch (error) {
    if (error instanceof HruError) return { code: error.code, message: error.message };
    throw error;
  }
  throw new Error('no rejection');
}

const linkPayload = (partyId: string, samePersonAs: string) => partyLinkPayloadSchema.parse({ partyId, samePersonAs, reason: 'same person in two systems' });

describe('link two party ids', () => {
  it('given no history, when linked (in either order), then PartiesLinked names the pair lower id first, the reason under personal', () => {
    for (const [x, y] of [[A, B], [B, A]] as const) {
      expect(decideLink(givenLink([]), linkPayload(x, y))).toEqual([
        { type: 'PartiesLinked', data: { partyId: A, samePersonAs: B, personal: { reason: 'same person in two systems', people: [{ partyId: A }, { partyId: B }] } } },
      ]);
    }
  });

  it('given the pair linked, when linked again, then it is refused as already linked', () => {
    expect(rejection(() => decideLink(givenLink([{ type: 'PartiesLinked' }]), linkPayload(B, A)))).toEqual({
      code: 'command_not_allowed',
      message: 'The two party ids are already linked as one person',
    });
  });

  it('given linked then unlinked, when linked, then it links again (a link can be made and undone any number of times)', () => {
    expect(decideLink(givenLink([{ type: 'PartiesLinked' }, { type: 'PartiesUnlinked' }]), linkPayload(A, B))).toHaveLength(1);
  });

  it('refuses a party id linked to itself, and anything not a party id, in the schema', () => {
    expect(partyLinkPayloadSchema.safeParse({ partyId: A, samePersonAs: A, reason: 'x' }).success).toBe(false);
    expect(partyLinkPayloadSchema.safeParse({ partyId: 'Alex Example', samePersonAs: B, reason: 'x' }).success).toBe(false);
    expect(partyLinkPayloadSchema.safeParse({ partyId: A, samePersonAs: B, reason: ' ' }).success).toBe(false);
  });
});

describe('unlink two party ids', () => {
  it('given the pair linked, when unlinked, then PartiesUnlinked', () => {
    expect(decideUnlink(givenLink([{ type: 'PartiesLinked' }]), linkPayload(B, A))).toEqual([
      { type: 'PartiesUnlinked', data: { partyId: A, samePersonAs: B, personal: { reason: 'same person in two systems', people: [{ partyId: A }, { partyId: B }] } } },
    ]);
  });

  it('given no link (never, or undone), when unlinked, then it is refused as not linked', () => {
    for (const history of [[], [{ type: 'PartiesLinked' }, { type: 'PartiesUnlinked' }]]) {
      expect(rejection(() => decideUnlink(givenLink(history), linkPayload(A, B))).message).toBe('The two party ids are not linked');
    }
  });
});

describe('record a tasking decision', () => {
  const payload = (partyId: string, decision: 'adopt' | 'not_adopt' | 'defer' = 'adopt') =>
    taskingDecisionPayloadSchema.parse({
      meetingOn: '2026-11-25',
      partyId,
      decision,
      reason: 'escalating across three victims',
      attendees: [{ agency: 'police', count: 3 }, { agency: 'probation', count: 1 }],
      score: 21.5,
      configVersion: 'default@2f860a20a5',
    });
  const given = (events: { type: string; data: unknown }[]) => events.reduce(evolveTaskingMeeting, initialTaskingMeetingState);

  it('given a meeting with no decision about him, when decided, then the decision records the score and configuration shown, the reason under personal', () => {
    expect(decideTasking(given([]), payload(A, 'defer'))).toEqual([
      {
        type: 'TaskingDecisionRecorded',
        data: {
          meetingOn: '2026-11-25',
          partyId: A,
          decision: 'defer',
          score: 21.5,
          configVersion: 'default@2f860a20a5',
          attendees: [{ agency: 'police', count: 3 }, { agency: 'probation', count: 1 }],
          personal: { reason: 'escalating across three victims', people: [{ partyId: A }] },
        },
      },
    ]);
  });

  it('given the meeting decided about him, when decided again, then it is refused; about another, it is recorded', () => {
    const state = given([{ type: 'TaskingDecisionRecorded', data: { partyId: A } }]);
    expect(rejection(() => decideTasking(state, payload(A, 'not_adopt'))).message).toBe('The meeting of 2026-11-25 has already recorded its decision about ' + A);
    expect(decideTasking(state, payload(B))).toHaveLength(1);
  });

  it('refuses attendees without agencies, an agency twice, and a decision outside adopt / not_adopt / defer', () => {
    const base = { meetingOn: '2026-11-25', partyId: A, decision: 'adopt', reason: 'r', score: 1, configVersion: 'v@1' };
    expect(taskingDecisionPayloadSchema.safeParse({ ...base, attendees: [] }).success).toBe(false);
    expect(taskingDecisionPayloadSchema.safeParse({ ...base, attendees: [{ agency: 'police', count: 1 }, { agency: 'police', count: 2 }] }).success).toBe(false);
    expect(taskingDecisionPayloadSchema.safeParse({ ...base, decision: 'target', attendees: [{ agency: 'police', count: 1 }] }).success).toBe(false);
  });
});
