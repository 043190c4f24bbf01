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

export function replaceParties(db: Database.Database, referralId: string, parties: readonly Party[]): void {
  statement(db, 'DELETE FROM reoffending_parties WHERE referral_id = ?').run(referralId);
  for (const party of parties) {
    const role = roleOf(party);
    if (role) statement(db, 'INSERT OR IGNORE INTO reoffending_parties VALUES (?, ?, ?)').run(referralId, role, party.partyId);
  }
}

/** A reopening's link, both ways round; true when it is new. */
export function link(db: Database.Database, referralId: string, linkedReferralId: string): boolean {
  statement(db, 'INSERT OR IGNORE INTO reoffending_links_back VALUES (?, ?)').run(linkedReferralId, referralId);
  return statement(db, 'INSERT OR IGNORE INTO reoffending_links VALUES (?, ?)').run(referralId, linkedReferralId).changes > 0;
}

export const breach = (indicators: readonly RiskIndicator[]) => (indicators.includes('breach_of_order') ? 1 : 0);
