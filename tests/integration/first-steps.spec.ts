/**
 * A newcomer's first commands, as separate processes: `npm start` without Redis says so before it spends a
 * minute building, `hru demo` ends with referral ids to open and the read as it must be made, and a mistyped
 * option or `--help` gets the usage or one line, not a stack trace.
 */
import { spawn } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { SqliteEventStore } from '@hru/infra';
import { finished, spawnTs } from '../support/spawn-ts.js';
import { freePort } from '../support/redis-server.js';
import { tempDir } from '../support/temp-dir.js';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
const data = tempDir('hru-first-steps-');
afterAll(() => data.cleanup());

describe('npm start', () => {
  it('checks Redis before the build: without one it exits 3 at once with the command to start one', async () => {
    const stamp = join(repoRoot, 'services/cli/dist/.built-at');
    const stampBefore = existsSync(stamp) ? statSync(stamp).mtimeMs : undefined;
    const nothingThere = `redis://127.0.0.1:${await freePort()}`;
    const child = spawn('npm', ['start'], { cwd: repoRoot, env: { ...process.env, REDIS_URL: nothingThere, HRU_DATA_DIR: data.dir }, stdio: ['ignore', 'pipe', 'pipe'] });
    const result = await finished(child);
    expect(result.code, result.stdout + result.stderr).toBe(3);
    expect(result.stderr).toContain(`Redis does not answer at ${new URL(nothingThere).host}`);
    expect(result.stderr).toContain('redis-server --daemonize yes --bind 127.0.0.1 --port 6379');
    // The build never started: npm would have echoed its script, and turbo would have stamped the build.
    expect(result.stdout + result.stderr).not.toContain('turbo run build');
    expect(existsSync(stamp) ? statSync(stamp).mtimeMs : undefined).toBe(stampBefore);
  });
});

describe('hru demo', () => {
  it('ends with the ids of referrals it wrote and a read that states its reason', async () => {
    const result = await finished(spawnTs('services/cli/src/main.ts', ['demo', '--referrals', '4'], { HRU_DATA_DIR: data.dir, EVENTSTORE_URL: '', PORT: '3999', HOST: '127.0.0.1' }));
    expect(result.code, result.stderr).toBe(0);
    const listed = [...result.stdout.matchAll(/^ {2}(ref-[0-9a-f]{32})$/gm)].map((m) => m[1]!);
    expect(listed).toHaveLength(3);
    const store = new SqliteEventStore(join(data.dir, 'events.sqlite'));
    try {
      for (const id of listed) expect((await store.readStream(id))[0]?.type, id).toBe('ReferralReceived');
    } finally {
      await store.close();
    }
    expect(result.stdout).toContain(`-H "X-Justification: reviewing the demo caseload" http://127.0.0.1:3999/v1/referrals/${listed[0]}`);
    expect(result.stdout).toContain('http://127.0.0.1:3999/v1/caseload');
  });
});

describe('options', () => {
  it('`--help` after a command prints the usage and exits 0; an unknown or incomplete option is one line and exit 2', async () => {
    const env = { HRU_DATA_DIR: data.dir, EVENTSTORE_URL: '' };
    const help = await finished(spawnTs('services/cli/src/main.ts', ['demo', '--help'], env));
    expect(help.code, help.stderr).toBe(0);
    expect(help.stdout).toContain('demo [--referrals N] [--seed S]');
    for (const args of [['demo', '--bogus'], ['demo', '--referrals']]) {
      const wrong = await finished(spawnTs('services/cli/src/main.ts', args, env));
      expect(wrong.code, args.join(' ')).toBe(2);
      expect(wrong.stderr.trim().split('\n'), wrong.stderr).toHaveLength(1);
      expect(wrong.stderr).toMatch(/^hru: .*(--bogus|--referrals).*hru help/);
    }
  });
});
