import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { EventSchemaError, UnknownEventTypeError, eventRegistry } from '@hru/events';

const metadata = (schemaVersion: number) => ({
  eventId: randomUUID(),
  occurredAt: '2026-11-20T10:00:00.000Z',
  actor: { kind: 'system', system: 'niche' },
  correlationId: 'corr-1',
  causationId: null,
  schemaVersion,
});

const v1Body = {
  referralId: 'ref-0123456789abcdef0123456789abcdef',
  source: { system: 'niche', crimeReference: 'CC/26/000123', recordedAt: '2026-11-20T10:00:00Z' },
  offence: { code: '8/65', description: 'Stalking involving fear of violence' },
  problemBehaviour: 'stalking',
  parties: [{ partyId: 'victim', category: 'victim', sourceRef: 'P-1001' }],
  risk: { dashYesCount: 15 },
  indicators: ['threats_to_kill'],
  personal: { people: [{ partyId: 'victim', name: 'A Person' }] },
};

describe('event registry', () => {
  it('upcasts ReferralReceived v1 (one offence) to v2 (offences with one principal), then v3 (sourceRef under personal)', () => {
    const parsed = eventRegistry.parse({ type: 'ReferralReceived', data: v1Body, metadata: metadata(1) });
    expect(parsed.metadata.schemaVersion).toBe(3);
    expect(parsed.data).toMatchObject({
      parties: [{ partyId: 'victim', category: 'victim' }],
      personal: { people: [{ partyId: 'victim', name: 'A Person', sourceRef: 'P-1001' }] },
    });
    expect((parsed.data as { offences: unknown[] }).offences).toEqual([
      { code: '8/65', description: 'Stalking involving fear of violence', principal: true },
    ]);
    expect(parsed.data).not.toHaveProperty('offence');
  });

  it('reads the current version without change', () => {
    const { offence, ...rest } = v1Body;
    const v3 = {
      ...rest,
      offences: [{ ...offence, principal: true }],
      parties: [{ partyId: 'victim', category: 'victim' }],
      personal: { people: [{ partyId: 'victim', name: 'A Person', sourceRef: 'P-1001' }] },
    };
    const parsed = eventRegistry.parse({ type: 'ReferralReceived', data: v3, metadata: metadata(3) });
    expect(parsed.data).toEqual(v3);
  });

  it('names the field when a stored body does not match its schema', () => {
    const broken = { ...v1Body, problemBehaviour: 'shoplifting' };
    const error = (() => {
      try {
        eventRegistry.parse({ type: 'ReferralReceived', data: broken, metadata: metadata(1) });
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(EventSchemaError);
    expect(JSON.stringify((error as EventSchemaError).details)).toContain('/problemBehaviour');
  });

  it('refuses events written by a newer version and unknown types', () => {
    expect(() => eventRegistry.parse({ type: 'ReferralReceived', data: v1Body, metadata: metadata(99) })).toThrow(EventSchemaError);
    expect(() => eventRegistry.parse({ type: 'NoSuchEvent', data: {}, metadata: metadata(1) })).toThrow(UnknownEventTypeError);
  });
});

describe('trusted reads for replay', () => {
  it('upcasts like parse, without validating, and still refuses unknown types and newer versions', () => {
    const trusted = eventRegistry.readTrusted({ type: 'ReferralReceived', data: v1Body, metadata: metadata(1) });
    const parsed = eventRegistry.parse({ type: 'ReferralReceived', data: v1Body, metadata: metadata(1) });
    expect(trusted.data).toEqual(parsed.data);
    expect(trusted.metadata.schemaVersion).toBe(3);
    // No validation: a value the schema would refuse passes through unchanged (the hash chain guards stored rows).
    const odd = eventRegistry.readTrusted({ type: 'ReferralReceived', data: { ...v1Body, problemBehaviour: 'x' }, metadata: metadata(1) });
    expect((odd.data as { problemBehaviour: string }).problemBehaviour).toBe('x');
    expect(() => eventRegistry.readTrusted({ type: 'ReferralReceived', data: v1Body, metadata: metadata(99) })).toThrow(EventSchemaError);
    expect(() => eventRegistry.readTrusted({ type: 'Nope', data: {}, metadata: metadata(1) })).toThrow(UnknownEventTypeError);
  });
});
