/**
 * The chain key: HRU_CHAIN_KEY, or one generated once into `HRU_DATA_DIR/chain-key` (mode 0600). The
 * generated file is a development convenience only: a key beside the log it protects stops nobody who can
 * read the data dir, so production sets HRU_CHAIN_KEY from a secret mount the event store's host cannot write.
 */
import { createHmac, randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { loadOrCreateSecretFile } from '../../generated-secret.js';
import type { ChainKey } from './chain.js';

export function chainKeyFile(dataDir: string): string {
  return join(dataDir, 'chain-key');
}

export function loadOrCreateChainKey(dataDir: string, configured?: string): ChainKey {
  if (configured) return Buffer.from(configured, 'utf8');
  // Another process starting at the same moment may create it first; then that one's key wins.
  return Buffer.from(loadOrCreateSecretFile(chainKeyFile(dataDir), () => randomBytes(48).toString('base64url')), 'utf8');
}

/** A short public fingerprint of the key, so a report can say which key it checked with (never the key). */
export function chainKeyId(key: ChainKey): string {
  return createHmac('sha256', key).update('hru-chain-key-id').digest('hex').slice(0, 16);
}
