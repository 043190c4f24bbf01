/** Builders for the serial-perpetrator specs: valid party ids, crimes with chosen facts, links and decisions. */
import { randomUUID } from 'node:crypto';
import type { NewEvent } from '@hru/application';
import { eventRegistry, type RiskIndicator } from '@hru/events';
import { event, referralId } from '../projections/support/history.js';

/** A party id of the real form (`pty-` and 24 hex digits), numbered. */
export const pty = (n: number) => `pty-${n.toString(16).padStart(24, '0')}`;
export const ref = referralId;

export interface IncidentFacts {
  suspects: string[];
  victims: string[];
  on: string;
  problemBehaviour?: 'stalking' | 'serial_domestic_abuse' | 'sexual_violence' | 'querulance';
  indicators?: RiskIndicator[];
  offenceCode?: string;
  /** The policing area the source recorded it in. */
  area?: string;
}

export function incident(id: string, f: IncidentFacts): NewEvent {
  return event(
    'ReferralReceived',
    {
      referralId: id,
      source: { system: 'niche', crimeReference: `CC/${id.slice(-6)}`, recordedAt: `${f.on}T10:00:00Z`, ...(f.area ? { area: f.area } : {}) },
      offences: [{ code: f.offenceCode ?? '8/65', description: 'Stalking involving fear of violence', principal: true }],
      problemBehaviour: f.problemBehaviour ?? 'stalking',
      parties: [...f.victims.map((partyId) => ({ partyId, category: 'victim' as const })), ...f.suspects.map((partyId) => ({ partyId, category: 'suspect' as const }))],
      risk: {},
      indicators: f.indicators ?? [],
      personal: { people: [] },
    },
    `${f.on}T10:00:00Z`,
  );
}

function stored(type: string, data: unknown, occurredAt: string): NewEvent {
  return {
    type,
    data,
    metadata: {
      eventId: randomUUID(),
      occurredAt,
      actor: { kind: 'person', sub: 'sup-1', name: 'Test Supervisor', roles: ['supervisor'], agency: 'police' },
      correlationId: 'spec',
      causationId: null,
      schemaVersion: eventRegistry.definition(type).version,
    },
  };
}

export const linked = (a: string, b: string, at: string) =>
  stored('PartiesLinked', { partyId: a < b ? a : b, samePersonAs: a < b ? b : a, personal: { reason: 'same DOB and address in both systems' } }, at);
export const unlinked = (a: string, b: string, at: string) =>
  stored('PartiesUnlinked', { partyId: a < b ? a : b, samePersonAs: a < b ? b : a, personal: { reason: 'twins: different people' } }, at);
export const decided = (partyId: string, meetingOn: string, decision: 'adopt' | 'not_adopt' | 'defer', score: number, configVersion: string) =>
  stored(
    'TaskingDecisionRecorded',
    { meetingOn, partyId, decision, score, configVersion, attendees: [{ agency: 'police', count: 2 }], personal: { reason: 'discussed' } },
    `${meetingOn}T14:00:00Z`,
  );
