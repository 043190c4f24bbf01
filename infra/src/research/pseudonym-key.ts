/**
 * The pseudonym key of the research extract: HRU_PSEUDONYM_KEY (base64, 32 bytes or more), or one generated once
 * into `HRU_DATA_DIR/pseudonym-key` (mode 0600), as the chain key is. Whoever holds it can link a pseudonym back
 * to a guessed person (party ids are derived from the source system's person references), so it never leaves the
 * engine, and production sets it from a secret mount. Changing it changes every pseudonym: extracts made before
 * and after no longer link (their `keyId` differs).
 *
 * It must not be the chain key: a researcher never holds either, but a key that serves two purposes is exposed by
 * the weaker of them, and rotating one would rotate the other.
 */
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { ConfigurationError } from '@hru/events';
import { loadOrCreateChainKey } from '../audit/integrity/chain-key.js';
import type { Config } from '../config.js';
import { loadOrCreateSecretFile } from '../generated-secret.js';

export const PSEUDONYM_KEY_MIN_BYTES = 32;

export function pseudonymKeyFile(dataDir: string): string {
  return join(dataDir, 'pseudonym-key');
}

/** The bytes of a base64 key, or a message saying what is wrong with it. */
export function decodePseudonymKey(text: string): Buffer | string {
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(text)) return 'must be base64 (A-Z, a-z, 0-9, + and /, = padding)';
  const key = Buffer.from(text, 'base64');
  return key.length >= PSEUDONYM_KEY_MIN_BYTES ? key : `must decode to at least ${PSEUDONYM_KEY_MIN_BYTES} bytes (got ${key.length})`;
}

/** The configured key, else the generated one; refused when it is the chain key, however either was given. */
export function loadOrCreatePseudonymKey(config: Pick<Config, 'dataDir' | 'pseudonymKey' | 'chainKey'>): Buffer {
  const file = pseudonymKeyFile(config.dataDir);
  const text = config.pseudonymKey ?? loadOrCreateSecretFile(file, () => randomBytes(PSEUDONYM_KEY_MIN_BYTES).toString('base64'));
  const key = decodePseudonymKey(text);
  if (typeof key === 'string') {
    throw new ConfigurationError(`${config.pseudonymKey ? 'HRU_PSEUDONYM_KEY' : file} ${key}`);
  }
  const chainKey = loadOrCreateChainKey(config.dataDir, config.chainKey);
  if (key.equals(chainKey) || Buffer.from(text, 'utf8').equals(chainKey)) {
    throw new ConfigurationError('HRU_PSEUDONYM_KEY must not be the chain key (HRU_CHAIN_KEY): give each purpose its own key');
  }
  return key;
}
