/** Who a referral's parties are for re-offending, and the breach flag, shared by `apply` and the shadow applier. */
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

export const breach = (indicators: readonly RiskIndicator[]) => (indicators.includes('breach_of_order') ? 1 : 0);
