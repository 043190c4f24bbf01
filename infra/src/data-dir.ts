/**
 * HRU_DATA_DIR holds the event log (personal data), the read models, the access log and the token signing
 * secret: only the engine's own OS user may read it. The directory is 0700 and every file in it 0600, for a
 * new directory and, fixed at every start, for one written before (or by a careless copy).
 */
import { chmodSync, closeSync, mkdirSync, openSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';

export const PRIVATE_DIR_MODE = 0o700;
export const PRIVATE_FILE_MODE = 0o600;

/**
 * Creates `dir` if need be and makes it, and everything under it, private. A failure is the file system's own
 * error (its path, call and code), which the CLI reports as one line naming HRU_DATA_DIR.
 */
export function securePrivateDir(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: PRIVATE_DIR_MODE });
  privateTree(dir);
}

function privateTree(dir: string): void {
  chmodSync(dir, PRIVATE_DIR_MODE);
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    // chmod follows links: a link placed in the directory must not make us change some other file.
    if (entry.isSymbolicLink()) continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) privateTree(path);
    else if (entry.isFile()) chmodSync(path, PRIVATE_FILE_MODE);
  }
}

/**
 * Creates `file` empty with mode 0600 (in a 0700 directory) unless it exists. Done before SQLite opens it:
 * SQLite gives the -wal and -shm files it creates the mode of the database file.
 */
export function createPrivateFile(file: string): void {
  mkdirSync(dirname(file), { recursive: true, mode: PRIVATE_DIR_MODE });
  closeSync(openSync(file, 'a', PRIVATE_FILE_MODE));
}
