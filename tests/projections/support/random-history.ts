/**
 * A seeded random history for the differential specs of the statistics (issue #20): referrals whose facts, steps,
 * clocks, intervals, outcomes, parties and links fall on random days (some out of order, some on the same day, some
 * corrected, moved or replaced), so the pre-aggregated counts meet every shape the fact rows can take.
 */
import type { NewEvent } from '@hru/application';
import type { ReferralEvent } from '@hru/events';
import { deadline, measure } from './deadline-history.js';
import { event, given, referralId } from './history.js';
import { crime, timeLogged } from './perpetrators.js';

type DataOf<T extends ReferralEvent['type']> = Extract<ReferralEvent, { type: T }>['data'];
type Intervention = DataOf<'InterventionRecorded'>['intervention'];

/** mulberry32: small, seeded, and the same on every machine. */
export function seeded(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (lo: number, hi: number) => lo + Math.floor(next() * (hi - lo + 1)),
    chance: (p: number) => next() < p,
    pick: <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)]!,
  };
}
export type Seeded = ReturnType<typeof seeded>;

const START = Date.UTC(2025, 0, 1);
/** Day `n` of the history (0 = 1 January 2025) as an ISO date. */
export const dayOf = (n: number) => new Date(START + n * 86_400_000).toISOString().slice(0, 10);
/** The history spans two years. */
export const HISTORY_DAYS = 730;

const behaviours = ['stalking', 'serial_domestic_abuse', 'sexual_violence', 'querulance'] as const;
const interventions: Intervention[] = [
  { kind: 'victim_advocate_contact', outcome: 'engaged' },
  { kind: 'victim_advocate_contact', outcome: 'declined' },
  { kind: 'tactical_review' },
  { kind: 'investigative_review' },
  { kind: 'direct_constable_intervention' },
  { kind: 'da_disclosure_to_probation' },
  { kind: 'therapeutic_intervention_started' },
  { kind: 'therapeutic_intervention_completed' },
  { kind: 'spo_advised' },
  { kind: 'spo_applied', order: 'interim' },
  { kind: 'spo_granted', order: 'full' },
  { kind: 'mappa_support', category: 1, level: 2 },
];
const outcomeCodes = ['1', '2', '3', '15', '16', '18'];

/** An instant on day `n`: early, midday or late, so London's date and the UTC date sometimes differ. */
const instant = (r: Seeded, n: number) => `${dayOf(n)}T${r.pick(['00:30:00', '10:00:00', '23:30:00'])}Z`;

/** The events of `count` referrals, each referral's in its own order; perpetrators and victims shared between some. */
export function randomHistory(seed: number, count: number): NewEvent[] {
  const r = seeded(seed);
  const out: NewEvent[] = [];
  const ids = Array.from({ length: count }, (_, i) => referralId(0x5000 + i));
  ids.forEach((id, i) => {
    const opened = r.int(0, HISTORY_DAYS - 60);
    const day = (after: number) => Math.min(HISTORY_DAYS - 1, opened + after);
    // A few perpetrators and victims, so re-offending finds others' referrals.
    // One prolific suspect on about a fifth of the referrals: their members' first re-offences keep moving.
    const perpetrator = r.chance(0.2) ? 'pty-prolific' : `pty-p${r.int(0, Math.max(1, Math.floor(count / 4)))}`;
    const victim = `pty-v${r.int(0, Math.max(1, Math.floor(count / 3)))}`;
    out.push(
      crime(id, {
        perpetrator,
        victim,
        recordedOn: dayOf(Math.max(0, opened - r.int(0, 20))),
        receivedOn: dayOf(opened),
        problemBehaviour: r.pick(behaviours),
        breachOfOrder: r.chance(0.15),
        perpetratorCategory: r.chance(0.3) ? 'offender' : 'suspect',
      }),
    );
    if (r.chance(0.15)) {
      out.push(
        event(
          'ReferralDetailsUpdated',
          {
            referralId: id,
            changedFields: ['problemBehaviour'],
            problemBehaviour: r.pick(behaviours),
            ...(r.chance(0.5) ? { recordedAt: `${dayOf(Math.max(0, opened - r.int(0, 40)))}T09:00:00Z` } : {}),
            personal: { people: [] },
          } as DataOf<'ReferralDetailsUpdated'>,
          instant(r, day(r.int(0, 30))),
        ),
      );
    }
    if (r.chance(0.1)) {
      // The parties corrected: a second perpetrator named (sometimes the prolific one), or the perpetrator replaced;
      // sometimes the breach flag too, so a referral starts or stops counting as a re-offence.
      const second = r.chance(0.5) ? 'pty-prolific' : `pty-p${r.int(0, Math.max(1, Math.floor(count / 4)))}`;
      out.push(
        event(
          'ReferralDetailsUpdated',
          {
            referralId: id,
            changedFields: ['parties'],
            parties: [
              { partyId: victim, category: 'victim' },
              ...(r.chance(0.5) ? [{ partyId: perpetrator, category: 'suspect' as const }] : []),
              { partyId: second, category: 'offender' as const },
            ],
            ...(r.chance(0.5) ? { indicators: r.chance(0.5) ? ['breach_of_order' as const] : [] } : {}),
            personal: { people: [] },
          } as DataOf<'ReferralDetailsUpdated'>,
          instant(r, day(r.int(0, 60))),
        ),
      );
    }
    let n = 0;
    for (let k = r.int(0, 5); k > 0; k--) out.push(given.intervention(id, ++n, dayOf(day(r.int(-10, 120))), r.pick(interventions)));
    if (r.chance(0.3)) out.push(given.directed(id, instant(r, day(r.int(0, 90))), r.pick(['health_pathway', 'probation'] as const)));
    if (r.chance(0.3)) out.push(given.plan(id, instant(r, day(r.int(0, 90))), r.chance(0.5) ? ['health_pathway_consultation'] : ['victim_safety_planning']));
    if (r.chance(0.25)) out.push(measure.mappa(id, 'm9', instant(r, day(r.int(0, 100))), { step: 'accepted' }));
    if (r.chance(0.3)) {
      out.push(measure.spo(id, 'm1', instant(r, day(r.int(0, 30))), { step: 'advised' }));
      const applied = instant(r, day(r.int(10, 40)));
      out.push(measure.spo(id, 'm1', applied, { step: 'applied', order: 'interim' }));
      if (r.chance(0.5)) out.push(measure.corrected(id, 'm1', 'applied', instant(r, day(r.int(0, 45))), applied, instant(r, day(50))));
      if (r.chance(0.6)) out.push(measure.spo(id, 'm1', instant(r, day(r.int(20, 60))), { step: 'granted', order: 'full', endsOn: null }));
      if (r.chance(0.3)) out.push(measure.spo(id, 'm1', instant(r, day(70)), { step: 'breached', breachOn: dayOf(day(r.int(40, 69))), crimeReference: `CC/${id.slice(-6)}/B` }));
    }
    if (r.chance(0.25)) {
      out.push(measure.dvpo(id, 'm2', instant(r, day(r.int(0, 50))), { step: 'notice_issued', authorisedBy: 'superintendent' }));
      if (r.chance(0.6)) out.push(measure.dvpo(id, 'm2', instant(r, day(r.int(1, 80))), { step: 'order_granted', days: 28 }));
      if (r.chance(0.2)) out.push(measure.dvpo(id, 'm2', instant(r, day(90)), { step: 'breached', breachOn: dayOf(day(r.int(50, 89))), crimeReference: `CC/${id.slice(-6)}/D` }));
    }
    if (r.chance(0.25)) {
      out.push(measure.bail(id, 'm3', instant(r, day(r.int(0, 20))), { step: 'granted', withConditions: true }));
      for (let k = r.int(0, 2); k > 0; k--) {
        const authority = r.pick(['inspector', 'superintendent', 'court'] as const);
        out.push(measure.bail(id, 'm3', instant(r, day(r.int(20, 90))), { step: 'extended', authority, authorisedBy: authority === 'court' ? 'superintendent' : authority }));
      }
    }
    for (let k = r.int(0, 2); k > 0; k--) {
      const clock = `d${k}`;
      const kind = r.pick(['victim_contact', 'spo_notification'] as const);
      const set = day(r.int(0, 60));
      out.push(deadline.set(id, clock, instant(r, set + r.int(0, 10)), instant(r, set), { kind }));
      if (r.chance(0.2)) out.push(deadline.set(id, clock, instant(r, set + r.int(5, 20)), instant(r, set + 1), { kind, version: 2 }));
      const version = 1;
      if (r.chance(0.3)) out.push(deadline.missed(id, clock, instant(r, set + 10), instant(r, set + 11), version));
      if (r.chance(0.6)) out.push(deadline.closed(id, clock, r.pick(['met', 'met', 'cancelled', 'expired'] as const), instant(r, set + r.int(1, 25)), r.chance(0.3)));
    }
    for (let k = r.int(0, 2); k > 0; k--) out.push(given.outcome(id, r.chance(0.8) ? `CC/${id.slice(-6)}` : `CC/${id.slice(-6)}/2`, r.pick(outcomeCodes), dayOf(day(r.int(10, 200)))));
    for (let k = r.int(0, 3); k > 0; k--) out.push(timeLogged(id, dayOf(day(r.int(0, 90))), r.pick(['police', 'nhs', 'advocacy', 'victim_services']), r.int(10, 300)));
    // Urgent alerts: acknowledged at once, after an escalation, or not at all; some resolved.
    for (let k = r.int(0, 2); k > 0; k--) {
      const raised = day(r.int(0, 40));
      out.push(given.urgent(id, k, instant(r, raised), null));
      if (r.chance(0.4)) out.push(given.escalated(id, k, instant(r, raised + 1), r.int(1, 2), null));
      if (r.chance(0.7)) out.push(given.acknowledged(id, k, instant(r, raised + r.int(0, 2))));
      if (r.chance(0.2)) out.push(given.escalated(id, k, instant(r, raised + 3), 3, null));
      if (r.chance(0.3)) out.push(given.resolved(id, k, instant(r, raised + 5)));
    }
    // Closed, sometimes the day it opened, sometimes reopened by a later referral (and maybe closed again).
    if (r.chance(0.6)) {
      const closed = r.chance(0.1) ? opened : day(r.int(1, 200));
      out.push(given.closed(id, instant(r, closed)));
      if (r.chance(0.35) && i > 0) {
        const reopened = Math.min(HISTORY_DAYS - 1, closed + r.int(0, 120));
        out.push(given.reopened(id, instant(r, reopened), ids[r.int(0, i - 1)]!));
        if (r.chance(0.5)) out.push(given.closed(id, instant(r, Math.min(HISTORY_DAYS - 1, reopened + r.int(0, 90)))));
      }
    }
  });
  return out;
}

/** A random period within (or just around) the history: a day, a month, a quarter, a year or all of it. */
export function randomPeriod(r: Seeded): { from: string; to: string } {
  const from = r.int(-20, HISTORY_DAYS + 20);
  const length = r.pick([0, 1, 30, 91, 365, 800]);
  return { from: dayOf(from), to: dayOf(from + length) };
}
