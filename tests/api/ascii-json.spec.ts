/** `asciiJson` (services/api/src/schemas/ascii-json.ts): ASCII text, the same value to a JSON reader. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { asciiJson } from '../../services/api/src/schemas/ascii-json.js';

describe('asciiJson', () => {
  it('escapes the dictionary’s characters and keeps the value', () => {
    const value = { meaning: 'DASH “yes” answers, the crime’s offence, integer ≥ 0', emoji: '😀', plain: 'c-0123456789abcdef' };
    const text = asciiJson(value);
    expect(text).toMatch(/^[\x00-\x7f]*$/);
    expect(text).toContain('\\u2019');
    expect(JSON.parse(text)).toEqual(value);
  });

  it('reads back as the value for any JSON value', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const text = asciiJson(value);
        expect(text).toMatch(/^[\x00-\x7f]*$/);
        expect(JSON.parse(text)).toEqual(JSON.parse(JSON.stringify(value)));
      }),
    );
  });
});
