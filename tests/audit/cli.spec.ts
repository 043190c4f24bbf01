/** `hru replay` and `hru audit verify` as separate processes over the data directory of a running API. */
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { finished, spawnTs } from '../support/spawn-ts.js';
import { JWT_SECRET, apiKey, bearer, createTestApp, intakeBody, type TestApp } from '../support/test-app.js';

let t: TestApp;
let referralId: string;
const hru = (...args: string[]) =>
  finished(spawnTs('services/cli/src/main.ts', args, { HRU_DATA_DIR: t.deps.config.dataDir, HRU_JWT_SECRET: JWT_SECRET, EVENTSTORE_URL: '' }));

beforeAll(async () => {
  t = await createTestApp();
  referralId = (await t.app.inject({ method: 'POST', url: '/v1/referrals', headers: apiKey(), payload: intakeBody() })).json().referralId;
  const res = await t.app.inject({
    method: 'POST',
    url: `/v1/referrals/${referralId}/commands/triage`,
    headers: bearer(await t.token('officer', 'officer-7')),
    payload: { decision: 'proceed', reason: 'Repeated visits to the home address' },
  });
  expect(res.statusCode, res.body).toBe(200);
});
afterAll(async () => t.close());

describe('hru replay', () => {
  it('prints the timeline and the state reached, and logs the read', async () => {
    const out = await hru('replay', referralId, '--justification', 'supervision review');
    expect(out.code, out.stderr).toBe(0);
    // Both times, labelled, on the London clock with the zone named (as the console shows them).
    expect(out.stdout).toContain('Times are Europe/London.');
    expect(out.stdout).toMatch(/^ {3}0 {2}happened \d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} (GMT|BST) {2}recorded \d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} (GMT|BST) {2}Referral received/m);
    expect(out.stdout).toContain('Triage completed (decision: proceed) by Test officer-7 (officer, police): Repeated visits to the home address');
    expect(out.stdout).toMatch(/at revision \d+: stage \S+; allowed commands: .*screen/);
    const log = await t.store.readAll({ filter: { eventTypes: ['PersonalDataAccessed'] } });
    expect(log.some((e) => (e.data as { justification: string }).justification === 'supervision review')).toBe(true);
  });

  it('stops at --at and refuses to run without a justification', async () => {
    const upTo = await hru('replay', referralId, '--at', '2000-01-01T00:00:00Z', '--justification', 'supervision review');
    expect(upTo.code).toBe(1);
    expect(upTo.stderr).toContain('has no events recorded by 2000-01-01T00:00:00Z');
    expect((await hru('replay', referralId)).code).toBe(1);
  });
});

describe('replay times', () => {
  it('are London wall-clock times with the zone named, across the clock change', async () => {
    const { londonStamp } = await import('../../services/cli/src/commands/replay.js');
    expect(londonStamp('2026-11-20T10:00:00Z')).toBe('2026-11-20 10:00:00 GMT');
    expect(londonStamp('2026-07-01T10:00:00.123Z')).toBe('2026-07-01 11:00:00 BST');
    expect(londonStamp('2026-10-25T00:30:00Z')).toBe('2026-10-25 01:30:00 BST');
    expect(londonStamp('2026-10-25T01:30:00Z')).toBe('2026-10-25 01:30:00 GMT');
  });
});

describe('hru audit verify', () => {
  it('checks every anchor the engine wrote to its sink (the data dir by default)', async () => {
    const status = await t.deps.integrity!.anchor();
    expect(status.lastAnchor).not.toBeNull();
    const out = await hru('audit', 'verify', '--anchors', join(t.deps.config.dataDir, 'anchors.jsonl'));
    expect(out.code, out.stderr).toBe(0);
    expect(out.stdout).toMatch(/^anchors: (\d+) of \1 match$/m);
    const missing = await hru('audit', 'verify', '--anchors', join(t.deps.config.dataDir, 'no-such-file.jsonl'));
    expect(missing.code).toBe(1);
  });

  it('prints OK with the log digest, then exits 4 naming the broken link after an edit, and checks an anchor', async () => {
    const ok = await hru('audit', 'verify');
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stdout).toMatch(/^OK: \d+ events in \d+ streams/);
    const digest = /\n {2}(\d+:[0-9a-f]{64})\n/.exec(ok.stdout)![1]!;

    const db = new Database(t.rawStore.file);
    db.prepare(`DELETE FROM events WHERE stream_id = ? AND revision = 0`).run(referralId);
    db.close();
    const broken = await hru('audit', 'verify', '--anchor', digest);
    expect(broken.code).toBe(4);
    expect(broken.stdout).toContain(`revision-out-of-sequence in ${referralId} at revision 1`);
    expect(broken.stdout).toContain('DOES NOT MATCH');
  });
});
