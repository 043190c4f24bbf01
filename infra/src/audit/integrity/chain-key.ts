/**
 * The chain key: HRU_CHAIN_KEY, or one generated once into `HRU_DATA_DIR/chain-key` (mode 0600). The
 * generated file is a development convenience only: a key beside the log it protects stops nobody who can
 * read the data dir, so production sets HRU_CHAIN_KEY from a secret mount the event store's host cannot write.
 */
import { createHmac, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ChainKey } from './chain.js';

export function chainKeyFile(dataDir: string): string {
  return join(dataDir, 'chain-key');
}

export function loadOrCreateChainKey(dataDir: string, configured?: string): ChainKey {
  if (configured) return Buffer.from(configured, 'utf8');
  const file = chainKeyFile(dataDir);
  if (existsSync(file)) return Buffer.from(readFileSync(file, 'utf8').trim(), 'utf8');
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const key = randomBytes(48).toString('base64url');
  // `wx` fails if another process created it first; then that one's key wins.
  try {
    writeFileSync(file, key + '\n', { mode: 0o600, flag: 'wx' });
    return Buffer.from(key, 'utf8');
  } catch {
    return Buffer.from(readFileSync(file, 'utf8').trim(), 'utf8');
  }
}

/** A short public fingerprint of the key, so a report can say which key it checked with (never the key). */
export function chainKeyId(key: ChainKey): string {
  return createHmac('sha256', key).update('hru-chain-key-id').digest('hex').slice(0, 16);
}
