/** Opens the embedded key store of a data dir with the configured (or generated) key-encryption keys. */
import { join } from 'node:path';
import { LocalKeyWrapper } from './key-wrapper.js';
import { loadMasterKeys, finishGeneratedRotation } from './master-key.js';
import { SqliteKeyStore, type SqliteKeyStoreOptions } from './sqlite-key-store.js';
import { PostgresKeyStore } from './postgres-key-store.js';
import type { Config } from '../config.js';

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

/** What `hru keys` and the engine need of either key store. */
export type ConfiguredKeyStore = SqliteKeyStore | PostgresKeyStore;

/**
 * The key store the configuration names: the shared PostgreSQL one when HRU_KEY_STORE_URL is set (engine processes on
 * several hosts; HRU_MASTER_KEY is then required, so no key is generated into one host's data dir), else the data
 * dir's `keys.sqlite`.
 */
export async function openConfiguredKeyStore(config: Pick<Config, 'dataDir' | 'masterKey' | 'keyStoreUrl'>): Promise<ConfiguredKeyStore> {
  if (!config.keyStoreUrl) return openKeyStore(config.dataDir, config.masterKey);
  const keys = loadMasterKeys(config.dataDir, config.masterKey);
  if (keys.source !== 'environment') throw new Error('HRU_KEY_STORE_URL needs HRU_MASTER_KEY: every host sharing the key store must hold the same key-encryption key');
  const wrappers = [new LocalKeyWrapper(keys.current), ...keys.previous.map((k) => new LocalKeyWrapper(k))] as const;
  return PostgresKeyStore.open(config.keyStoreUrl, wrappers);
}

/** Where the configured keys are, for messages (never the URL's password). */
export function keyStoreLocation(config: Pick<Config, 'dataDir' | 'keyStoreUrl'>): string {
  if (!config.keyStoreUrl) return keyStoreFile(config.dataDir);
  const url = new URL(config.keyStoreUrl);
  url.password = '';
  return `${url.protocol}//${url.username ? `${url.username}@` : ''}${url.host}${url.pathname}`;
}
