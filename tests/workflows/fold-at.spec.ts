/** foldAt from snapshot marks gives exactly the state a fold from the first event gives, at every revision. */
import { ReferralCommandHandler } from '@hru/application';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { referralIdFor } from '@hru/workflows';
import { intakeBody } from './support/referral-commands.js';
import { ctx, officer, openStore, SLA_MS, sourceSystem } from './support/handler-fixture.js';

const referralId = referralIdFor('niche', 'CC/26/000123');

let fx: Awaited<ReturnType<typeof openStore>>;
beforeEach(async () => {
  fx = await openStore();
});
afterEach(async () => {
  await fx.cleanup();
});

describe('foldAt with snapshot marks', () => {
  it('matches a fresh fold at revisions before, on and after each mark', async () => {
    await fx.handler.handle(referralId, { name: 'receive-referral', payload: intakeBody() }, ctx(sourceSystem));
    await fx.handler.handle(referralId, { name: 'triage', payload: { decision: 'proceed', reason: 'fixated' } }, ctx(officer));
    for (let i = 0; i < 125; i++) {
      await fx.handler.handle(referralId, { name: 'log-time', payload: { agency: 'police', minutes: 1 + i, activity: `work ${i}` } }, ctx(officer));
    }
    await fx.handler.load(referralId); // folds the whole stream once, leaving marks at 49 and 99
    const fresh = new ReferralCommandHandler(fx.store, { alertAckSlaMs: SLA_MS, cacheSize: 0 });
    for (const revision of [0, 1, 48, 49, 50, 98, 99, 100, 126]) {
      const marked = await fx.handler.foldAt(referralId, { revision });
      const scratch = await fresh.foldAt(referralId, { revision });
      expect(marked, `revision ${revision}`).toEqual(scratch);
      expect(marked.revision).toBe(revision);
    }
    // Past the end: the state at the last event, as before.
    expect((await fx.handler.foldAt(referralId, { revision: 1_000 })).revision).toBe(126);
  });
});
