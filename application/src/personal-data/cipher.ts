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
import { JustSealed } from './just-sealed.js';

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

/** `plain` is the part's JSON. Plain functions, no closures, on this path: it runs three times per intake. */
function encrypt(key: DataKey, plain: string, streamId: string, eventId: string): SealedPart {
  const iv = randomBytesFromPool(12);
  const cipher = createCipheriv(ALGORITHM, key.key, iv);
  cipher.setAAD(associatedData(streamId, eventId, key.id));
  const body = cipher.update(plain, 'utf8');
  // GCM's final() yields no bytes; the tag follows the body.
  cipher.final();
  return { k: key.id, iv: iv.toString('base64'), ct: Buffer.concat([body, cipher.getAuthTag()], body.length + TAG_BYTES).toString('base64') };
}

function decrypt(key: Buffer, part: SealedPart, streamId: string, eventId: string): unknown {
  const body = Buffer.from(part.ct, 'base64');
  try {
    const decipher = createDecipheriv(ALGORITHM, key, Buffer.from(part.iv, 'base64'));
    decipher.setAAD(associatedData(streamId, eventId, part.k));
    decipher.setAuthTag(body.subarray(body.length - TAG_BYTES));
    const plain = Buffer.concat([decipher.update(body.subarray(0, body.length - TAG_BYTES)), decipher.final()]);
    return JSON.parse(plain.toString('utf8'));
  } catch {
    throw new PersonalDataIntegrityError(`${streamId}/${eventId}`, part.k);
  }
}

/** `party:<partyId>@<referralId>#<generation>` → the party id, for the erased form. */
const partyIdOfKey = (keyId: string) => keyId.slice('party:'.length, keyId.indexOf('@'));

export class PersonalDataCipher {
  /** People sealed here and not opened yet, in clear for a moment (just-sealed.ts). */
  private readonly justSealed = new JustSealed();

  constructor(private readonly keys: KeyStore) {}

  /** Keys were destroyed: drops every person held in clear since sealing (they would read erased anyway). */
  forgetSealed(): void {
    this.justSealed.clear();
  }

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
      const caseKey = caseSubject(referralId);
      subjects.add(caseKey);
      if (own) unseen.add(caseKey);
      for (const person of personal.people ?? []) {
        const subject = partySubject(partyIdOf(person), referralId);
        subjects.add(subject);
        if (own) unseen.add(subject);
      }
    }
    if (subjects.size === 0) return [...events];
    const keys = await this.keys.currentKeys([...subjects], { unseen });
    const sealedEvents: E[] = [];
    for (const event of events) {
      const personal = personalOf(event.data);
      if (!personal) {
        sealedEvents.push(event);
        continue;
      }
      const { streamId, eventId } = event;
      const referralId = referralIdOf(event.data, streamId);
      const sealed: SealedPersonal = { $sealed: 1 };
      const fields = caseFieldsOf(personal);
      if (fields) sealed.case = encrypt(keys.get(caseSubject(referralId))!, JSON.stringify(fields), streamId, eventId);
      if (personal.people) {
        const people: SealedPart[] = [];
        for (const person of personal.people) {
          const plain = JSON.stringify(person);
          const part = encrypt(keys.get(partySubject(partyIdOf(person), referralId))!, plain, streamId, eventId);
          this.justSealed.remember(part.iv, { keyId: part.k, ct: part.ct, streamId, eventId, plain });
          people.push(part);
        }
        sealed.people = people;
      }
      sealedEvents.push({ ...event, data: { ...(event.data as object), personal: sealed } });
    }
    return sealedEvents;
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
    // Asked even for people sealed here a moment ago: a part reads in clear only while its key is live.
    const keys = await this.keys.keysById([...ids]);
    const openedEvents: E[] = [];
    for (const event of events) {
      const sealed = (event.data as { personal?: unknown }).personal;
      if (!isSealed(sealed)) {
        openedEvents.push(event);
        continue;
      }
      const { streamId, eventId } = event;
      const personal: Personal = {};
      if (withCase && sealed.case) {
        const key = keys.get(sealed.case.k);
        Object.assign(personal, key ? (decrypt(key, sealed.case, streamId, eventId) as Record<string, unknown>) : { erased: true });
      }
      if (sealed.people) {
        const people: unknown[] = [];
        for (const part of sealed.people) people.push(this.openPerson(keys.get(part.k), part, streamId, eventId));
        personal.people = people;
      }
      openedEvents.push({ ...event, data: { ...(event.data as object), personal } });
    }
    return openedEvents;
  }

  private openPerson(key: Buffer | undefined, part: SealedPart, streamId: string, eventId: string): unknown {
    // Taken either way: an entry whose key has gone must not stay in memory.
    const plain = this.justSealed.take(part, streamId, eventId);
    if (!key) return { partyId: partyIdOfKey(part.k), erased: true };
    return plain !== undefined ? JSON.parse(plain) : decrypt(key, part, streamId, eventId);
  }
}
