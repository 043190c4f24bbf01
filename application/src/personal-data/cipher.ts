/**
 * Seals and opens the `personal` section of events (the convention is in events/src/personal.ts): each person
 * under their own key in that case, the case's free text under the case key, AES-256-GCM with a fresh 96-bit nonce per part and
 * the stream id, the event id and the key id as associated data, so a ciphertext cannot be moved to another event
 * or stream without failing authentication. What is stored:
 *
 *   personal: { $sealed: 1, case?: Part, people?: Part[] }     Part = { k: keyId, iv, ct } (base64; ct ends in the tag)
 *
 * Opening a part whose key is gone gives the erased form (`{erased: true}`, `{partyId, erased: true}`); a part
 * whose key is present but does not authenticate is tampering (or the wrong key-encryption key) and fails loudly.
 */
import { createCipheriv, createDecipheriv } from 'node:crypto';
import { PersonalDataIntegrityError } from '@hru/events';
import { caseSubject, partySubject, type DataKey, type KeyStore } from './key-store.js';
import { randomBytesFromPool } from './random-pool.js';

interface SealedPart {
  k: string;
  iv: string;
  ct: string;
}

interface SealedPersonal {
  $sealed: 1;
  case?: SealedPart;
  people?: SealedPart[];
}

/** What the cipher needs of an event: where it lives and its data. */
export interface CipherEvent {
  streamId: string;
  eventId: string;
  data: unknown;
}

type Personal = Record<string, unknown> & { people?: unknown[] };

const ALGORITHM = 'aes-256-gcm';
const TAG_BYTES = 16;

export function isSealed(personal: unknown): personal is SealedPersonal {
  return typeof personal === 'object' && personal !== null && (personal as { $sealed?: unknown }).$sealed === 1;
}

function personalOf(data: unknown): Personal | undefined {
  if (typeof data !== 'object' || data === null) return undefined;
  const personal = (data as { personal?: unknown }).personal;
  return typeof personal === 'object' && personal !== null && !isSealed(personal) ? (personal as Personal) : undefined;
}

function referralIdOf(data: unknown, streamId: string): string {
  const id = (data as { referralId?: unknown }).referralId;
  return typeof id === 'string' ? id : streamId;
}

function partyIdOf(person: unknown): string {
  const id = (person as { partyId?: unknown } | null)?.partyId;
  if (typeof id !== 'string' || id.length === 0) throw new TypeError('a person under personal.people has no partyId');
  return id;
}

function caseFieldsOf(personal: Personal): Record<string, unknown> | undefined {
  const { people: _people, ...fields } = personal;
  return Object.keys(fields).length > 0 ? fields : undefined;
}

function associatedData(streamId: string, eventId: string, keyId: string): Buffer {
  return Buffer.from(`hru-personal-v1\u0000${streamId}\u0000${eventId}\u0000${keyId}`, 'utf8');
}

function encrypt(key: DataKey, plain: unknown, aad: Buffer): SealedPart {
  const iv = randomBytesFromPool(12);
  const cipher = createCipheriv(ALGORITHM, key.key, iv);
  cipher.setAAD(aad);
  const body = Buffer.concat([cipher.update(JSON.stringify(plain), 'utf8'), cipher.final(), cipher.getAuthTag()]);
  return { k: key.id, iv: iv.toString('base64'), ct: body.toString('base64') };
}

function decrypt(key: Buffer, part: SealedPart, aad: Buffer, where: string): unknown {
  const body = Buffer.from(part.ct, 'base64');
  try {
    const decipher = createDecipheriv(ALGORITHM, key, Buffer.from(part.iv, 'base64'));
    decipher.setAAD(aad);
    decipher.setAuthTag(body.subarray(body.length - TAG_BYTES));
    const plain = Buffer.concat([decipher.update(body.subarray(0, body.length - TAG_BYTES)), decipher.final()]);
    return JSON.parse(plain.toString('utf8'));
  } catch {
    throw new PersonalDataIntegrityError(where, part.k);
  }
}

/** `party:<partyId>@<referralId>#<generation>` → the party id, for the erased form. */
const partyIdOfKey = (keyId: string) => keyId.slice('party:'.length, keyId.indexOf('@'));

export class PersonalDataCipher {
  constructor(private readonly keys: KeyStore) {}

  /**
   * Returns the events with their `personal` sections sealed (events without one are returned as they are).
   * `newStream`: the append creates the events' stream, so the keys of its own case cannot exist yet.
   */
  async seal<E extends CipherEvent>(events: readonly E[], newStream = false): Promise<E[]> {
    const subjects = new Set<string>();
    const unseen = new Set<string>();
    for (const event of events) {
      const personal = personalOf(event.data);
      if (!personal) continue;
      const referralId = referralIdOf(event.data, event.streamId);
      const own = newStream && referralId === event.streamId;
      const add = (subject: string) => {
        subjects.add(subject);
        if (own) unseen.add(subject);
      };
      add(caseSubject(referralId));
      for (const person of personal.people ?? []) add(partySubject(partyIdOf(person), referralId));
    }
    if (subjects.size === 0) return [...events];
    const keys = await this.keys.currentKeys([...subjects], { unseen });
    return events.map((event) => {
      const personal = personalOf(event.data);
      if (!personal) return event;
      const referralId = referralIdOf(event.data, event.streamId);
      const aad = (keyId: string) => associatedData(event.streamId, event.eventId, keyId);
      const sealed: SealedPersonal = { $sealed: 1 };
      const fields = caseFieldsOf(personal);
      if (fields) {
        const key = keys.get(caseSubject(referralId))!;
        sealed.case = encrypt(key, fields, aad(key.id));
      }
      if (personal.people) {
        sealed.people = personal.people.map((person) => {
          const key = keys.get(partySubject(partyIdOf(person), referralId))!;
          return encrypt(key, person, aad(key.id));
        });
      }
      return { ...event, data: { ...(event.data as object), personal: sealed } };
    });
  }

  /** Returns the events with their `personal` sections opened, or in their erased form where a key is gone. */
  open<E extends CipherEvent>(events: readonly E[]): Promise<E[]> {
    return this.openParts(events, true);
  }

  /**
   * Returns the events with only the people of their `personal` sections opened (`personal: {people}`, each person
   * in clear or erased), the case's free text left out and never decrypted: for the case search's blind index, which
   * keys names and references and reads nothing else.
   */
  openPeople<E extends CipherEvent>(events: readonly E[]): Promise<E[]> {
    return this.openParts(events, false);
  }

  private async openParts<E extends CipherEvent>(events: readonly E[], withCase: boolean): Promise<E[]> {
    const ids = new Set<string>();
    for (const event of events) {
      const sealed = (event.data as { personal?: unknown } | null)?.personal;
      if (!isSealed(sealed)) continue;
      if (withCase && sealed.case) ids.add(sealed.case.k);
      for (const part of sealed.people ?? []) ids.add(part.k);
    }
    if (ids.size === 0) return [...events];
    const keys = await this.keys.keysById([...ids]);
    return events.map((event) => {
      const sealed = (event.data as { personal?: unknown }).personal;
      if (!isSealed(sealed)) return event;
      const where = `${event.streamId}/${event.eventId}`;
      const read = (part: SealedPart) => {
        const key = keys.get(part.k);
        return key ? decrypt(key, part, associatedData(event.streamId, event.eventId, part.k), where) : undefined;
      };
      const personal: Personal = {};
      if (withCase && sealed.case) Object.assign(personal, (read(sealed.case) as Record<string, unknown> | undefined) ?? { erased: true });
      if (sealed.people) personal.people = sealed.people.map((part) => read(part) ?? { partyId: partyIdOfKey(part.k), erased: true });
      return { ...event, data: { ...(event.data as object), personal } };
    });
  }
}
