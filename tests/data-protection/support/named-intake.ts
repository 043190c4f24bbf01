/** A sealable intake naming a victim and a suspect, as the key-store specs append it (the names are made up). */
import { newEvent } from '@hru/application';

export const victim = `pty-${'1'.repeat(24)}`;
export const suspect = `pty-${'2'.repeat(24)}`;
export const intakeMeta = { actor: { kind: 'system', system: 'niche' } as const, correlationId: 'c', occurredAt: '2026-11-20T10:00:00Z' };

export function namedIntake(referralId: string, names: { victim: string; suspect: string }) {
  return newEvent(
    'ReferralReceived',
    {
      referralId,
      source: { system: 'niche', crimeReference: `CC/${referralId}`, recordedAt: '2026-11-20T10:00:00Z' },
      offences: [{ code: '8/65', description: 'Stalking', principal: true }],
      problemBehaviour: 'stalking',
      parties: [
        { partyId: victim, category: 'victim' },
        { partyId: suspect, category: 'suspect' },
      ],
      risk: {},
      indicators: [],
      personal: { summary: `about ${names.victim}`, people: [{ partyId: victim, name: names.victim }, { partyId: suspect, name: names.suspect }] },
    },
    intakeMeta,
  );
}
