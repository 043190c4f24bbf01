/** Who a referral's parties are for re-offending, the breach flag, and the links of reopened cases. */
import type Database from 'better-sqlite3';
import type { Party, RiskIndicator } from '@hru/events';
import { statement } from '../framework/statements.js';

/** Suspects and convicted offenders are both "the perpetrator"; witnesses play no part in re-offending. */
function roleOf(party: Party): 'perpetrator' | 'victim' | null {
  switch (party.category) {
    case 'suspect':
    case 'offender':
      return 'perpetrator';
    case 'victim':
      return 'victim';
    case 'witness':
      return null;
    default:
      return party.category satisfies never;
  }
}

/** The referral's parties, and the same rows by party (`reoffending_party_referrals`, for finding others' referrals). */
export function replaceParties(db: Database.Database, referralId: string, parties: readonly Party[]): void {
  const old = statement<[string], { role: string; party_id: string }>(db, 'SELECT role, party_id FROM reoffending_parties WHERE referral_id = ?').all(referralId);
  for (const o of old) statement(db, 'DELETE FROM reoffending_party_referrals WHERE party_id = ? AND role = ? AND referral_id = ?').run(o.party_id, o.role, referralId);
  statement(db, 'DELETE FROM reoffending_parties WHERE referral_id = ?').run(referralId);
  for (const party of parties) {
    const role = roleOf(party);
    if (!role) continue;
    statement(db, 'INSERT OR IGNORE INTO reoffending_parties VALUES (?, ?, ?)').run(referralId, role, party.partyId);
    statement(db, 'INSERT OR IGNORE INTO reoffending_party_referrals VALUES (?, ?, ?)').run(party.partyId, role, referralId);
  }
}

/** A reopening's link, both ways round. */
export function link(db: Database.Database, referralId: string, linkedReferralId: string): void {
  statement(db, 'INSERT OR IGNORE INTO reoffending_links VALUES (?, ?)').run(referralId, linkedReferralId);
  statement(db, 'INSERT OR IGNORE INTO reoffending_links_back VALUES (?, ?)').run(linkedReferralId, referralId);
}

export const breach = (indicators: readonly RiskIndicator[]) => (indicators.includes('breach_of_order') ? 1 : 0);
