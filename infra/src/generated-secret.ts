/**
 * A secret generated once into the data dir when the configuration gives none: the development convenience the
 * chain key and the JWT secret began with, in one place for the keys added since. The secret is written whole to a
 * private temporary file and then linked into place: `link` fails when the name exists, so when several processes
 * start together on a fresh data dir (`hru api` ×2, `hru worker`, `hru projector`) the first wins, the others read
 * its secret, and none can read a file created but not yet written (with `wx` on the file itself, one could, and
 * would key its chains or wrap its keys with an empty secret).
 */
import { randomBytes } from 'node:crypto';
import { existsSync, linkSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { PRIVATE_DIR_MODE, PRIVATE_FILE_MODE } from './data-dir.js';

export function loadOrCreateSecretFile(file: string, generate: () => string): string {
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  mkdirSync(dirname(file), { recursive: true, mode: PRIVATE_DIR_MODE });
  const secret = generate();
  const temporary = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  writeFileSync(temporary, secret + '\n', { mode: PRIVATE_FILE_MODE, flag: 'wx' });
  try {
    linkSync(temporary, file);
    return secret;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    return readFileSync(file, 'utf8').trim();
  } finally {
    rmSync(temporary, { force: true });
  }
}
