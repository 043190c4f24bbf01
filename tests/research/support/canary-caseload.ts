/**
 * A small caseload for the research extract, planted through the intake API and the command routes with canary
 * names, a date of birth, narrative, person references, crime references, staff ids and a free-text line in
 * every field that takes one, so a test can prove that none of it reaches the extract.
 */
import { expect } from 'vitest';
import { staffRoles } from '@hru/events';
import { apiKey, bearer, intakeBody, type TestApp } from '../../support/test-app.js';

export const canary = {
  victimName: 'Canaryvictim Zyzzogeton',
  otherVictimName: 'Canaryother Quagga',
  suspectName: 'Canarysuspect Quixotry',
  dateOfBirth: '1911-11-11',
  summary: 'CANARY-NARRATIVE-5e1f reported contact at the bus depot',
  offenceDescription: 'CANARY-OFFENCE-DESCRIPTION-31c9',
  victimRef: 'P-CANARY-V-0001',
  otherVictimRef: 'P-CANARY-V-0002',
  suspectRef: 'P-CANARY-S-0003',
  crimeReferences: ['CANARY/26/000777', 'CANARY/26/000778', 'CANARY/26/000779'],
  staffSub: 'canary.staff.sub.9f3',
  recipient: 'CANARY-RECIPIENT Dr Nobody',
  /** Every free-text field of a command gets one of these. */
  text: (field: string) => `CANARY-TEXT-${field}-e7d1`,
};

/** The date of birth in every spelling a careless export could give it, and its month. */
export const dateOfBirthSpellings = ['1911-11-11', '11/11/1911', '1911/11/11', '19111111', '11.11.1911', '11-11-1911', '1911-11'];

export interface PlantedCaseload {
  /** Received 2026-03, worked through to closure, then reopened by `repeat`. */
  worked: string;
  /** Received 2026-04: the same perpetrator, another victim. */
  repeat: string;
  /** Received 2026-07 (outside March-May): the first case's victim again. */
  later: string;
}

export async function plantCaseload(t: TestApp, clock: { at: Date }): Promise<PlantedCaseload> {
  const staff = await t.token(staffRoles.filter((r) => r !== 'admin' && r !== 'data_protection'), canary.staffSub);
  const intake = async (at: string, crimeReference: string, victim: { ref: string; name: string }, extra: Record<string, unknown> = {}) => {
    clock.at = new Date(at);
    const res = await t.app.inject({
      method: 'POST',
      url: '/v1/referrals',
      headers: apiKey(),
      payload: intakeBody(
        {
          summary: canary.summary,
          offences: [
            { code: '8/65', description: canary.offenceDescription, principal: true },
            { code: '105A', description: canary.offenceDescription, principal: false },
          ],
          victim: { ...victim, dateOfBirth: canary.dateOfBirth },
          suspect: { ref: canary.suspectRef, name: canary.suspectName },
          ...extra,
        },
        crimeReference,
      ),
    });
    expect(res.statusCode, res.body).toBe(201);
    return res.json().referralId as string;
  };
  const send = async (id: string, command: string, payload: object) => {
    const res = await t.app.inject({ method: 'POST', url: `/v1/referrals/${id}/commands/${command}`, headers: bearer(staff), payload });
    expect(res.statusCode, `${command}: ${res.body}`).toBe(200);
  };

  // Recorded at 23:30 on 28 February at UTC-1, which is 1 March in UTC: the months are UTC months.
  const worked = await intake('2026-03-14T09:30:00Z', canary.crimeReferences[0]!, { ref: canary.victimRef, name: canary.victimName }, {
    source: { system: 'niche', crimeReference: canary.crimeReferences[0], recordedAt: '2026-02-28T23:30:00-01:00' },
    indicators: ['escalating'],
  });
  await send(worked, 'triage', { decision: 'proceed', reason: canary.text('triage') });
  await send(worked, 'raise-urgent-action', { reason: canary.text('urgent') });
  await send(worked, 'acknowledge-urgent-action', { alertId: `${worked}.ua1`, note: canary.text('ack') });
  await send(worked, 'screen', { decision: 'adopt', reason: canary.text('screen') });
  await send(worked, 'schedule-case-discussion', { scheduledFor: '2026-03-20T10:00:00Z', invitedAgencies: ['probation'] });
  await send(worked, 'record-case-discussion', {
    discussionId: 'cd1',
    heldAt: '2026-03-20T10:00:00Z',
    attendees: [{ agency: 'police', discipline: 'police' }],
    decisions: [canary.text('decision')],
  });
  await send(worked, 'formulate', { stalkerType: 'rejected', rationale: canary.text('formulation') });
  await send(worked, 'record-risk-assessment', {
    assessedOn: '2026-03-21',
    dashYesCount: 15,
    sdashAnswers: [true, true, true, false, false, false, false, false, false, false, true],
    srp: { violence: 'high', persistence: 'moderate', recurrence: 'high', psychosocialDamage: 'low' },
    rationale: canary.text('assessment'),
  });
  await send(worked, 'agree-management-plan', {
    actions: [
      { kind: 'victim_safety_planning', description: canary.text('action'), owner: { sub: canary.staffSub, agency: 'police' }, dueDate: '2026-04-01' },
      { kind: 'therapeutic_intervention', description: canary.text('action2'), owner: { sub: canary.staffSub, agency: 'nhs' }, dueDate: '2026-04-02' },
    ],
  });
  await send(worked, 'complete-plan-action', { actionId: 'p1.a1', note: canary.text('completed') });
  await send(worked, 'direct-to-service', { service: 'mappa', reason: canary.text('direct') });
  await send(worked, 'record-intervention', { intervention: { kind: 'mappa_support', category: 2, level: 3 }, occurredOn: '2026-04-17' });
  await send(worked, 'record-intervention', { intervention: { kind: 'victim_advocate_contact', outcome: 'engaged' }, occurredOn: '2026-05-02' });
  await send(worked, 'record-crime-outcome', { crimeReference: canary.crimeReferences[0], outcomeCode: '1', outcomeDate: '2026-06-09' });
  await send(worked, 'log-time', { agency: 'police', minutes: 90, activity: canary.text('activity') });
  await send(worked, 'review', { summary: canary.text('review'), nextReviewDue: '2026-07-01' });
  const disclosed = await t.app.inject({
    method: 'POST',
    url: `/v1/referrals/${worked}/disclosures`,
    headers: bearer(staff),
    payload: { recipients: [canary.recipient], gateway: 'safeguarding', agencies: ['probation'], justification: canary.text('disclosure') },
  });
  expect(disclosed.statusCode, disclosed.body).toBe(200);
  clock.at = new Date('2026-03-30T16:45:00Z');
  await send(worked, 'close', { reason: canary.text('close') });

  const repeat = await intake('2026-04-02T11:00:00Z', canary.crimeReferences[1]!, { ref: canary.otherVictimRef, name: canary.otherVictimName });
  await send(worked, 'reopen', { linkedReferralId: repeat, reason: canary.text('reopen') });
  const later = await intake('2026-07-01T08:00:00Z', canary.crimeReferences[2]!, { ref: canary.victimRef, name: canary.victimName });
  return { worked, repeat, later };
}

/** Every planted string that must not reach an extract, and the ids behind the pseudonyms. */
export function forbiddenIn(planted: PlantedCaseload): string[] {
  const texts = ['triage', 'urgent', 'ack', 'screen', 'decision', 'formulation', 'assessment', 'action', 'action2', 'completed', 'direct', 'activity', 'review', 'disclosure', 'close', 'reopen'];
  return [
    canary.victimName,
    canary.otherVictimName,
    canary.suspectName,
    // Surnames alone too, and the narrative's marker.
    'Zyzzogeton',
    'Quixotry',
    'Quagga',
    canary.summary,
    'CANARY',
    canary.offenceDescription,
    canary.victimRef,
    canary.otherVictimRef,
    canary.suspectRef,
    ...canary.crimeReferences,
    ...canary.crimeReferences.map((r) => r.toLowerCase()),
    canary.staffSub,
    canary.recipient,
    ...texts.map(canary.text),
    ...dateOfBirthSpellings,
    planted.worked,
    planted.repeat,
    planted.later,
    // The hex of a referral id without its prefix, in case a pseudonym were built from it.
    planted.worked.slice(4),
  ];
}
