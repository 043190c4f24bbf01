/**
 * `hru keys status | rotate`: the data keys that seal each person's data, and rotation of the key-encryption key
 * that wraps them. Rotation re-wraps the data keys in the key store (keys.sqlite, or HRU_KEY_STORE_URL) under a new KEK in one transaction; the event log
 * is not touched (its ciphertext is under the data keys, which do not change).
 */
import { LocalKeyWrapper, beginGeneratedRotation, copyKeysToPostgres, keyStoreFile, keyStoreLocation, loadConfig, loadMasterKeys, openConfiguredKeyStore, securePrivateDir } from '@hru/infra';

export async function runKeys(args: string[]): Promise<number> {
  const [sub] = args;
  const config = loadConfig();
  securePrivateDir(config.dataDir);
  if (sub === 'status') {
    const keys = await openConfiguredKeyStore(config);
    const master = loadMasterKeys(config.dataDir, config.masterKey);
    const stats = await keys.stats();
    await keys.close();
    console.log(`key store: ${keyStoreLocation(config)}`);
    console.log(`key-encryption key: ${new LocalKeyWrapper(master.current).id} (${master.source === 'environment' ? 'HRU_MASTER_KEY' : 'generated into the data dir: development only'})`);
    console.log(`data keys: ${stats.live} live, ${stats.destroyed} destroyed (erasures and disposals)`);
    for (const [kek, count] of Object.entries(stats.byKek)) console.log(`  ${count} wrapped by ${kek}`);
    return 0;
  }
  if (sub === 'rotate') {
    if (config.masterKey.current) {
      if (!config.masterKey.previous) {
        console.error(
          'hru keys rotate: HRU_MASTER_KEY is set, so the new key comes from your secret store. Set HRU_MASTER_KEY to the new key and\n' +
            'HRU_MASTER_KEY_PREVIOUS to the old one, then run this again (or restart the engine): every data key is re-wrapped.',
        );
        return 1;
      }
      const keys = await openConfiguredKeyStore(config);
      const stats = await keys.stats();
      await keys.close();
      console.log(`re-wrapped under ${new LocalKeyWrapper(Buffer.from(config.masterKey.current, 'base64')).id}: ${stats.live} live data keys. HRU_MASTER_KEY_PREVIOUS can be removed once every engine process has restarted.`);
      return 0;
    }
    const before = loadMasterKeys(config.dataDir, config.masterKey);
    const next = beginGeneratedRotation(config.dataDir);
    const keys = await openConfiguredKeyStore(config);
    const stats = await keys.stats();
    await keys.close();
    console.log(
      `rotated the generated key-encryption key ${new LocalKeyWrapper(before.current).id} → ${new LocalKeyWrapper(next).id}; ` +
        `${stats.live} live data keys re-wrapped; the event log was not touched. Restart running engine processes.`,
    );
    return 0;
  }
  if (sub === 'copy') {
    // The data dir's keys.sqlite into the shared key store, for a move to several hosts (README, *Scaling out*).
    const to = args[1] === '--to' ? args[2] : undefined;
    if (!to || !/^postgres(ql)?:\/\//.test(to)) {
      console.error('Usage: hru keys copy --to postgres://user@host:5432/database');
      return 1;
    }
    if (!config.masterKey.current) {
      console.error('hru keys copy: set HRU_MASTER_KEY first (the key this data dir generated: its master-key file), so that every host holds it');
      return 1;
    }
    const master = loadMasterKeys(config.dataDir, config.masterKey);
    const wrappers = [new LocalKeyWrapper(master.current), ...master.previous.map((k) => new LocalKeyWrapper(k))] as const;
    const report = await copyKeysToPostgres(keyStoreFile(config.dataDir), to, wrappers);
    console.log(
      `hru keys copy: ${report.keys} data keys (${report.pooled} from the pool, ${report.destroyed} destroyed) and the log checkpoint ` +
        `${report.checkpoint ?? '(none)'} copied to ${keyStoreLocation({ dataDir: config.dataDir, keyStoreUrl: to })}. Set HRU_KEY_STORE_URL to it on every host.`,
    );
    return 0;
  }
  console.error('Usage: hru keys status | hru keys rotate | hru keys copy --to postgres://…');
  return 1;
}
