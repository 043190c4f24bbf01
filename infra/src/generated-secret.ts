/**
 * A secret generated once into the data dir when the configuration gives none: the development convenience the
 * chain key and the JWT secret began with, in one place for the keys added since. The file is created 0600 with
 * `wx`, so when two processes start together the first to write wins and the other reads its secret.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { PRIVATE_DIR_MODE, PRIVATE_FILE_MODE } from './data-dir.js';

export function loadOrCreateSecretFile(file: string, generate: () => string): string {
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  mkdirSync(dirname(file), { recursive: true, mode: PRIVATE_DIR_MODE });
  const secret = generate();
  try {
    writeFileSync(file, secret + '\n', { mode: PRIVATE_FILE_MODE, flag: 'wx' });
    return secret;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    return readFileSync(file, 'utf8').trim();
  }
}
