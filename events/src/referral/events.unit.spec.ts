import { describe, expect, it } from 'vitest';
import { eventRegistry } from '../catalogue.js';

const metadata = (schemaVersion: number) => ({
  eventId: '2f1d4c3a-5b6e-4f70-8a91-b2c3d4e5f601',
  occurredAt: '2025-06-01T08:31:00Z',
  actor: { kind: 'system', system: 'niche' },
  correlationId: 'c',
  causationId: null,
  schemaVersion,
});
const referralId = 'ref-7ae119ce89faaec78dee52aaac84b887';

describe('ReferralReceived v1 → current', () => {
  it('turns the single offence into the principal of a list', () => {
    const parsed = eventRegistry.parse({
      type: 'ReferralReceived',
      data: {
        referralId,
        source: { system: 'niche', crimeReference: 'CC/25/1', recordedAt: '2025-06-01T08:30:00Z' },
        offence: { code: '8/65', description: 'Stalking' },
        problemBehaviour: 'stalking',
        parties: [],
        risk: {},
        indicators: [],
        personal: { people: [] },
      },
      metadata: metadata(1),
    });
    expect(parsed.metadata.schemaVersion).toBe(3);
    expect((parsed.data as { offences: unknown }).offences).toEqual([{ code: '8/65', description: 'Stalking', principal: true }]);
    expect(parsed.data).not.toHaveProperty('offence');
  });
});

describe('UrgentActionRaised v1 → current', () => {
  it('has no recorded due time: ackDueAt becomes null', () => {
    const parsed = eventRegistry.parse({
      type: 'UrgentActionRaised',
      data: { referralId, alertId: `${referralId}.ua1`, reason: 'r', raisedBy: 'person', rules: [] },
      metadata: metadata(1),
    });
    expect(parsed.data).toMatchObject({ ackDueAt: null });
  });

  it('a v2 event without ackDueAt is invalid', () => {
    expect(() =>
      eventRegistry.parse({
        type: 'UrgentActionRaised',
        data: { referralId, alertId: `${referralId}.ua1`, reason: 'r', raisedBy: 'person', rules: [] },
        metadata: metadata(2),
      }),
    ).toThrow(/does not match its schema/);
  });
});

describe('assessments', () => {
  it('are marked as assessments in their schema, facts are not', () => {
    const meta = (type: string) => eventRegistry.definition(type).schema.meta() as { assessment?: boolean } | undefined;
    expect(meta('RiskAssessmentRecorded')?.assessment).toBe(true);
    expect(meta('FormulationRecorded')?.assessment).toBe(true);
    expect(meta('TriageCompleted')?.assessment).toBeUndefined();
  });
});
