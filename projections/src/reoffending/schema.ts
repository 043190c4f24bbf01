/**
 * Per referral: the date of its crime, who the perpetrators and victims are (party ids only), and when the
 * unit's intervention started. Re-offending is a query over these rows, so any window or period can be asked
 * for afterwards, exactly as the events would answer it.
 */
export const reoffendingTables = ['reoffending_referrals', 'reoffending_parties', 'reoffending_links'] as const;

export const reoffendingEventTypes = [
  'ReferralReceived',
  'ReferralDetailsUpdated',
  'ReferralReopened',
  'InterventionRecorded',
  'ManagementPlanAgreed',
  'DirectedToService',
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
  CREATE INDEX reoffending_referrals_by_start ON reoffending_referrals (started_on);
  CREATE INDEX reoffending_referrals_by_therapy ON reoffending_referrals (therapy_completed_on);
  CREATE TABLE reoffending_parties (
    referral_id TEXT NOT NULL,
    role        TEXT NOT NULL,  -- 'perpetrator' (suspect or offender) or 'victim'
    party_id    TEXT NOT NULL,  -- stable per person of a source system (partyIdFor), never a name
    PRIMARY KEY (referral_id, role, party_id)
  ) WITHOUT ROWID;
  CREATE INDEX reoffending_parties_by_party ON reoffending_parties (party_id, role);
  CREATE TABLE reoffending_links (
    referral_id        TEXT NOT NULL,  -- a closed case that was reopened
    linked_referral_id TEXT NOT NULL,  -- the new referral about the same perpetrator that reopened it
    PRIMARY KEY (referral_id, linked_referral_id)
  ) WITHOUT ROWID;
`;
