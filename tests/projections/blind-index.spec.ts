/** The blind index's normalisation and MACs: what counts as the same name, and what never matches. */
import { describe, expect, it } from 'vitest';
import { blindIndex, nameWords, normaliseSourceRef } from '@hru/projections';

const key = Buffer.alloc(32, 7);

describe('blind index', () => {
  it('folds accents and case and splits on anything that is not a letter or digit', () => {
    expect(nameWords('Zoë Ångström-Quibble')).toEqual(['zoe', 'angstrom', 'quibble']);
    expect(nameWords("  O'BRIEN,  Seán  ")).toEqual(['o', 'brien', 'sean']);
    expect(nameWords('Anne anne ANNE')).toEqual(['anne']);
    expect(nameWords('Łukasz Żółć Søren Straße')).toEqual(['lukasz', 'zolc', 'soren', 'strasse']);
    expect(nameWords(' -- ')).toEqual([]);
    expect(normaliseSourceRef(' p-1001 ')).toBe('P-1001');
  });

  it('gives one MAC per key, kind and term: a name word never matches a reference, nor another key', () => {
    expect(blindIndex(key, 'name', 'smith')).toBe(blindIndex(key, 'name', 'smith'));
    expect(blindIndex(key, 'name', 'smith')).toMatch(/^[0-9a-f]{32}$/);
    expect(blindIndex(key, 'name', 'p-1')).not.toBe(blindIndex(key, 'ref', 'p-1'));
    expect(blindIndex(key, 'name', 'smith')).not.toBe(blindIndex(Buffer.alloc(32, 8), 'name', 'smith'));
    expect(blindIndex(key, 'name', 'smith')).not.toContain('smith');
  });
});
