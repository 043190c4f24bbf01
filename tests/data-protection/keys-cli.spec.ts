/**
 * `hru keys status | rotate` as an operator runs them: rotating the generated key-encryption key re-wraps the data
 * keys in keys.sqlite, leaves the event log byte for byte as it was, and the data still opens under the new key.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { loadConfig, masterKeyFile } from '@hru/infra';
import { openStore } from '../../services/cli/src/engine.js';
import { runHru } from '../support/spawn-hru.js';
import { newEvent } from '@hru/application';
import { tempDir } from '../support/temp-dir.js';

const { dir, cleanup } = tempDir('hru-keys-');
afterAll(cleanup);
const referralId = `ref-${'c'.repeat(32)}`;
const partyId = `pty-${'3'.repeat(24)}`;

it('rotates the generated key-encryption key without touching the log', async () => {
  const config = loadConfig({ HRU_DATA_DIR: dir });
  const store = await openStore(config);
  const at = { actor: { kind: 'system', system: 'test' } as const, correlationId: 'c', occurredAt: '2026-11-30T00:00:00Z' };
  await store.appendToStream(referralId, [newEvent('RetentionReviewed', { referralId, decision: 'retain', mopiGroup: 2, nextReviewDue: '2036-11-30', disposedParties: [], personal: { reason: 'Kept: rotation canary' } }, at)]);
  // A person too: their key is wrapped like the case's.
  await store.appendToStream(referralId, [newEvent('ReferralDetailsUpdated', { referralId, changedFields: ['people'], personal: { people: [{ partyId, name: 'Rotated Person' }] } }, at)]);
  const before = await store.inner.readStream(referralId);
  await store.close();
  const oldKey = readFileSync(masterKeyFile(dir), 'utf8');

  const status = await runHru(['keys', 'status'], { HRU_DATA_DIR: dir });
  expect(status.code, status.stderr).toBe(0);
  expect(status.stdout).toContain('2 live, 0 destroyed');

  const rotated = await runHru(['keys', 'rotate'], { HRU_DATA_DIR: dir });
  expect(rotated.code, rotated.stderr).toBe(0);
  expect(rotated.stdout).toContain('2 live data keys re-wrapped');
  expect(readFileSync(masterKeyFile(dir), 'utf8')).not.toBe(oldKey);

  const after = await openStore(loadConfig({ HRU_DATA_DIR: dir }));
  expect(await after.inner.readStream(referralId)).toEqual(before);
  const [review, update] = await after.readStream(referralId);
  expect((review!.data as { personal: unknown }).personal).toEqual({ reason: 'Kept: rotation canary' });
  expect((update!.data as { personal: unknown }).personal).toEqual({ people: [{ partyId, name: 'Rotated Person' }] });
  await after.close();
  // No data key needs the old key any more: it is gone from the data dir.
  expect(() => readFileSync(join(dir, 'master-key.previous'))).toThrow();
});
