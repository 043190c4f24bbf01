/**
 * The key ids the key log follower reads from sealed parts, parsed into bindings: pool keys of our own subjects are
 * bound, anything else (keys made one by one before the pool, a hand-made id) is skipped, never thrown on, since an
 * erasure waits for that reading.
 */
import { describe, expect, it } from 'vitest';
import { POOL_GENERATION_BASE } from '@hru/application';
import { bindingsOf, parseSubject } from '../../infra/src/keystore/key-cache.js';

const pooled = POOL_GENERATION_BASE + 7;

describe('key ids into bindings', () => {
  it('binds pool keys of cases and of people in a case', () => {
    expect(bindingsOf([`case:ref-1#${pooled}`, `party:pty-1@ref-1#${pooled + 1}`, `party:pty-2@ref@odd#${pooled + 2}`])).toEqual([
      { subject: 'case:ref-1', generation: pooled, partyId: null, referralId: 'ref-1' },
      { subject: 'party:pty-1@ref-1', generation: pooled + 1, partyId: 'pty-1', referralId: 'ref-1' },
      { subject: 'party:pty-2@ref@odd', generation: pooled + 2, partyId: 'pty-2', referralId: 'ref@odd' },
    ]);
  });

  it('skips keys made one by one, bad generations and ids that name no subject of ours', () => {
    const skipped = ['case:ref-1#3', 'case:ref-1#', 'case:ref-1', `case:ref-1#x${pooled}`, `party:@ref-1#${pooled}`, `party:pty-1@#${pooled}`, `party:pty-1#${pooled}`, `other:x#${pooled}`, `#${pooled}`];
    expect(bindingsOf(skipped)).toEqual([]);
  });

  it('parseSubject throws on what is not a subject', () => {
    expect(parseSubject('party:a@b')).toEqual({ partyId: 'a', referralId: 'b' });
    expect(() => parseSubject('party:@b')).toThrow(TypeError);
    expect(() => parseSubject('people:a@b')).toThrow(TypeError);
  });
});
