/**
 * Every synthetic referral `hru demo` generates is one the engine accepts, command by command: a demo of any
 * size must not stop half-way on a life the workflow refuses (it did: a breached order left an urgent action
 * open, and the case could not then be closed). Played through the real command handler on a real log.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '@hru/infra';
import { openStore, referralCommandHandler } from '../../services/cli/src/engine.js';
import { playScript } from '../../services/cli/src/demo/play-script.js';
import { Random } from '../../services/cli/src/demo/random.js';
import { syntheticCase } from '../../services/cli/src/demo/synthetic-case.js';
import { tempDir } from '../support/temp-dir.js';

const data = tempDir('hru-demo-scripts-');
afterAll(() => data.cleanup());

describe('the demo generator', () => {
  it('writes lives the workflow accepts, for every referral of two seeds, breaches and acknowledgements included', async () => {
    const config = loadConfig({ HRU_DATA_DIR: data.dir });
    const store = await openStore(config);
    const commands = referralCommandHandler(store, config);
    const now = Date.now();
    const span = 300 * 86_400_000;
    const seen = new Map<string, number>();
    try {
      for (const seed of [2021, 7]) {
        const random = new Random(seed);
        const count = 1_200;
        for (let i = 0; i < count; i++) {
          const script = syntheticCase(i + seed * count, random, new Date(now - span + (span * i) / count));
          for (const step of script) if (step.at.getTime() <= now) seen.set(step.name, (seen.get(step.name) ?? 0) + 1);
          // A refusal throws, with the command and the state in its message.
          await playScript(commands, script, now);
        }
      }
    } finally {
      await store.close();
    }
    // The lives exercised what the test is for: breaches acknowledged and cases closed after them.
    expect(seen.get('acknowledge-urgent-action') ?? 0).toBeGreaterThan(200);
    expect(seen.get('close') ?? 0).toBeGreaterThan(100);
    expect(seen.get('record-spo') ?? 0).toBeGreaterThan(200);
  }, 300_000);
});
