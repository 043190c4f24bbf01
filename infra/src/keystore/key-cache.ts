/**
 * What both key stores (keys.sqlite and the shared PostgreSQL one) do alike, apart from where the rows are: the
 * subjects key ids name, the bindings an id list asks for, and the in-memory cache of unwrapped keys with each
 * subject's current key, from which a destroyed key is dropped.
 */
import { LruCache, POOL_GENERATION_BASE, parseKeyId, type DataKey } from '@hru/application';

/** `case:<referralId>` or `party:<partyId>@<referralId>`, as its parts. */
export function parseSubject(subject: string): { partyId: string | null; referralId: string } {
  const parts = subjectParts(subject);
  if (!parts) throw new TypeError(`not a key subject: ${subject}`);
  return parts;
}

/** parseSubject without the throw, by index rather than a regular expression: the follower binds thousands at a time. */
function subjectParts(subject: string): { partyId: string | null; referralId: string } | undefined {
  if (subject.startsWith('case:')) return { partyId: null, referralId: subject.slice('case:'.length) };
  if (!subject.startsWith('party:')) return undefined;
  const at = subject.indexOf('@', 'party:'.length);
  // A party id of at least one character, then a referral id of at least one.
  if (at <= 'party:'.length || at === subject.length - 1) return undefined;
  return { partyId: subject.slice('party:'.length, at), referralId: subject.slice(at + 1) };
}

export interface Binding {
  subject: string;
  generation: number;
  partyId: string | null;
  referralId: string;
}

/**
 * The pool keys among `keyIds`, each with the subject to bind it to. An id that names no subject of ours (only a
 * hand-made event could hold one) is skipped: it must not stop the reading that erasures wait for.
 */
export function bindingsOf(keyIds: readonly string[]): Binding[] {
  const bindings: Binding[] = [];
  for (const id of keyIds) {
    const parsed = parseKeyId(id);
    if (!parsed || parsed.generation <= POOL_GENERATION_BASE) continue;
    const parts = subjectParts(parsed.subject);
    if (parts) bindings.push({ subject: parsed.subject, generation: parsed.generation, partyId: parts.partyId, referralId: parts.referralId });
  }
  return bindings;
}

/** Unwrapped keys by id (`subject#generation`), and the current key id of each subject seen lately; both bounded. */
export class KeyCache {
  private readonly byId: LruCache<string, Buffer>;
  private readonly current: LruCache<string, string>;

  constructor(size = 20_000) {
    this.byId = new LruCache(size);
    this.current = new LruCache(size);
  }

  /** The subjects' current keys held here, and the subjects that must be looked up. */
  currentOf(subjects: readonly string[]): { keys: Map<string, DataKey>; missing: string[] } {
    const keys = new Map<string, DataKey>();
    const missing: string[] = [];
    for (const subject of subjects) {
      const id = this.current.get(subject);
      const key = id === undefined ? undefined : this.byId.get(id);
      if (id !== undefined && key) keys.set(subject, { id, key });
      else missing.push(subject);
    }
    return { keys, missing };
  }

  key(id: string): Buffer | undefined {
    return this.byId.get(id);
  }

  /** A key found or made; with `subject`, it is that subject's current key. */
  remember(id: string, key: Buffer, subject?: string): void {
    this.byId.set(id, key);
    if (subject !== undefined) this.current.set(subject, id);
  }

  /** A destroyed key (or one destroyed elsewhere): never served from here again. */
  forget(subject: string, generation: number | string): void {
    this.byId.delete(`${subject}#${generation}`);
    this.current.delete(subject);
  }
}
