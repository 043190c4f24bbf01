/** The pseudonym key: HRU_PSEUDONYM_KEY checked at start, or generated once into the data dir, never the chain key. */
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ConfigurationError } from '@hru/events';
import { loadConfig, loadOrCreateChainKey, loadOrCreatePseudonymKey, pseudonymKeyFile } from '@hru/infra';
import { tempDir } from '../support/temp-dir.js';
import { base64Key, configError } from '../support/config-keys.js';

describe('HRU_PSEUDONYM_KEY', () => {
  it('is base64 of 32 bytes or more, checked at start with one line naming it', () => {
    expect(loadConfig({ HRU_PSEUDONYM_KEY: base64Key(1) }).pseudonymKey).toBe(base64Key(1));
    expect(configError({ HRU_PSEUDONYM_KEY: base64Key(1, 31) })).toMatch(/HRU_PSEUDONYM_KEY: must decode to at least 32 bytes \(got 31\)/);
    expect(configError({ HRU_PSEUDONYM_KEY: 'not base64 at all!' })).toMatch(/HRU_PSEUDONYM_KEY: must be base64/);
  });

  it('may not be the chain key', () => {
    const same = base64Key(9, 48);
    expect(configError({ HRU_PSEUDONYM_KEY: same, HRU_CHAIN_KEY: same })).toMatch(/HRU_PSEUDONYM_KEY: must not be the chain key/);
    // Given as the chain key's bytes in base64, it is the same key too: refused when loaded.
    const { dir, cleanup } = tempDir();
    try {
      const chainKey = 'c'.repeat(32);
      expect(() => loadOrCreatePseudonymKey({ dataDir: dir, chainKey, pseudonymKey: Buffer.from(chainKey).toString('base64') })).toThrow(ConfigurationError);
    } finally {
      cleanup();
    }
  });
});

describe('the generated pseudonym key', () => {
  it('is created once, 0600, in the data dir, and is not the chain key', () => {
    const { dir, cleanup } = tempDir();
    try {
      const config = { dataDir: dir, chainKey: undefined, pseudonymKey: undefined };
      const key = loadOrCreatePseudonymKey(config);
      expect(key.length).toBe(32);
      expect(statSync(pseudonymKeyFile(dir)).mode & 0o777).toBe(0o600);
      expect(loadOrCreatePseudonymKey(config).equals(key)).toBe(true);
      expect(key.equals(loadOrCreateChainKey(dir))).toBe(false);
      // The configured key wins over the file.
      expect(loadOrCreatePseudonymKey({ ...config, pseudonymKey: base64Key(3) }).equals(Buffer.alloc(32, 3))).toBe(true);
      expect(readFileSync(pseudonymKeyFile(dir), 'utf8').trim()).toBe(key.toString('base64'));
    } finally {
      cleanup();
    }
  });

  it('refuses a damaged key file rather than pseudonymise with a weak key', () => {
    const { dir, cleanup } = tempDir();
    try {
      writeFileSync(pseudonymKeyFile(dir), 'c2hvcnQ=\n', { mode: 0o600 });
      expect(() => loadOrCreatePseudonymKey({ dataDir: dir, chainKey: undefined, pseudonymKey: undefined })).toThrow(/pseudonym-key must decode to at least 32 bytes/);
    } finally {
      cleanup();
    }
  });
});
