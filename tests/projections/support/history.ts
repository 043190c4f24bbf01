/** Builds valid referral events (through the real schemas) for projection specs and the rebuild benchmark. */
import type { EventStore, NewEvent } from '@hru/application';
import { randomUUID } from 'node:crypto';
import { eventRegistry, type ReferralEvent } from '@hru/events';

type DataOf<T extends ReferralEvent['type']> = Extract<ReferralEvent, { type: T }>['data'];

export function referralId(n: number): string {
  return `ref-${n.toString(16).padStart(32, '0')}`;
}

export function event<T extends ReferralEvent['type']>(type: T, data: DataOf<T>, occurredAt: string): NewEvent {
  return {
    type,
    data,
    metadata: {
      eventId: randomUUID(),
      occurredAt,
      actor: { kind: 'person', sub: 'u-1', name: 'Test Officer', roles: ['officer'], agency: 'police' },
      correlationId: 'spec',
      causationId: null,
      schemaVersion: eventRegistry.definition(type).version,
    },
  };
}

export function received(
  id: string,
  occurredAt: string,
  problemBehaviour: DataOf<'ReferralReceived'>['problemBehaviour'] = 'stalking',
  crimeReference = `CC/${id.slice(-6)}`,
): NewEvent {
  return event(
    'ReferralReceived',
    {
      referralId: id,
      source: { system: 'niche', crimeReference, recordedAt: occurredAt },
      offences: [{ code: '8/65', description: 'Stalking involving fear of violence', principal: true }],
      problemBehaviour,
      parties: [
        { partyId: 'v1', category: 'victim' },
        { partyId: 's1', category: 'suspect' },
      ],
      risk: { dashYesCount: 9 },
      indicators: [],
      personal: { people: [] },
    },
    occurredAt,
  );
}

/** Appends each referral's events to its own stream, in the order given (one append per event). */
export async function appendAll(store: EventStore, events: readonly NewEvent[]): Promise<void> {
  for (const e of events) {
    const id = (e.data as { referralId: string }).referralId;
    await store.appendToStream(id, [e]);
  }
}

const person = { sub: 'u-7', agency: 'police' };

/** Short builders for the events specs need most, each at an explicit time. */
export const given = {
  triaged: (id: string, at: string, decision: 'proceed' | 'not_stalking' | 'out_of_scope' = 'proceed') =>
    event('TriageCompleted', { referralId: id, decision, personal: { reason: 'decided' } }, at),
  screened: (id: string, at: string, decision: 'adopt' | 'advice_only' | 'no_added_value') =>
    event('ScreeningCompleted', { referralId: id, decision, personal: { reason: 'decided' } }, at),
  assigned: (id: string, at: string, sub = person.sub) => event('ReferralAssigned', { referralId: id, assignee: { sub, agency: 'police' } }, at),
  discussed: (id: string, at: string) =>
    event(
      'CaseDiscussionHeld',
      { referralId: id, discussionId: 'cd1', heldAt: at, attendees: [{ agency: 'police', discipline: 'police', count: 1 }], personal: { decisions: ['plan'] } },
      at,
    ),
  plan: (id: string, at: string, kinds: ('health_pathway_consultation' | 'victim_safety_planning')[] = ['victim_safety_planning']) =>
    event(
      'ManagementPlanAgreed',
      {
        referralId: id,
        planId: 'p1',
        actions: kinds.map((kind, i) => ({ actionId: `p1.a${i + 1}`, kind, owner: person, dueDate: at.slice(0, 10) })),
        personal: { descriptions: Object.fromEntries(kinds.map((_, i) => [`p1.a${i + 1}`, 'do it'])) },
      },
      at,
    ),
  directed: (id: string, at: string, service: 'health_pathway' | 'victim_advocate' | 'probation' | 'mappa' | 'marac') =>
    event('DirectedToService', { referralId: id, service, personal: { reason: 'needs it' } }, at),
  reviewed: (id: string, at: string, nextReviewDue: string | null) => event('CaseReviewed', { referralId: id, nextReviewDue, personal: { summary: 'reviewed' } }, at),
  closed: (id: string, at: string, closedFrom = 'under_management') => event('ReferralClosed', { referralId: id, closedFrom, personal: { reason: 'done' } }, at),
  reopened: (id: string, at: string, linked: string) => event('ReferralReopened', { referralId: id, linkedReferralId: linked, personal: { reason: 'new crime' } }, at),
  intervention: (id: string, n: number, on: string, intervention: DataOf<'InterventionRecorded'>['intervention']) =>
    event('InterventionRecorded', { referralId: id, interventionId: `i${n}`, intervention, occurredOn: on }, `${on}T12:00:00Z`),
  outcome: (id: string, crimeReference: string, outcomeCode: string, outcomeDate: string) =>
    event('CrimeOutcomeRecorded', { referralId: id, crimeReference, outcomeCode, outcomeDate }, `${outcomeDate}T12:00:00Z`),
  urgent: (id: string, n: number, at: string, ackDueAt: string | null) =>
    event('UrgentActionRaised', { referralId: id, alertId: `${id}.ua${n}`, raisedBy: 'person', addressedTo: 'supervisor', rules: [], ackDueAt, personal: { reason: 'threats' } }, at),
  acknowledged: (id: string, n: number, at: string) => event('UrgentActionAcknowledged', { referralId: id, alertId: `${id}.ua${n}`, personal: { note: 'seen' } }, at),
  escalated: (id: string, n: number, at: string, level: number, nextAckDueAt: string | null) =>
    event('UrgentActionEscalated', { referralId: id, alertId: `${id}.ua${n}`, level, nextAckDueAt }, at),
  resolved: (id: string, n: number, at: string) =>
    event('UrgentActionResolved', { referralId: id, alertId: `${id}.ua${n}`, resolvedBy: 'person', personal: { resolution: 'dealt with' } }, at),
};
