/**
 * Every event whose free text (or a party's source reference) moved under `personal` (issue #16): an event of
 * the old version, read back through the registry both ways (validated `parse`, and `readTrusted` as replays
 * do), has the new shape, with the text moved and nothing left outside `personal`.
 */
import { describe, expect, it } from 'vitest';
import { eventRegistry } from '../catalogue.js';

const referralId = 'ref-7ae119ce89faaec78dee52aaac84b887';
const alertId = `${referralId}.ua1`;
const victim = 'pty-0123456789abcdef01234567';
const suspect = 'pty-89abcdef0123456789abcdef';

const metadata = (schemaVersion: number) => ({
  eventId: '2f1d4c3a-5b6e-4f70-8a91-b2c3d4e5f601',
  occurredAt: '2025-06-01T08:31:00Z',
  actor: { kind: 'system', system: 'niche' },
  correlationId: 'c',
  causationId: null,
  schemaVersion,
});

const source = { system: 'niche', crimeReference: 'CC/25/1', recordedAt: '2025-06-01T08:30:00Z' };
const offences = [{ code: '8/65', description: 'Stalking', principal: true }];
const owner = { sub: 'u-1', agency: 'police' };

interface Case {
  type: string;
  version: number;
  old: Record<string, unknown>;
  now: Record<string, unknown>;
}

const cases: Case[] = [
  {
    type: 'ReferralReceived',
    version: 2,
    old: {
      referralId,
      source,
      offences,
      problemBehaviour: 'stalking',
      parties: [
        { partyId: victim, category: 'victim', sourceRef: 'P-1' },
        { partyId: suspect, category: 'suspect', sourceRef: 'P-2' },
      ],
      risk: {},
      indicators: [],
      personal: { summary: 'He follows her home', people: [{ partyId: victim, name: 'Ann Smith' }] },
    },
    now: {
      parties: [
        { partyId: victim, category: 'victim' },
        { partyId: suspect, category: 'suspect' },
      ],
      personal: {
        summary: 'He follows her home',
        // A party with no details named gets an entry for its reference alone.
        people: [
          { partyId: victim, name: 'Ann Smith', sourceRef: 'P-1' },
          { partyId: suspect, sourceRef: 'P-2' },
        ],
      },
    },
  },
  {
    type: 'ReferralDetailsUpdated',
    version: 1,
    old: {
      referralId,
      changedFields: ['parties', 'people'],
      parties: [{ partyId: victim, category: 'victim', sourceRef: 'P-9' }],
      personal: { people: [{ partyId: victim, name: 'Ann Jones' }] },
    },
    now: { parties: [{ partyId: victim, category: 'victim' }], personal: { people: [{ partyId: victim, name: 'Ann Jones', sourceRef: 'P-9' }] } },
  },
  ...(['TriageCompleted', 'ScreeningCompleted'] as const).map((type) => ({
    type,
    version: 1,
    old: { referralId, decision: type === 'TriageCompleted' ? 'proceed' : 'adopt', reason: 'Repeated unwanted contact' },
    now: { personal: { reason: 'Repeated unwanted contact' } },
  })),
  { type: 'ReferralClosed', version: 1, old: { referralId, reason: 'No further risk', closedFrom: 'under_management' }, now: { closedFrom: 'under_management', personal: { reason: 'No further risk' } } },
  {
    type: 'ReferralReopened',
    version: 1,
    old: { referralId, linkedReferralId: 'ref-00000000000000000000000000000001', reason: 'New crime against her' },
    now: { personal: { reason: 'New crime against her' } },
  },
  {
    type: 'UrgentActionRaised',
    version: 1,
    old: { referralId, alertId, reason: 'Threats to kill', raisedBy: 'person', rules: [] },
    now: { raisedBy: 'person', rules: [], ackDueAt: null, personal: { reason: 'Threats to kill' } },
  },
  {
    type: 'UrgentActionRaised',
    version: 2,
    old: { referralId, alertId, reason: 'Intake rules matched: weapon', raisedBy: 'intake_rule', rules: ['weapon'], ackDueAt: '2025-06-01T08:46:00Z' },
    now: { raisedBy: 'intake_rule', rules: ['weapon'], personal: { reason: 'Intake rules matched: weapon' } },
  },
  { type: 'UrgentActionAcknowledged', version: 1, old: { referralId, alertId, note: 'Officer sent' }, now: { personal: { note: 'Officer sent' } } },
  // A one-button acknowledgement said nothing: its section is empty.
  { type: 'UrgentActionAcknowledged', version: 2, old: { referralId, alertId }, now: { personal: {} } },
  {
    type: 'UrgentActionResolved',
    version: 1,
    old: { referralId, alertId, resolution: 'Arrested', resolvedBy: 'person' },
    now: { resolvedBy: 'person', personal: { resolution: 'Arrested' } },
  },
  {
    type: 'CaseDiscussionHeld',
    version: 1,
    old: { referralId, discussionId: 'cd1', heldAt: '2025-06-02T10:00:00Z', attendees: [{ agency: 'police', discipline: 'police', count: 1 }], decisions: ['Refer to MARAC'] },
    now: { personal: { decisions: ['Refer to MARAC'] } },
  },
  {
    type: 'ManagementPlanAgreed',
    version: 1,
    old: {
      referralId,
      planId: 'p1',
      actions: [
        { actionId: 'p1.a1', kind: 'victim_safety_planning', description: 'Alarm at her address', owner, dueDate: '2025-07-01' },
        { actionId: 'p1.a2', kind: 'legal_proceedings', description: 'Apply for an SPO', owner, dueDate: '2025-07-02' },
      ],
    },
    now: {
      actions: [
        { actionId: 'p1.a1', kind: 'victim_safety_planning', owner, dueDate: '2025-07-01' },
        { actionId: 'p1.a2', kind: 'legal_proceedings', owner, dueDate: '2025-07-02' },
      ],
      personal: { descriptions: { 'p1.a1': 'Alarm at her address', 'p1.a2': 'Apply for an SPO' } },
    },
  },
  { type: 'PlanActionCompleted', version: 1, old: { referralId, actionId: 'p1.a1', note: 'Fitted' }, now: { personal: { note: 'Fitted' } } },
  { type: 'DirectedToService', version: 1, old: { referralId, service: 'marac', reason: 'High risk' }, now: { service: 'marac', personal: { reason: 'High risk' } } },
  { type: 'AdviceRecorded', version: 1, old: { referralId, advice: 'Seek an SPO' }, now: { personal: { advice: 'Seek an SPO' } } },
  {
    type: 'CaseReviewed',
    version: 1,
    old: { referralId, summary: 'Contact has stopped', nextReviewDue: '2025-09-01' },
    now: { nextReviewDue: '2025-09-01', personal: { summary: 'Contact has stopped' } },
  },
  { type: 'TimeLogged', version: 1, old: { referralId, agency: 'police', minutes: 30, activity: 'Home visit' }, now: { minutes: 30, personal: { activity: 'Home visit' } } },
  {
    type: 'RiskAssessmentRecorded',
    version: 1,
    old: { referralId, assessmentId: 'ra1', assessedOn: '2025-06-02', dashYesCount: 15, sdashAnswers: null, srp: null, rationale: 'Escalating' },
    now: { dashYesCount: 15, personal: { rationale: 'Escalating' } },
  },
  {
    type: 'FormulationRecorded',
    version: 1,
    old: { referralId, formulationId: 'f1', stalkerType: 'rejected', rationale: 'Former partner', supersedes: null },
    now: { stalkerType: 'rejected', personal: { rationale: 'Former partner' } },
  },
];

/** The keys of the old data that are free text (or, in parties, a source reference): none may stay outside. */
const movedKeys = ['reason', 'note', 'resolution', 'decisions', 'description', 'advice', 'summary', 'activity', 'rationale', 'sourceRef'];

/** Keys anywhere outside `personal`, but for the offences (Home Office classifications, not about people). */
function keysOutsidePersonal(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap((v) => keysOutsidePersonal(v));
  if (typeof value !== 'object' || value === null) return [];
  return Object.entries(value).flatMap(([key, v]) => (key === 'personal' || key === 'offences' ? [] : [key, ...keysOutsidePersonal(v)]));
}

describe('events whose free text moved under personal', () => {
  it('cover every event the issue names', () => {
    const types = new Set(cases.map((c) => c.type));
    expect(types.size).toBe(18);
  });

  for (const c of cases) {
    describe(`${c.type} v${c.version} → v${eventRegistry.definition(c.type).version}`, () => {
      const stored = () => ({ type: c.type, data: structuredClone(c.old), metadata: metadata(c.version) });

      it('parses (validated) into the new shape', () => {
        const parsed = eventRegistry.parse(stored());
        expect(parsed.metadata.schemaVersion).toBe(eventRegistry.definition(c.type).version);
        expect(parsed.data).toMatchObject({ referralId, ...c.now });
        expect(keysOutsidePersonal(parsed.data).filter((k) => movedKeys.includes(k))).toEqual([]);
      });

      it('reads trusted (as a replay does) into the same shape', () => {
        const trusted = eventRegistry.readTrusted(stored());
        expect(trusted.data).toEqual(eventRegistry.parse(stored()).data);
      });

      it('keeps every text it had (the upcaster loses nothing)', () => {
        const texts = (value: unknown): string[] =>
          typeof value === 'string' ? [value] : typeof value === 'object' && value !== null ? Object.values(value).flatMap(texts) : [];
        const after = new Set(texts(eventRegistry.parse(stored()).data));
        for (const text of texts(c.old)) expect(after).toContain(text);
      });
    });
  }

  it('a current event with its text outside personal is invalid', () => {
    expect(() =>
      eventRegistry.parse({ type: 'TriageCompleted', data: { referralId, decision: 'proceed', reason: 'r' }, metadata: metadata(2) }),
    ).toThrow(/does not match its schema/);
  });
});

describe('erased sections', () => {
  it('a section read back after its key was destroyed is valid', () => {
    const parsed = eventRegistry.parse({
      type: 'ManagementPlanAgreed',
      data: { referralId, planId: 'p1', actions: [{ actionId: 'p1.a1', kind: 'legal_proceedings', owner, dueDate: '2025-07-01' }], personal: { erased: true } },
      metadata: metadata(2),
    });
    expect(parsed.data).toMatchObject({ personal: { erased: true } });
  });

  it('an intake section keeps its people beside the erased text, each erased or not', () => {
    const parsed = eventRegistry.parse({
      type: 'ReferralReceived',
      data: {
        referralId,
        source,
        offences,
        problemBehaviour: 'stalking',
        parties: [{ partyId: victim, category: 'victim' }],
        risk: {},
        indicators: [],
        personal: { erased: true, people: [{ partyId: victim, erased: true }, { partyId: suspect, name: 'B', sourceRef: 'P-2' }] },
      },
      metadata: metadata(3),
    });
    expect(parsed.data).toMatchObject({ personal: { erased: true, people: [{ partyId: victim, erased: true }, { partyId: suspect, name: 'B' }] } });
  });

  it('an erased section may not carry text beside the flag', () => {
    expect(() =>
      eventRegistry.parse({ type: 'AdviceRecorded', data: { referralId, personal: { erased: true, advice: 'x' } }, metadata: metadata(2) }),
    ).toThrow(/does not match its schema/);
  });
});
