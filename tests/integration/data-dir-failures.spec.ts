/**
 * The event log is the record itself: a damaged or unreadable one, or a data directory the engine cannot
 * write, stops `hru start` with one line naming the file and HRU_DATA_DIR and a non-zero exit, not a stack.
 * The log is never moved aside or rebuilt.
 *
 * A read-only directory cannot be made for root (chmod does not stop root's writes, and a read-only bind mount
 * needs privileges a test machine may not have), so the case that always runs points HRU_DATA_DIR below a
 * regular file; a chmod 0500 directory is tried too when the tests do not run as root.
 */
import { chmodSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { engineProcessEnv, privateRedisAndDir, runHru } from '../support/spawn-hru.js';
import { freePort } from '../support/redis-server.js';

const fixture = privateRedisAndDir('hru-data-dir-');

function freshDir(name: string): string {
  const dir = join(fixture.dir(), name);
  mkdirSync(dir);
  return dir;
}

async function start(dataDir: string, extra: Record<string, string> = {}) {
  const result = await runHru(['start'], { ...engineProcessEnv(dataDir, fixture.redis().url, await freePort()), ...extra });
  return { ...result, lines: result.stderr.trim().split('\n') };
}

describe('hru start on a data directory it cannot use', () => {
  it('a corrupt event log: one line naming the file and HRU_DATA_DIR, exit 1, the file left where it is', async () => {
    const dir = freshDir('corrupt-log');
    const garbage = randomBytes(64 * 1024);
    writeFileSync(join(dir, 'events.sqlite'), garbage);

    const result = await start(dir);
    expect(result.code).toBe(1);
    expect(result.lines, result.stderr).toHaveLength(1);
    expect(result.lines[0]).toContain(`${join(dir, 'events.sqlite')}`);
    expect(result.lines[0]).toContain(`HRU_DATA_DIR=${dir}`);
    expect(result.lines[0]).toContain('restore it from a backup, then run `hru audit verify`');
    expect(readdirSync(dir)).toEqual(['events.sqlite']);
    expect(readFileSync(join(dir, 'events.sqlite')).equals(garbage)).toBe(true);
  }, 120_000);

  it('with LOG_LEVEL=debug the same line is followed by the stack', async () => {
    const dir = freshDir('corrupt-log-debug');
    writeFileSync(join(dir, 'events.sqlite'), randomBytes(4096));
    const result = await start(dir, { LOG_LEVEL: 'debug' });
    expect(result.code).toBe(1);
    expect(result.lines[0]).toMatch(/^hru: the event log .* is damaged/);
    expect(result.stderr).toMatch(/\n\s+at /);
  }, 120_000);

  it('an unreadable event log (a directory in its place): one line', async () => {
    const dir = freshDir('unreadable-log');
    mkdirSync(join(dir, 'events.sqlite'));
    const result = await start(dir);
    expect(result.code).toBe(1);
    expect(result.lines, result.stderr).toHaveLength(1);
    // The file is created 0600 before SQLite opens it, so the file system names the problem first.
    expect(result.lines[0]).toMatch(/^hru: the event log .*events\.sqlite cannot be opened \((SQLITE_CANTOPEN|EISDIR)/);
    expect(result.lines[0]).toContain(`HRU_DATA_DIR=${dir} must be a directory this user can read and write`);
  }, 120_000);

  it('HRU_DATA_DIR below a regular file (cannot be created or written): one line', async () => {
    const file = join(fixture.dir(), 'a-file');
    writeFileSync(file, 'not a directory');
    const dir = join(file, 'data');
    const result = await start(dir);
    expect(result.code).toBe(1);
    expect(result.lines, result.stderr).toHaveLength(1);
    // Making the directory private (0700) at start is the first thing to meet it.
    expect(result.lines[0]).toMatch(/^hru: cannot mkdir .* \(ENOTDIR\)/);
    expect(result.lines[0]).toContain(`HRU_DATA_DIR=${dir}`);
  }, 120_000);

  it('a data file written outside the stores (the generated JWT secret of `hru token`): one line too', async () => {
    const file = join(fixture.dir(), 'another-file');
    writeFileSync(file, 'not a directory');
    const dir = join(file, 'data');
    // No HRU_JWT_SECRET: `hru token` generates one into the data directory.
    const result = await runHru(['token', '--role', 'supervisor', '--sub', 'ds-1'], { HRU_DATA_DIR: dir });
    expect(result.code).toBe(1);
    expect(result.stderr.trim().split('\n')).toEqual([`hru: cannot mkdir ${dir} (ENOTDIR): HRU_DATA_DIR=${dir} must be a directory this user can read and write.`]);
  }, 120_000);

  it.skipIf(process.getuid?.() === 0)('a read-only data directory (chmod 0500; not as root): one line', async () => {
    const dir = freshDir('read-only');
    chmodSync(dir, 0o500);
    const result = await start(dir);
    expect(result.code).toBe(1);
    expect(result.lines, result.stderr).toHaveLength(1);
    expect(result.lines[0]).toContain(`HRU_DATA_DIR=${dir}`);
  }, 120_000);
});
