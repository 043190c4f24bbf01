/**
 * The three metadata fields a raw read gives (`RawEvent['metadata']`), taken out of the stored metadata text. A
 * rebuild reads every event of the log: parsing each metadata whole, or asking SQLite's JSON operators for the
 * three fields, costs about as much as parsing the data (about 1.4 µs an event, a third of reading the log).
 *
 * The store writes metadata as canonical JSON (keys in code-unit order, no spaces: canonical-json.ts), so the
 * fields sit where the text can be searched for them: the actor first (`{"actor":{…`, its `sub` its last key, or
 * `system`), `"occurredAt"` and `"schemaVersion"` the last two keys. A key can only be matched where it is a key:
 * inside a JSON string every `"` is escaped, so no string holds `,"sub":"` or `,"occurredAt":"`. Each match is also
 * checked for what must surround it (the value's closing quote, the next key, the end of the text); any text that
 * does not have exactly that shape (a row written another way, a value with escapes) is parsed whole instead, which
 * gives the same fields.
 */
import type { RawEvent } from '@hru/application';

type RawMetadata = RawEvent['metadata'];

const PERSON = '{"actor":{"agency":"';
const SYSTEM = '{"actor":{"kind":"system","system":"';
const SUB = ',"sub":"';
const OCCURRED_AT = ',"occurredAt":"';
const SCHEMA_VERSION = '","schemaVersion":';
const QUOTE = 0x22;
const BACKSLASH = 0x5c;

/** The end of a string value starting at `from` (its closing quote), or -1 when it holds an escape. */
function stringEnd(text: string, from: number): number {
  for (let i = from; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === QUOTE) return i;
    if (c === BACKSLASH) return -1;
  }
  return -1;
}

function actorIdIn(text: string): string | undefined {
  let start: number;
  if (text.startsWith(PERSON)) {
    // A person's actor: agency, kind, name, roles, sub (its last key, closing the actor).
    const at = text.indexOf(SUB, PERSON.length);
    if (at < 0) return undefined;
    start = at + SUB.length;
  } else if (text.startsWith(SYSTEM)) {
    start = SYSTEM.length;
  } else {
    return undefined;
  }
  const end = stringEnd(text, start);
  // The value closes the actor, and the next top-level key follows.
  if (end < 0 || text.charCodeAt(end + 1) !== 0x7d || text.charCodeAt(end + 2) !== 0x2c) return undefined;
  return text.slice(start, end);
}

function tailIn(text: string): { occurredAt: string; schemaVersion: number } | undefined {
  const at = text.lastIndexOf(OCCURRED_AT);
  if (at < 0) return undefined;
  const start = at + OCCURRED_AT.length;
  const end = stringEnd(text, start);
  if (end < 0 || !text.startsWith(SCHEMA_VERSION, end)) return undefined;
  // A whole number and then the end of the text: the object these keys close is the top-level one.
  const digits = end + SCHEMA_VERSION.length;
  if (text.charCodeAt(text.length - 1) !== 0x7d || digits >= text.length - 1) return undefined;
  let schemaVersion = 0;
  for (let i = digits; i < text.length - 1; i++) {
    const d = text.charCodeAt(i) - 0x30;
    if (d < 0 || d > 9) return undefined;
    schemaVersion = schemaVersion * 10 + d;
  }
  if (!Number.isSafeInteger(schemaVersion)) return undefined;
  return { occurredAt: text.slice(start, end), schemaVersion };
}

/** The fields from the metadata's text, as the store wrote it or (for any other shape) parsed whole. */
export function rawMetadataOf(text: string): RawMetadata {
  const actorId = actorIdIn(text);
  const tail = actorId === undefined ? undefined : tailIn(text);
  if (actorId !== undefined && tail) return { occurredAt: tail.occurredAt, schemaVersion: tail.schemaVersion, actorId };
  return rawMetadataOfParsed(JSON.parse(text) as ParsedMetadata);
}

type ParsedMetadata = { occurredAt: string; schemaVersion: number; actor?: { sub?: string | null; system?: string } };

/** The same fields from metadata already parsed (the store's tail shares its subscriptions' parse), whatever its shape. */
export function rawMetadataOfParsed(parsed: ParsedMetadata): RawMetadata {
  return { occurredAt: parsed.occurredAt, schemaVersion: parsed.schemaVersion, actorId: (parsed.actor?.sub ?? parsed.actor?.system)! };
}
