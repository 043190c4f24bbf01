/**
 * `hru demo` beside a running engine: the engine's timers act on the backdated lives while the demo writes them
 * (an interim order ends, a clock is missed and raises an alert). The demo then acknowledges an alert that holds a
 * case, retries a write that lost a race, leaves out a step the workflow now refuses (and what named its result),
 * and says how many; on its own (the generator's test) a refusal stays an error. Played against a handler that
 * refuses as the workflow would, on a real log.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CommandNotAllowedError, ConcurrencyError } from '@hru/events';
import { loadConfig } from '@hru/infra';
import { openStore, referralCommandHandler } from '../../services/cli/src/engine.js';
import { playScript } from '../../services/cli/src/demo/play-script.js';
import type { ScriptedCommand } from '../../services/cli/src/demo/synthetic-case.js';
import { intakeBody } from '../support/intake-body.js';
import { tempDir } from '../support/temp-dir.js';

const data = tempDir('hru-demo-beside-');
let store: Awaited<ReturnType<typeof openStore>>;
let commands: ReturnType<typeof referralCommandHandler>;
afterAll(async () => {
  await store.close();
  data.cleanup();
});
beforeAll(async () => {
  const config = loadConfig({ HRU_DATA_DIR: data.dir });
  store = await openStore(config);
  commands = referralCommandHandler(store, config);
});

const officer = { role: 'officer', sub: 'pc.demo', agency: 'police' } as const;
const supervisor = { role: 'supervisor', sub: 'ds.demo', agency: 'police' } as const;
const t0 = Date.parse('2026-05-01T09:00:00Z');
const at = (hours: number) => new Date(t0 + hours * 3_600_000);

function life(n: number): ScriptedCommand[] {
  return [
    { name: 'receive-referral', by: { system: 'niche' }, at: at(0), payload: intakeBody({ indicators: [] }, `CC/DEMO-BESIDE/${n}`) as Record<string, unknown> },
    { name: 'triage', by: officer, at: at(24), payload: { decision: 'proceed', reason: 'Fixated and repeated.' } },
    { name: 'record-spo', by: officer, at: at(48), payload: { at: at(48).toISOString(), step: { step: 'applied', order: 'interim' } } },
    { name: 'record-spo', by: officer, at: at(60), payload: { measureId: '$spo', at: at(60).toISOString(), step: { step: 'granted', order: 'interim', endsOn: '2026-06-12' } } },
    { name: 'acknowledge-urgent-action', by: supervisor, at: at(61), payload: { alertId: '$alert', note: 'Seen.' } },
    { name: 'screen', by: { role: 'psychologist', sub: 'psych.demo', agency: 'forensic_psychology' }, at: at(72), payload: { decision: 'advice_only', reason: 'Advice to the officer.' } },
  ];
}

/** The real handler, but the SPO application is refused, as after the engine had moved the case on. */
function refusingApplications(): Parameters<typeof playScript>[0] {
  let raced = false;
  return {
    load: (id) => commands.load(id),
    handle: async (id, input, context) => {
      if (input.name === 'record-spo') throw new CommandNotAllowedError('record-spo', 'awaiting_screening', [], 'Stalking Protection Order m1 is expired: it cannot be applied now');
      // One lost race, as when a timer appends between the load and the append.
      if (input.name === 'screen' && !raced) {
        raced = true;
        throw new ConcurrencyError(id, '3', 4);
      }
      return commands.handle(id, input, context);
    },
  };
}

describe('the demo beside a running engine', () => {
  it('leaves out a refused step and those naming its result, retries a lost race, and plays the rest', async () => {
    const played = await playScript(refusingApplications(), life(1), Date.now(), { skipRefused: true });
    // The application refused; the grant named its order and the acknowledgement the alert it would raise: out too.
    expect(played.stepsSkipped).toBe(3);
    expect(played.commandsRun).toBe(3);
    expect((await commands.load(played.referralId))?.view.stage).toBe('advice_only');
  });

  it('on its own, a refusal is an error (the generator must write lives the workflow accepts)', async () => {
    await expect(playScript(refusingApplications(), life(2), Date.now())).rejects.toThrow(CommandNotAllowedError);
  });

  it('plays a crime already in the log no further: a second run of the same demo adds nothing', async () => {
    const again = await playScript(commands, life(1), Date.now(), { skipRefused: true });
    expect(again).toMatchObject({ commandsRun: 0, stepsSkipped: 0 });
  });

  it('acknowledges an alert the script did not raise when it holds the case, then goes on', async () => {
    const [intake, triage, , , , screen] = life(3);
    const psychologist = { role: 'psychologist', sub: 'psych.demo', agency: 'forensic_psychology' } as const;
    const advice: ScriptedCommand = { name: 'record-advice', by: psychologist, at: at(80), payload: { advice: 'Advised the officer on an SPO.' } };
    const close: ScriptedCommand = { name: 'close', by: supervisor, at: at(90), payload: { reason: 'Advice given; nothing more for the unit.' } };
    // As the engine's timer would: an alert raised on the case between two of the script's steps.
    let raisedBy: string | undefined;
    const withEngine: Parameters<typeof playScript>[0] = {
      load: (id) => commands.load(id),
      handle: async (id, input, context) => {
        if (input.name === 'close' && !raisedBy) {
          raisedBy = 'engine';
          await commands.handle(id, { name: 'raise-urgent-action', payload: { reason: 'Clock missed.' } }, {
            actor: { kind: 'person', sub: 'ds.other', name: 'Other supervisor', roles: ['supervisor'], agency: 'police' },
            correlationId: 'spec',
            now: at(85).toISOString(),
          });
        }
        return commands.handle(id, input, context);
      },
    };
    const played = await playScript(withEngine, [intake!, triage!, screen!, advice, close], Date.now());
    expect(played).toMatchObject({ commandsRun: 5, stepsSkipped: 0 });
    const view = (await commands.load(played.referralId))!.view;
    expect(view.stage).toBe('closed');
    expect(view.urgentActions).toEqual([expect.objectContaining({ status: expect.stringMatching(/acknowledged|resolved/) })]);
  });
});
