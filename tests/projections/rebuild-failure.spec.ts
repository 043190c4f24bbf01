/** A rebuild that fails part way (here: an event written by a newer version) changes nothing and leaves no shadow behind. */
import { readdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readCheckpoints, rebuildProjections } from '@hru/projections';
import { given, received, referralId } from './support/history.js';
import { startReadModels, type ReadModels } from './support/read-models.js';

describe('a failing rebuild', () => {
  let rm: ReadModels;

  beforeEach(async () => {
    rm = await startReadModels();
  });

  afterEach(async () => {
    await rm.close();
  });

  it.each([1, 2])('on %i thread(s) leaves the live tables, their checkpoints and the data folder as they were', async (threads) => {
    // Streams whose ids end in different characters, so that with two threads each part meets a bad event.
    const ids = Array.from({ length: 40 }, (_, i) => referralId(i + 1));
    await rm.given(ids.flatMap((id) => [received(id, '2026-03-01T09:00:00Z'), given.triaged(id, '2026-03-02T09:00:00Z')]));
    for (const id of ids.slice(30)) {
      const future = given.closed(id, '2026-03-03T09:00:00Z', 'awaiting_screening');
      await rm.store.appendToStream(id, [{ ...future, metadata: { ...future.metadata, schemaVersion: 99 } }]);
    }
    const rows = rm.db.prepare('SELECT * FROM caseload_cases ORDER BY referral_id').all();
    const checkpoints = readCheckpoints(rm.db);
    const files = readdirSync(dirname(rm.db.name)).sort();

    await expect(rebuildProjections(rm.store, rm.db, undefined, undefined, { threads, batchSize: 10 })).rejects.toThrow(/ReferralClosed v99/);
    expect(rm.db.prepare('SELECT * FROM caseload_cases ORDER BY referral_id').all()).toEqual(rows);
    expect(readCheckpoints(rm.db)).toEqual(checkpoints);
    expect(readdirSync(dirname(rm.db.name)).sort()).toEqual(files);
  });
});
