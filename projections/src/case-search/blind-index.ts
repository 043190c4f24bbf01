/**
 * Blind indexes of the people named in a case: keyed HMACs of a normalised name's words and of the source system's
 * person reference, so the read model can find a case by a name without holding the name (nor anything from which
 * it can be read back or tested without the key). The API computes the same MACs from the words searched for.
 */
import { createHmac } from 'node:crypto';

export type BlindIndexKind = 'name' | 'ref';

/**
 * A name as its words: Unicode letters folded to their base form without accents (NFKD, marks removed; ł, ø, ß, æ
 * and the like spelled as people type them without), lower case, split on anything that is not a letter or digit (so `O'Brien-Smith` is `o`, `brien`, `smith`). Words of
 * one letter are kept only with others (an initial narrows, it does not find).
 */
/** Letters NFKD does not take apart (a stroke or a ligature is not a combining mark), as people type them without. */
const unfolded: Record<string, string> = { ł: 'l', ø: 'o', đ: 'd', ħ: 'h', ı: 'i', ß: 'ss', æ: 'ae', œ: 'oe', þ: 'th', ð: 'd' };

export function nameWords(name: string): string[] {
  const folded = name
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/[łøđħıßæœþð]/g, (c) => unfolded[c] ?? c);
  const words = folded.split(/[^\p{L}\p{N}]+/u).filter((w) => w.length > 0);
  return [...new Set(words)];
}

/** A source person reference as one token: trimmed and upper case (source systems print either case). */
export function normaliseSourceRef(ref: string): string {
  return ref.trim().toUpperCase();
}

/** The MAC of one normalised term; the kind is part of the message, so a name word never matches a reference. */
export function blindIndex(key: Uint8Array, kind: BlindIndexKind, term: string): string {
  return createHmac('sha256', key).update(`${kind}\0${term}`, 'utf8').digest('hex').slice(0, 32);
}
