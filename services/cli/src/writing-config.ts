/**
 * The configuration of a command that writes into the data directory (the demo's log, rebuilt read models, a
 * generated pseudonym key): the directory is made the engine's (0700, its files 0600) first, as `hru start` does,
 * so a directory made by hand with the usual umask (0755) is not left readable by others.
 */
import { loadConfig, securePrivateDir, type Config } from '@hru/infra';

export function loadWritingConfig(): Config {
  const config = loadConfig();
  securePrivateDir(config.dataDir);
  return config;
}
