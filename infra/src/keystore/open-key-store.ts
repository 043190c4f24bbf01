/** Opens the embedded key store of a data dir with the configured (or generated) key-encryption keys. */
import { join } from 'node:path';
import { LocalKeyWrapper } from './key-wrapper.js';
import { loadMasterKeys, finishGeneratedRotation } from './master-key.js';
import { SqliteKeyStore, type SqliteKeyStoreOptions } from './sqlite-key-store.js';

export function keyStoreFile(dataDir: string): string {
  return join(dataDir, 'keys.sqlite');
}

export function openKeyStore(dataDir: string, masterKey: { current?: string | undefined; previous?: string | undefined }, options: SqliteKeyStoreOptions = {}): SqliteKeyStore {
  const keys = loadMasterKeys(dataDir, masterKey);
  const wrappers = [new LocalKeyWrapper(keys.current), ...keys.previous.map((k) => new LocalKeyWrapper(k))] as const;
  // Opening re-wraps whatever is still under a previous key; a generated key's interrupted rotation then finishes.
  const store = new SqliteKeyStore(keyStoreFile(dataDir), wrappers, options);
  if (keys.source === 'generated-file') finishGeneratedRotation(dataDir, (key) => store.wrappedBy(new LocalKeyWrapper(key).id) > 0);
  return store;
}
