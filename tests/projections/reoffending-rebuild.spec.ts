/**
 * Re-offending rebuilt into an empty shadow loads the referrals' own rows event by event and works the members (and
 * the offences, index rows and daily counts kept from them) out once, at the end of the load. That must leave exactly
 * the rows `apply` keeps event by event, over a history where the order matters to `apply`: one suspect's crimes
 * reported out of order, a member whose first re-offence comes through a reopening only, therapy completed, parties
 * and crime dates corrected, a breach of an order, a non-counting behaviour, time logged before and after the start.
 */
import type { NewEvent } from '@hru/application';
import { describe, expect, it } from 'vitest';
import { reoffendingEmptyShadowApplier, reoffendingProjection } from '@hru/projections';
import { event, given, referralId } from './support/history.js';
import { crime, timeLogged } from './support/perpetrators.js';
import { projected } from './support/projected-events.js';
import { catchUpHalfLoaded, emptyShadow, loadAsRebuild, loadEmptyShadow, rowsOf } from './support/shadow-paths.js';

const day = (n: number) => new Date(Date.UTC(2025, 0, 1) + n * 86_400_000).toISOString().slice(0, 10);

function history(): NewEvent[] {
  const id = (n: number) => referralId(0x200 + n);
  const out: NewEvent[] = [];
  // One suspect, twelve referrals, received in an order that is not their crimes' order.
  for (const n of [3, 0, 7, 1, 11, 5, 2, 9, 4, 10, 6, 8]) {
    out.push(
      crime(id(n), {
        perpetrator: n % 4 === 3 ? 'pty-other' : 'pty-prolific',
        victim: `pty-v${n % 3}`,
        recordedOn: day(n * 20),
        receivedOn: day(n * 20 + (n % 3) * 15),
        problemBehaviour: n === 5 ? 'sexual_violence' : 'stalking',
        breachOfOrder: n === 5,
      }),
    );
    if (n % 2 === 0) out.push(timeLogged(id(n), day(n * 20 + 1), 'police', 30 + n));
    out.push(given.intervention(id(n), 1, day(n * 20 + 10), { kind: 'direct_constable_intervention' }));
    if (n % 3 === 0) out.push(given.intervention(id(n), 2, day(n * 20 + 40), { kind: 'therapeutic_intervention_completed' }));
    if (n % 2 === 1) out.push(timeLogged(id(n), day(n * 20 + 12), 'health', 45));
  }
  out.push(
    // A start earlier than the first one recorded, through a plan.
    given.plan(id(4), `${day(80 + 2)}T09:00:00Z`),
    // A reopening links a case with another perpetrator's referral: its first re-offence may come that way only.
    given.reopened(id(3), `${day(200)}T10:00:00Z`, id(10)),
    // Parties and the crime date corrected, and another case's behaviour.
    event(
      'ReferralDetailsUpdated',
      {
        referralId: id(6),
        changedFields: ['parties', 'recordedAt'],
        recordedAt: `${day(95)}T10:00:00Z`,
        parties: [
          { partyId: 'pty-v9', category: 'victim' },
          { partyId: 'pty-other', category: 'offender' },
        ],
        personal: { people: [] },
      },
      `${day(130)}T10:00:00Z`,
    ),
    event('ReferralDetailsUpdated', { referralId: id(9), changedFields: ['problemBehaviour'], problemBehaviour: 'sexual_violence', personal: { people: [] } }, `${day(190)}T10:00:00Z`),
  );
  // A suspect's next crime eleven years on: past the longest window, so no re-offence; reopened by a referral that
  // does not count (its behaviour), after the start.
  out.push(
    crime(id(20), { perpetrator: 'pty-far', victim: 'pty-v20', recordedOn: day(0) }),
    given.intervention(id(20), 1, day(10), { kind: 'direct_constable_intervention' }),
    crime(id(21), { perpetrator: 'pty-far', victim: 'pty-v21', recordedOn: day(4_100) }),
    given.intervention(id(21), 1, day(4_110), { kind: 'direct_constable_intervention' }),
    crime(id(26), { perpetrator: 'pty-quiet', victim: 'pty-v20', recordedOn: day(60), problemBehaviour: 'sexual_violence' }),
    given.reopened(id(20), `${day(70)}T10:00:00Z`, id(26)),
  );
  // Two re-offences on the same day (the lower referral id comes first), received the other way round, one of them
  // against the member's victim; and a member with two perpetrators, whose earlier re-offence is the other's.
  out.push(
    crime(id(24), { perpetrator: 'pty-tie', victim: 'pty-v24', recordedOn: day(250) }),
    given.intervention(id(24), 1, day(260), { kind: 'direct_constable_intervention' }),
    crime(id(23), { perpetrator: 'pty-tie', victim: 'pty-v24', recordedOn: day(300) }),
    crime(id(22), { perpetrator: 'pty-tie', victim: 'pty-v22', recordedOn: day(300) }),
    crime(id(25), { perpetrator: 'pty-tie', victim: 'pty-v25', recordedOn: day(100) }),
    given.intervention(id(25), 1, day(110), { kind: 'direct_constable_intervention' }),
    event(
      'ReferralDetailsUpdated',
      {
        referralId: id(25),
        changedFields: ['parties'],
        parties: [
          { partyId: 'pty-v25', category: 'victim' },
          { partyId: 'pty-tie', category: 'suspect' },
          { partyId: 'pty-prolific', category: 'offender' },
        ],
        personal: { people: [] },
      },
      `${day(120)}T10:00:00Z`,
    ),
  );
  return out;
}

describe('re-offending rebuilt into an empty shadow', () => {
  const events = projected(history());
  const live = emptyShadow(reoffendingProjection);
  for (const e of events) reoffendingProjection.apply(live, e as never);
  const kept = rowsOf(live, reoffendingProjection);

  it('the history reaches members with and without a first re-offence, through a suspect and through a reopening', () => {
    const members = kept.reoffending_members as { cohort: string; referral_id: string; first_id: string | null; same_victim: number }[];
    const member = (n: number) => members.find((m) => m.cohort === 'start' && m.referral_id === referralId(0x200 + n));
    expect(members.filter((m) => m.first_id !== null).length).toBeGreaterThan(3);
    expect(members.some((m) => m.first_id === null)).toBe(true);
    expect(member(20)).toMatchObject({ first_id: null, months: 9999 });
    expect(member(24)).toMatchObject({ first_id: referralId(0x200 + 22), same_victim: 0 });
    expect(members.some((m) => m.same_victim === 1)).toBe(true);
    expect(members.some((m) => m.cohort === 'therapy')).toBe(true);
    expect((kept.reoffending_links as unknown[]).length).toBe(2);
    expect((kept.reoffending_staff_daily as unknown[]).length).toBeGreaterThan(3);
  });

  it('derives at the end exactly the rows apply kept event by event', () => {
    const shadow = emptyShadow(reoffendingProjection);
    loadEmptyShadow(reoffendingProjection, shadow, events, () => {
      // The referrals' own rows as they go; nothing derived from them before the end of the load.
      expect(rowsOf(shadow, reoffendingProjection).reoffending_referrals).toEqual(kept.reoffending_referrals);
      expect(rowsOf(shadow, reoffendingProjection).reoffending_staff_daily).toEqual(kept.reoffending_staff_daily);
      expect(rowsOf(shadow, reoffendingProjection).reoffending_members).toEqual([]);
    });
    expect(rowsOf(shadow, reoffendingProjection)).toEqual(kept);
  });

  it.each([
    ['as many as it holds by default', undefined],
    ['one at a time, so that every row is written back and read again', 1],
  ])('holding the referrals\' rows %s, derives the same rows, writing the held ones before it derives', (_, held) => {
    const shadow = emptyShadow(reoffendingProjection);
    const applier = reoffendingEmptyShadowApplier(shadow, held);
    loadAsRebuild(applier, events);
    expect(rowsOf(shadow, reoffendingProjection)).toEqual(kept);
  });

  it('a shadow that already holds rows keeps its members event by event (a parallel rebuild catching up)', () => {
    const shadow = emptyShadow(reoffendingProjection);
    catchUpHalfLoaded(reoffendingProjection, shadow, events);
    expect(rowsOf(shadow, reoffendingProjection)).toEqual(kept);
  });
});
