/** Referrals with chosen perpetrator and victim party ids, crime dates and indicators, for re-offending specs. */
import type { NewEvent } from '@hru/application';
import { event } from './history.js';

type ProblemBehaviour = 'stalking' | 'serial_domestic_abuse' | 'sexual_violence' | 'querulance';

export interface CrimeFacts {
  perpetrator: string;
  victim: string;
  /** The day the source system recorded the crime. */
  recordedOn: string;
  /** The day the unit received it; the recorded day unless a late referral is being modelled. */
  receivedOn?: string;
  problemBehaviour?: ProblemBehaviour;
  breachOfOrder?: boolean;
  perpetratorCategory?: 'suspect' | 'offender';
  system?: string;
}

export function crime(id: string, facts: CrimeFacts): NewEvent {
  return event(
    'ReferralReceived',
    {
      referralId: id,
      source: { system: facts.system ?? 'niche', crimeReference: `CC/${id.slice(-6)}`, recordedAt: `${facts.recordedOn}T10:00:00Z` },
      offences: [{ code: '8/65', description: 'Stalking involving fear of violence', principal: true }],
      problemBehaviour: facts.problemBehaviour ?? 'stalking',
      parties: [
        { partyId: facts.victim, category: 'victim' },
        { partyId: facts.perpetrator, category: facts.perpetratorCategory ?? 'suspect' },
        { partyId: `${facts.victim}-witness`, category: 'witness' },
      ],
      risk: {},
      indicators: facts.breachOfOrder ? ['breach_of_order'] : [],
      personal: { people: [] },
    },
    `${facts.receivedOn ?? facts.recordedOn}T10:00:00Z`,
  );
}

export function timeLogged(id: string, on: string, agency: string, minutes: number): NewEvent {
  return event('TimeLogged', { referralId: id, agency, minutes, personal: { activity: 'case work' } }, `${on}T15:00:00Z`);
}
