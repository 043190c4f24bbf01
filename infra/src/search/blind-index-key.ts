/**
 * The key of the case search's blind index (HMACs of normalised names and source person references): 
 * HRU_BLIND_INDEX_KEY (base64, 32 bytes or more), or one generated once into `HRU_DATA_DIR/blind-index-key` (mode
 * 0600). Whoever holds it can test a guessed name against the index, so it never leaves the engine; it is its own
 * key, not the pseudonym key, so that rotating either leaves the other alone. Changing it empties the index until
 * the `case_search` read model is rebuilt.
 */
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { ConfigurationError } from '@hru/events';
import type { Config } from '../config.js';
import { loadOrCreateSecretFile } from '../generated-secret.js';
import { decodePseudonymKey, PSEUDONYM_KEY_MIN_BYTES } from '../research/pseudonym-key.js';

export function blindIndexKeyFile(dataDir: string): string {
  return join(dataDir, 'blind-index-key');
}

export function loadOrCreateBlindIndexKey(config: Pick<Config, 'dataDir' | 'blindIndexKey'>): Buffer {
  const file = blindIndexKeyFile(config.dataDir);
  const text = config.blindIndexKey ?? loadOrCreateSecretFile(file, () => randomBytes(PSEUDONYM_KEY_MIN_BYTES).toString('base64'));
  const key = decodePseudonymKey(text);
  if (typeof key === 'string') throw new ConfigurationError(`${config.blindIndexKey ? 'HRU_BLIND_INDEX_KEY' : file} ${key}`);
  return key;
}
