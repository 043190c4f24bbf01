/**
 * The pure part of the research extract (workflows/src/research): pseudonyms under different keys, people erased or
 * disposed of, codes that are not codes, and the period's edges in UTC.
 */
import { describe, expect, it } from 'vitest';
import type { ReferralEvent } from '@hru/events';
import { ResearchExtractBuilder, partyIdFor, pseudonymiser, researchPeriodSchema } from '@hru/workflows';

const referralId = 'ref-' + 'a'.repeat(32);
const victim = partyIdFor('niche', 'V-1');
const suspect = partyIdFor('niche', 'S-1');
const keyA = Buffer.alloc(32, 1);
const keyB = Buffer.alloc(32, 2);

function event<T extends ReferralEvent['type']>(type: T, data: Extract<ReferralEvent, { type: T }>['data'], occurredAt = '2026-03-10T12:00:00Z'): ReferralEvent {
  return {
    type,
    data,
    metadata: { eventId: crypto.randomUUID(), occurredAt, actor: { kind: 'system', system: 'test' }, correlationId: 'c', causationId: null, schemaVersion: 1 },
  } as ReferralEvent;
}

function received(id = referralId, occurredAt = '2026-03-10T12:00:00Z', code = '8/65'): ReferralEvent {
  return event(
    'ReferralReceived',
    {
      referralId: id,
      source: { system: 'niche', crimeReference: 'CC/26/1', recordedAt: '2026-03-09T10:00:00Z' },
      offences: [{ code, description: 'Stalking', principal: true }],
      problemBehaviour: 'stalking',
      parties: [
        { partyId: victim, category: 'victim' },
        { partyId: suspect, category: 'suspect' },
      ],
      risk: {},
      indicators: [],
      personal: {
        summary: 'narrative',
        people: [
          { partyId: victim, sourceRef: 'V-1' },
          { partyId: suspect, sourceRef: 'S-1' },
        ],
      },
    },
    occurredAt,
  );
}

function extractOf(events: ReferralEvent[], key = keyA, period = { from: '2026-03', to: '2026-03' }) {
  const builder = new ResearchExtractBuilder(period);
  for (const e of events) builder.add(e);
  return builder.build(pseudonymiser(key));
}

describe('pseudonyms', () => {
  it('are the keyed HMAC of the id, 16 hex digits, and change with the key', () => {
    const a = extractOf([received()]).cases[0]!;
    const b = extractOf([received()], keyB).cases[0]!;
    expect(a.victim_pseudonyms).toEqual([pseudonymiser(keyA).person(victim)]);
    expect(a.victim_pseudonyms).toEqual([expect.stringMatching(/^p-[0-9a-f]{16}$/)]);
    for (const column of ['case_pseudonym', 'victim_pseudonyms', 'perpetrator_pseudonyms']) expect(b[column]).not.toEqual(a[column]);
    expect(pseudonymiser(keyA).keyId).not.toBe(pseudonymiser(keyB).keyId);
  });

  it('keep the domains apart: a person and a case of the same id never share a pseudonym', () => {
    const p = pseudonymiser(keyA);
    expect(p.person(referralId).slice(2)).not.toBe(p.case(referralId).slice(2));
  });

  it('refuse a key shorter than 32 bytes', () => {
    expect(() => pseudonymiser(Buffer.alloc(31))).toThrow(/32 bytes/);
  });
});

describe('erasure and disposal', () => {
  it('drop an erased person’s pseudonym from the case and count them', () => {
    const row = extractOf([received(), event('PartyErased', { referralId, partyId: victim })]).cases[0]!;
    expect(row.victim_pseudonyms).toEqual([]);
    expect(row.perpetrator_pseudonyms).toHaveLength(1);
    expect(row.erased_parties).toBe(1);
  });

  it('drop every disposed party and flag the case, keeping its facts', () => {
    const disposed = event('RetentionReviewed', {
      referralId,
      decision: 'dispose',
      mopiGroup: 3,
      nextReviewDue: null,
      disposedParties: [victim, suspect],
      personal: { erased: true },
    });
    const row = extractOf([received(), event('TriageCompleted', { referralId, decision: 'proceed', personal: { reason: 'x' } }), disposed]).cases[0]!;
    expect(row).toMatchObject({ victim_pseudonyms: [], perpetrator_pseudonyms: [], erased_parties: 2, retention_disposed: true, triage_decision: 'proceed' });
  });
});

describe('what is copied', () => {
  it('reports an offence code that is not a Home Office classification as unrecognised', () => {
    expect(extractOf([received(referralId, undefined, 'John Smith')]).cases[0]!.principal_offence_code).toBe('unrecognised');
    expect(extractOf([received(referralId, undefined, '8Q')]).cases[0]!.principal_offence_code).toBe('8Q');
  });

  it('reports a closing stage the decider does not write as other', () => {
    const closed = event('ReferralClosed', { referralId, closedFrom: 'Mrs Jones said so', personal: { reason: 'x' } }, '2026-04-02T00:00:00Z');
    expect(extractOf([received(), closed]).cases[0]).toMatchObject({ status: 'closed', closed_month: '2026-04', closed_from_stage: 'other' });
  });
});

describe('legal measures', () => {
  it('keep the intervention rows the kinds always counted: SPO advised, applied, granted; MAPPA accepted at its referral’s category and level', () => {
    const step = (type: 'SpoStepRecorded' | 'MappaStepRecorded', measureId: string, at: string, s: Record<string, unknown>) =>
      event(type, { referralId, measureId, at, step: s, personal: {} } as never, at);
    const extract = extractOf([
      received(),
      step('SpoStepRecorded', 'm1', '2026-03-12T10:00:00Z', { step: 'applied', order: 'interim' }),
      step('SpoStepRecorded', 'm1', '2026-04-01T10:00:00Z', { step: 'granted', order: 'interim', endsOn: '2026-06-01' }),
      step('SpoStepRecorded', 'm1', '2026-04-02T10:00:00Z', { step: 'served' }),
      step('MappaStepRecorded', 'm2', '2026-03-20T10:00:00Z', { step: 'referred', category: 2, level: 3 }),
      step('MappaStepRecorded', 'm2', '2026-05-20T10:00:00Z', { step: 'accepted' }),
    ]);
    expect(extract.interventions.map((row) => [row.intervention_kind, row.intervention_month, row.mappa_category ?? null])).toEqual([
      ['spo_applied', '2026-03', null],
      ['spo_granted', '2026-04', null],
      ['mappa_support', '2026-05', 2],
    ]);
  });
});

describe('the period', () => {
  it('selects cases by the UTC month they were received, edges included', () => {
    const first = 'ref-' + '1'.repeat(32);
    const last = 'ref-' + '2'.repeat(32);
    const before = 'ref-' + '3'.repeat(32);
    const after = 'ref-' + '4'.repeat(32);
    const rows = extractOf([
      received(first, '2026-02-28T23:30:00-01:00'), // 1 March 00:30 UTC
      received(last, '2026-03-31T23:59:59Z'),
      received(before, '2026-03-01T00:30:00+01:00'), // 28 February 23:30 UTC
      received(after, '2026-04-01T00:00:00Z'),
    ]).cases;
    const p = pseudonymiser(keyA);
    expect(rows.map((r) => r.case_pseudonym).sort()).toEqual([p.case(first), p.case(last)].sort());
  });

  it('follows a case received in the period whatever month its later events fall in', () => {
    const later = event('InterventionRecorded', { referralId, interventionId: 'i1', intervention: { kind: 'spo_granted', order: 'full' }, occurredOn: '2029-01-15' }, '2029-01-16T00:00:00Z');
    expect(extractOf([received(), later]).interventions).toEqual([
      expect.objectContaining({ intervention_kind: 'spo_granted', order_stage: 'full', intervention_month: '2029-01' }),
    ]);
  });

  it('is months, from ≤ to, at most ten years', () => {
    expect(researchPeriodSchema.safeParse({ from: '2026-01', to: '2035-12' }).success).toBe(true);
    expect(researchPeriodSchema.safeParse({ from: '2026-01', to: '2036-01' }).success).toBe(false);
    expect(researchPeriodSchema.safeParse({ from: '2026-02', to: '2026-01' }).success).toBe(false);
    expect(researchPeriodSchema.safeParse({ from: '2026-00', to: '2026-01' }).success).toBe(false);
  });
});
