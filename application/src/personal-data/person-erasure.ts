/**
 * Erasing a person (DPA 2018 Part 3, s47): the erasure is logged (s62 "erasure") before anything is destroyed, then
 * the person's keys in every case and those cases' keys are destroyed, and each case records `PartyErased` so its
 * folded state, its read models and every later reader know. The log is never rewritten: what it holds about the
 * person is ciphertext nobody can open any more. Retrying after a failure at any step completes the erasure.
 */
import { NotFoundError, PartyErased } from '@hru/events';
import { AccessLog, type AccessRecord } from '../audit/access-log.js';
import { newEvent } from '../events/new-event.js';
import type { EventStore } from '../ports/event-store.js';
import type { KeyStore } from './key-store.js';

/** Who erases whom, why and when: the fields of the access-log entry the erasure writes in each case. */
export type ErasureRequest = Pick<AccessRecord, 'justification' | 'actor' | 'correlationId' | 'requestId' | 'clientRequestId' | 'at'> & {
  partyId: string;
};

export interface ErasureResult {
  partyId: string;
  /** The cases the person was part of: each recorded PartyErased, and its free text is erased too. */
  referralIds: string[];
  /** Live keys destroyed by this request (0 when a previous request already erased the person). */
  keysDestroyed: number;
  erasedAt: string;
}

export class PersonErasure {
  private readonly accessLog: AccessLog;

  constructor(
    private readonly store: EventStore,
    private readonly keys: KeyStore,
  ) {
    this.accessLog = new AccessLog(store);
  }

  async erase(request: ErasureRequest): Promise<ErasureResult> {
    const referralIds = await this.keys.casesOf(request.partyId);
    if (referralIds.length === 0) throw new NotFoundError('Person', request.partyId);
    // One entry per case, so each case's access log shows that its personal data was erased, and for whom.
    for (const referralId of referralIds) {
      await this.accessLog.record({
        referralId,
        partyId: request.partyId,
        resource: 'person',
        erasure: true,
        justification: request.justification,
        actor: request.actor,
        correlationId: request.correlationId,
        requestId: request.requestId,
        clientRequestId: request.clientRequestId,
        at: request.at,
      });
    }
    const { destroyed } = await this.keys.destroyPerson(request.partyId);
    const occurredAt = request.at.toISOString();
    // PartyErased folds into a referral; the person's other streams (links, tasking decisions) need no fact of it:
    // their text is sealed under the case key just destroyed, and reads back erased.
    for (const referralId of referralIds.filter((id) => id.startsWith('ref-'))) {
      await this.store.appendToStream(referralId, [
        newEvent(PartyErased.type, { referralId, partyId: request.partyId }, {
          actor: request.actor,
          correlationId: request.correlationId,
          causationId: request.requestId,
          occurredAt,
        }),
      ]);
    }
    return { partyId: request.partyId, referralIds, keysDestroyed: destroyed, erasedAt: occurredAt };
  }
}
