/**
 * Canonical JSON: `JSON.stringify` with object keys in code-unit order, so the same value always has the
 * same bytes whatever order its keys were built in. Hash chains are computed over it, and the embedded
 * store keeps event bodies in this form so that verification can hash the stored text without parsing it.
 */
export function canonicalJson(value: unknown): string {
  const out = write(value);
  if (out === undefined) throw new TypeError('canonicalJson: the value has no JSON form');
  return out;
}

function write(value: unknown): string | undefined {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'string':
      // Most strings need no escape, and then JSON.stringify would only add the quotes.
      return NEEDS_ESCAPE.test(value as string) ? JSON.stringify(value) : `"${value as string}"`;
    case 'boolean':
      return value ? 'true' : 'false';
    case 'number':
      return Number.isFinite(value) ? JSON.stringify(value) : 'null';
    case 'bigint':
      throw new TypeError('canonicalJson: a bigint has no JSON form');
    case 'object':
      return writeObject(value as object);
    default:
      // undefined, functions and symbols: dropped from objects, null in arrays, as JSON.stringify does.
      return undefined;
  }
}

function writeObject(value: object): string | undefined {
  const withToJson = value as { toJSON?: () => unknown };
  if (typeof withToJson.toJSON === 'function') return write(withToJson.toJSON());
  if (Array.isArray(value)) {
    let out = '[';
    for (let i = 0; i < value.length; i++) out += (i > 0 ? ',' : '') + (write(value[i]) ?? 'null');
    return out + ']';
  }
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record);
  if (!inOrder(keys)) keys.sort();
  let out = '{';
  let first = true;
  for (const key of keys) {
    const item = write(record[key]);
    if (item === undefined) continue;
    out += (first ? '' : ',') + quotedKey(key) + ':' + item;
    first = false;
  }
  return out + '}';
}

/** What JSON.stringify escapes in a string: `"`, `\`, control characters, and UTF-16 surrogates (it escapes a lone one). */
const NEEDS_ESCAPE = /["\\\u0000-\u001f\ud800-\udfff]/;

/** Most objects are built with their keys in order already: checking costs less than sorting. */
function inOrder(keys: readonly string[]): boolean {
  for (let i = 1; i < keys.length; i++) if (keys[i - 1]! > keys[i]!) return false;
  return true;
}

/**
 * Keys quoted once: an append writes the same few dozen keys (the events' fields) in every event. Bounded, since a
 * record with keys of its own (a map in an event's data) could bring any number.
 */
const quotedKeys = new Map<string, string>();
const MAX_QUOTED_KEYS = 4_096;

function quotedKey(key: string): string {
  let quoted = quotedKeys.get(key);
  if (quoted === undefined) {
    quoted = NEEDS_ESCAPE.test(key) ? JSON.stringify(key) : `"${key}"`;
    if (quotedKeys.size < MAX_QUOTED_KEYS) quotedKeys.set(key, quoted);
  }
  return quoted;
}
