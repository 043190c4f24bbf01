import { createHash, timingSafeEqual } from 'node:crypto';

const digest = (text: string) => createHash('sha256').update(text).digest();

/**
 * Finds the source system whose key matches, comparing every configured key in constant time (hashing
 * first makes lengths equal, and no early exit tells an attacker how many keys were tried).
 */
export function sourceSystemForKey(presented: string, keys: ReadonlyMap<string, string>): string | undefined {
  const presentedDigest = digest(presented);
  let found: string | undefined;
  for (const [system, key] of keys) {
    if (timingSafeEqual(presentedDigest, digest(key)) && found === undefined) found = system;
  }
  return found;
}
