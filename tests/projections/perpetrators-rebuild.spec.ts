/**
 * The perpetrators model rebuilt into an empty shadow holds each referral's row back (a RowCache) and marks the
 * suspects stale once at the end. That must leave exactly the rows `apply` keeps event by event, over a history with
 * every event the model reads: parties replaced (the suspect who lost the incident stays stale), details changed
 * without parties, more alerts resolved than raised, two plans, charges out of date order, links made and undone,
 * and tasking decisions.
 */
import type { NewEvent } from '@hru/application';
import { describe, expect, it } from 'vitest';
import { perpetratorsEmptyShadowApplier, perpetratorsProjection } from '@hru/projections';
import { decided, incident, linked, pty, unlinked } from '../perpetrators/support.js';
import { event, given, referralId } from './support/history.js';
import { projected } from './support/projected-events.js';
import { catchUpHalfLoaded, emptyShadow, loadAsRebuild, rowsOf } from './support/shadow-paths.js';

const at = (day: number, hour = 10) => `${new Date(Date.UTC(2025, 0, 1) + day * 86_400_000).toISOString().slice(0, 10)}T${String(hour).padStart(2, '0')}:00:00Z`;
const on = (day: number) => at(day).slice(0, 10);

function history(): NewEvent[] {
  const id = (n: number) => referralId(0x300 + n);
  const out: NewEvent[] = [];
  for (let n = 0; n < 8; n++) {
    out.push(incident(id(n), { suspects: [pty(n % 3)], victims: [pty(100 + n)], on: on(n * 10), area: n % 2 ? 'north' : undefined, indicators: n === 4 ? ['breach_of_order'] : [] }));
    out.push(given.urgent(id(n), 1, at(n * 10 + 1), null));
    if (n % 2 === 0) out.push(given.resolved(id(n), 1, at(n * 10 + 2)), given.resolved(id(n), 2, at(n * 10 + 3)));
    out.push(
      event(
        'RiskAssessmentRecorded',
        { referralId: id(n), assessmentId: `ra${n}`, assessedOn: on(n * 10 + 2), dashYesCount: n, sdashAnswers: null, srp: null, personal: { rationale: 'seen' } },
        at(n * 10 + 2),
      ),
    );
    if (n % 3 === 0) {
      out.push(event('FormulationRecorded', { referralId: id(n), formulationId: `f${n}`, stalkerType: 'rejected', supersedes: null, personal: { rationale: 'seen' } }, at(n * 10 + 3)));
    }
    out.push(given.plan(id(n), at(n * 10 + 4)), given.plan(id(n), at(n * 10 + 5)));
    out.push(given.outcome(id(n), `CC/${n}`, '1', on(n * 10 + 9)), given.outcome(id(n), `CC/${n}`, '1', on(n * 10 + 6)), given.outcome(id(n), `CC/${n}`, '18', on(n * 10 + 7)));
    if (n % 2 === 1) out.push(given.closed(id(n), at(n * 10 + 8)));
  }
  out.push(
    // The suspect replaced: pty(1) loses referral 1 to pty(9), and both need a new score.
    event(
      'ReferralDetailsUpdated',
      {
        referralId: id(1),
        changedFields: ['parties', 'recordedAt'],
        recordedAt: at(3),
        parties: [
          { partyId: pty(101), category: 'victim' },
          { partyId: pty(9), category: 'offender' },
        ],
        personal: { people: [] },
      },
      at(90),
    ),
    event('ReferralDetailsUpdated', { referralId: id(2), changedFields: ['problemBehaviour'], problemBehaviour: 'sexual_violence', personal: { people: [] } }, at(91)),
    linked(pty(0), pty(2), at(92)),
    linked(pty(5), pty(6), at(93)),
    unlinked(pty(5), pty(6), at(94)),
    decided(pty(0), on(95), 'adopt', 42, 'v1'),
    decided(pty(0), on(96), 'defer', 40, 'v1'),
  );
  return out;
}

describe('the perpetrators model rebuilt into an empty shadow', () => {
  const events = projected(history());
  const live = emptyShadow(perpetratorsProjection);
  for (const e of events) perpetratorsProjection.apply(live, e as never);
  const kept = rowsOf(live, perpetratorsProjection);

  it('the history reaches every column and marks the replaced suspect stale', () => {
    const referrals = kept.perpetrators_referrals as { referral_id: string; open_alerts: number; charged_on: string | null; plan_agreed_on: string | null; stalker_type: string | null; closed: number }[];
    const first = referrals.find((r) => r.referral_id === referralId(0x300))!;
    expect(first).toMatchObject({ open_alerts: 0, charged_on: on(6), plan_agreed_on: on(4), stalker_type: 'rejected', closed: 0 });
    expect(referrals.find((r) => r.referral_id === referralId(0x301))).toMatchObject({ open_alerts: 1, closed: 1, crime_on: on(3) });
    expect(kept.perpetrators_stale).toContainEqual({ party_id: pty(1) });
    expect(kept.perpetrators_stale).toContainEqual({ party_id: pty(9) });
    expect(kept.perpetrators_stale).toContainEqual({ party_id: pty(6) });
    expect((kept.perpetrators_links as unknown[]).length).toBe(1);
    expect((kept.perpetrators_decisions as unknown[]).length).toBe(2);
  });

  it.each([
    ['as many as it holds by default', undefined],
    ['one at a time, so that every row is written back and read again', 1],
  ])("holding the referrals' rows %s, leaves exactly the rows apply kept", (_, held) => {
    const shadow = emptyShadow(perpetratorsProjection);
    const applier = perpetratorsEmptyShadowApplier(shadow, held);
    loadAsRebuild(applier, events);
    expect(rowsOf(shadow, perpetratorsProjection)).toEqual(kept);
  });

  it('a shadow that already holds rows keeps them event by event (a parallel rebuild catching up)', () => {
    const shadow = emptyShadow(perpetratorsProjection);
    catchUpHalfLoaded(perpetratorsProjection, shadow, events);
    expect(rowsOf(shadow, perpetratorsProjection)).toEqual(kept);
  });
});
