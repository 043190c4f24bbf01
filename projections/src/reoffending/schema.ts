/**
 * Per referral: the date of its crime, who the perpetrators and victims are (party ids only), and when the
 * unit's intervention started. Each cohort member's first re-offence (whatever the window: ./members-schema.ts) is
 * kept from these rows, and the members counted by day, so a year's rates for any window are a sum (./members.ts).
 */
import { membersSchema } from './members-schema.js';
import { staffTimeSchema } from './staff-time.js';

export const reoffendingTables = [
  'reoffending_referrals',
  'reoffending_parties',
  'reoffending_links',
  'reoffending_links_back',
  'reoffending_members',
  'reoffending_daily',
  'reoffending_offences',
  'reoffending_by_start',
  'reoffending_first_of',
  'reoffending_staff_minutes',
  'reoffending_staff_daily',
] as const;

export const reoffendingEventTypes = [
  'ReferralReceived',
  'ReferralDetailsUpdated',
  'ReferralReopened',
  'InterventionRecorded',
  'ManagementPlanAgreed',
  'DirectedToService',
  'TimeLogged',
] as const;
export type ReoffendingEventType = (typeof reoffendingEventTypes)[number];

export const reoffendingSchema = `
  CREATE TABLE reoffending_referrals (
    referral_id          TEXT PRIMARY KEY,
    crime_on             TEXT NOT NULL,     -- ISO date the source system recorded the crime
    problem_behaviour    TEXT NOT NULL,
    breach_of_order      INTEGER NOT NULL,  -- 1 when the intake flagged a breach of an order
    started_on           TEXT,              -- first intervention, management plan or direction to a service
    therapy_completed_on TEXT               -- first completed therapeutic intervention for the perpetrator
  ) WITHOUT ROWID;
  CREATE TABLE reoffending_parties (
    referral_id TEXT NOT NULL,
    role        TEXT NOT NULL,  -- 'perpetrator' (suspect or offender) or 'victim'
    party_id    TEXT NOT NULL,  -- stable per person of a source system (partyIdFor), never a name
    PRIMARY KEY (referral_id, role, party_id)
  ) WITHOUT ROWID;
  CREATE TABLE reoffending_links (
    referral_id        TEXT NOT NULL,  -- a closed case that was reopened
    linked_referral_id TEXT NOT NULL,  -- the new referral about the same perpetrator that reopened it
    PRIMARY KEY (referral_id, linked_referral_id)
  ) WITHOUT ROWID;
  CREATE TABLE reoffending_links_back (  -- reoffending_links the other way: which cases a referral reopened
    linked_referral_id TEXT NOT NULL,
    referral_id        TEXT NOT NULL,
    PRIMARY KEY (linked_referral_id, referral_id)
  ) WITHOUT ROWID;
  ${membersSchema};
  ${staffTimeSchema};
`;
