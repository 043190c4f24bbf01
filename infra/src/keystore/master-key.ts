/**
 * The key-encryption keys of the embedded key store. HRU_MASTER_KEY (with HRU_MASTER_KEY_PREVIOUS during a rotation),
 * or one generated once into `HRU_DATA_DIR/master-key` (mode 0600). Like the chain key, a generated file beside the
 * keys it wraps is a development convenience: production sets HRU_MASTER_KEY from a secret mount (or plugs in a KMS,
 * see key-wrapper.ts), so a copy of the data dir alone decrypts nothing.
 *
 * Rotating a generated key (`hru keys rotate`) writes the new one to `master-key.next` before re-wrapping, so a
 * crash at any point leaves every data key unwrappable: at the next start both files are offered and the rotation
 * finishes. The old key stays as `master-key.previous` until no data key is wrapped by it any more (an engine that was
 * running during the rotation wraps its new keys with the old key until it restarts; the restart re-wraps them).
 */
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseMasterKey } from './key-wrapper.js';
import { loadOrCreateSecretFile } from '../generated-secret.js';

export function masterKeyFile(dataDir: string): string {
  return join(dataDir, 'master-key');
}

const nextKeyFile = (dataDir: string) => masterKeyFile(dataDir) + '.next';
const previousKeyFile = (dataDir: string) => masterKeyFile(dataDir) + '.previous';
const readKey = (file: string) => parseMasterKey(readFileSync(file, 'utf8'));

/** The KEKs to offer, newest first: the first wraps new keys, the others only unwrap (and are re-wrapped away). */
export interface MasterKeys {
  current: Buffer;
  previous: Buffer[];
  /** Where the current key came from: the environment, or a file in the data dir (development). */
  source: 'environment' | 'generated-file';
}

export function loadMasterKeys(dataDir: string, configured?: { current?: string | undefined; previous?: string | undefined }): MasterKeys {
  if (configured?.current) {
    return {
      current: parseMasterKey(configured.current),
      previous: configured.previous ? [parseMasterKey(configured.previous)] : [],
      source: 'environment',
    };
  }
  const file = masterKeyFile(dataDir);
  const next = nextKeyFile(dataDir);
  const older = existsSync(previousKeyFile(dataDir)) ? [readKey(previousKeyFile(dataDir))] : [];
  if (existsSync(next)) {
    // An interrupted rotation: the new key wraps, the old one still unwraps what was not re-wrapped yet.
    return { current: readKey(next), previous: [...(existsSync(file) ? [readKey(file)] : []), ...older], source: 'generated-file' };
  }
  if (existsSync(file)) return { current: readKey(file), previous: older, source: 'generated-file' };
  // Another process starting at the same moment may create it first; then that one's key wins.
  const key = loadOrCreateSecretFile(file, () => randomBytes(32).toString('base64'));
  return { current: parseMasterKey(key), previous: [], source: 'generated-file' };
}

/** Step one of rotating a generated key: the new key is on disk before anything is wrapped with it. */
export function beginGeneratedRotation(dataDir: string): Buffer {
  const key = randomBytes(32);
  writeFileSync(nextKeyFile(dataDir), key.toString('base64') + '\n', { mode: 0o600 });
  return key;
}

/**
 * The last step, once the data keys are wrapped under the new key: it becomes the current one (renames are atomic)
 * and the old one is kept as `master-key.previous` while any data key still needs it (`stillUsed`).
 */
export function finishGeneratedRotation(dataDir: string, stillUsed: (key: Buffer) => boolean): void {
  const next = nextKeyFile(dataDir);
  if (existsSync(next)) {
    if (existsSync(masterKeyFile(dataDir))) renameSync(masterKeyFile(dataDir), previousKeyFile(dataDir));
    renameSync(next, masterKeyFile(dataDir));
  }
  if (existsSync(previousKeyFile(dataDir)) && !stillUsed(readKey(previousKeyFile(dataDir)))) rmSync(previousKeyFile(dataDir));
}
