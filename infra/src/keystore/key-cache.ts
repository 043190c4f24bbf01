/**
 * What both key stores (keys.sqlite and the shared PostgreSQL one) do alike, apart from where the rows are: the
 * subjects key ids name, the bindings an id list asks for, and the in-memory cache of unwrapped keys with each
 * subject's current key, from which a destroyed key is dropped.
 */
import { LruCache, POOL_GENERATION_BASE, parseKeyId, type DataKey } from '@hru/application';

/** `case:<referralId>` or `party:<partyId>@<referralId>`, as its parts. */
export function parseSubject(subject: string): { partyId: string | null; referralId: string } {
  if (subject.startsWith('case:')) return { partyId: null, referralId: subject.slice('case:'.length) };
  const match = /^party:([^@]+)@(.+)$/.exec(subject);
  if (!match) throw new TypeError(`not a key subject: ${subject}`);
  return { partyId: match[1]!, referralId: match[2]! };
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
  return keyIds.flatMap((id) => {
    const parsed = parseKeyId(id);
    if (!parsed || parsed.generation <= POOL_GENERATION_BASE) return [];
    try {
      return [{ ...parsed, ...parseSubject(parsed.subject) }];
    } catch {
      return [];
    }
  });
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
