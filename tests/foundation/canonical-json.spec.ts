/**
 * Canonical JSON is what the hash chains cover and what the embedded store keeps: its bytes must never change for a
 * value. The writer skips work where it can (strings with nothing to escape, keys already in order, keys quoted
 * once); these check it against the plain writer it replaced, JSON.stringify for every leaf and key with the keys
 * sorted, over any JSON value, strings with every kind of code unit (lone surrogates and control characters
 * included), keys in any order, and the values JSON.stringify drops or turns into null.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalJson } from '../../infra/src/audit/integrity/canonical-json.js';

/** The writer as it was before it skipped anything: the reference. */
function reference(value: unknown): string | undefined {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return JSON.stringify(value);
    case 'number':
      return Number.isFinite(value) ? JSON.stringify(value) : 'null';
    case 'object': {
      const withToJson = value as { toJSON?: () => unknown };
      if (typeof withToJson.toJSON === 'function') return reference(withToJson.toJSON());
      if (Array.isArray(value)) return `[${value.map((item) => reference(item) ?? 'null').join(',')}]`;
      const record = value as Record<string, unknown>;
      const parts: string[] = [];
      for (const key of Object.keys(record).sort()) {
        const item = reference(record[key]);
        if (item !== undefined) parts.push(`${JSON.stringify(key)}:${item}`);
      }
      return `{${parts.join(',')}}`;
    }
    default:
      return undefined;
  }
}

/** Strings of any UTF-16 code units: escapes, control characters, lone and paired surrogates, U+2028. */
const codeUnits = fc
  .array(
    fc.oneof(
      fc.integer({ min: 0, max: 0xffff }),
      fc.constantFrom(0x22, 0x5c, 0x00, 0x1f, 0x7f, 0x2028, 0xd800, 0xdbff, 0xdc00, 0xdfff),
      fc.integer({ min: 0x20, max: 0x7e }),
    ),
    { maxLength: 12 },
  )
  .map((units) => String.fromCharCode(...units));
const text = fc.oneof(codeUnits, fc.string({ unit: 'binary' }), fc.string());

const value = fc.letrec((tie) => ({
  any: fc.oneof(
    { depthSize: 'small' },
    text,
    fc.boolean(),
    fc.double(),
    fc.integer(),
    fc.constant(null),
    fc.constant(undefined),
    fc.date({ noInvalidDate: true }),
    fc.array(tie('any'), { maxLength: 5 }),
    fc.dictionary(text, tie('any'), { maxKeys: 6 }),
  ),
})).any;

describe('canonical JSON', () => {
  it('writes every value byte for byte as the plain writer does', () => {
    fc.assert(
      fc.property(value, (v) => {
        if (reference(v) === undefined) expect(() => canonicalJson(v)).toThrow(TypeError);
        else expect(canonicalJson(v)).toBe(reference(v));
      }),
      { numRuns: 3_000 },
    );
  });

  it('gives one text whatever order the keys were built in, keys that look like numbers included', () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.tuple(text, fc.integer()), { selector: ([key]) => key, maxLength: 8 }), (entries) => {
        const forwards = Object.fromEntries(entries);
        const backwards = Object.fromEntries([...entries].reverse());
        expect(canonicalJson(forwards)).toBe(canonicalJson(backwards));
        expect(JSON.parse(canonicalJson(forwards))).toEqual(forwards);
      }),
      { numRuns: 1_000 },
    );
    expect(canonicalJson({ b: 1, 10: 2, 9: 3, a: [{ z: '\u2028', y: '\ud800"\\' }] })).toBe('{"10":2,"9":3,"a":[{"y":"\\ud800\\"\\\\","z":"\u2028"}],"b":1}');
  });

  it('quotes a key it has seen before as it did the first time, however many other keys came between', () => {
    const keys = Array.from({ length: 5_000 }, (_, i) => `k${i}\u0001`);
    for (const key of keys) expect(canonicalJson({ [key]: 1 })).toBe(`{${JSON.stringify(key)}:1}`);
    expect(canonicalJson({ [keys[0]!]: 1 })).toBe(`{${JSON.stringify(keys[0])}:1}`);
    expect(canonicalJson({ [keys[4_999]!]: 1 })).toBe(`{${JSON.stringify(keys[4_999])}:1}`);
  });
});
