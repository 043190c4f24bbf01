/**
 * An optional capability of an event store: the referrals received in a period (their ids and times of receipt),
 * from an index, so that a reader of a month's cases (the research extract) reads those cases' streams and not the
 * whole log. The embedded store has it; a store without it is read from the start.
 */
import { storeWithCapability, type EventStore } from './event-store.js';

export interface ReceivedReferral {
  referralId: string;
  /** The ReferralReceived event's `occurredAt`. */
  occurredAt: string;
}

export interface ReceiptIndex {
  /** `occurredAt` compared as text: from inclusive, to exclusive. A caller widens the bounds and checks each time. */
  referralsReceivedBetween(from: string, to: string): Promise<ReceivedReferral[]>;
}

/**
 * The store that has the index, or the one a wrapper holds (the encrypting store): streams are then read from it
 * sealed, which a reader of non-personal facts wants anyway.
 */
export function receiptIndexOf(store: EventStore): (ReceiptIndex & EventStore) | undefined {
  return storeWithCapability<ReceiptIndex>(store, 'referralsReceivedBetween');
}
