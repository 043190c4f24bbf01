/** The case search's key: HRU_BLIND_INDEX_KEY checked at start, or generated once into the data dir (0600); its own key. */
import { statSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { blindIndexKeyFile, loadConfig, loadOrCreateBlindIndexKey, loadOrCreatePseudonymKey } from '@hru/infra';
import { tempDir } from '../support/temp-dir.js';
import { base64Key, configError } from '../support/config-keys.js';

describe('HRU_BLIND_INDEX_KEY', () => {
  it('is base64 of 32 bytes or more, and not the pseudonym or master key', () => {
    expect(loadConfig({ HRU_BLIND_INDEX_KEY: base64Key(1) }).blindIndexKey).toBe(base64Key(1));
    expect(configError({ HRU_BLIND_INDEX_KEY: base64Key(1, 31) })).toMatch(/HRU_BLIND_INDEX_KEY: must decode to at least 32 bytes \(got 31\)/);
    expect(configError({ HRU_BLIND_INDEX_KEY: base64Key(2), HRU_PSEUDONYM_KEY: base64Key(2) })).toMatch(/HRU_BLIND_INDEX_KEY: must not be the pseudonym or master key/);
    expect(configError({ HRU_BLIND_INDEX_KEY: base64Key(4), HRU_MASTER_KEY: base64Key(4) })).toMatch(/HRU_BLIND_INDEX_KEY: must not be the pseudonym or master key/);
  });

  it('is generated once, 0600, into the data dir, apart from the pseudonym key; the configured one wins', () => {
    const { dir, cleanup } = tempDir();
    try {
      const config = { dataDir: dir, blindIndexKey: undefined };
      const key = loadOrCreateBlindIndexKey(config);
      expect(key.length).toBe(32);
      expect(statSync(blindIndexKeyFile(dir)).mode & 0o777).toBe(0o600);
      expect(loadOrCreateBlindIndexKey(config).equals(key)).toBe(true);
      expect(key.equals(loadOrCreatePseudonymKey({ dataDir: dir, pseudonymKey: undefined, chainKey: undefined }))).toBe(false);
      expect(loadOrCreateBlindIndexKey({ ...config, blindIndexKey: base64Key(5) }).equals(Buffer.alloc(32, 5))).toBe(true);
    } finally {
      cleanup();
    }
  });
});
