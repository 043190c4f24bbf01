/**
 * Histories written by earlier machine and schema versions must keep folding: every JSON fixture under
 * tests/fixtures/histories is parsed (upcast), folded, and then accepts new commands through the handler.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { eventRegistry, type ReferralEvent } from '@hru/events';
import { allowedCommands, foldEvents, MACHINE_VERSION, toReferralView } from '@hru/workflows';
import { ctx, officer, openStore } from './support/handler-fixture.js';

interface HistoryFixture {
  description: string;
  referralId: string;
  expected: { stage: string; urgentStatus: string; allowedCommandsInclude: string[] };
  events: { type: string; data: unknown; metadata: { machineVersion?: string } }[];
}

const dir = fileURLToPath(new URL('../fixtures/histories/', import.meta.url));
const fixtures = readdirSync(dir)
  .filter((f) => f.endsWith('.json'))
  .map((file) => ({ file, history: JSON.parse(readFileSync(join(dir, file), 'utf8')) as HistoryFixture }));

describe('histories recorded by earlier machine versions', () => {
  it('there is at least one, and it predates the current machine', () => {
    expect(fixtures.length).toBeGreaterThan(0);
    for (const { history } of fixtures) {
      expect(history.events.some((e) => e.metadata.machineVersion !== MACHINE_VERSION)).toBe(true);
    }
  });

  for (const { file, history } of fixtures) {
    describe(file, () => {
      let fx: Awaited<ReturnType<typeof openStore>>;
      beforeEach(async () => {
        fx = await openStore();
      });
      afterEach(async () => {
        await fx.cleanup();
      });

      it('folds to the recorded stage, old shapes upcast', () => {
        const events = history.events.map((e) => eventRegistry.parse(e) as ReferralEvent);
        const snapshot = foldEvents(events);
        const view = toReferralView(snapshot, events.length - 1)!;
        expect(view).toMatchObject({ stage: history.expected.stage, urgentStatus: history.expected.urgentStatus });
        expect(allowedCommands(snapshot)).toEqual(expect.arrayContaining(history.expected.allowedCommandsInclude));
        // v1 had one offence; v2 lists the offences of the crime with one principal.
        expect(view.offences.filter((o) => o.principal)).toHaveLength(1);
      });

      it('takes new commands on top, stamped with the current machine version', async () => {
        await fx.store.appendToStream(history.referralId, history.events as never, { expectedRevision: 'no_stream' });
        const loaded = await fx.handler.load(history.referralId);
        expect(loaded?.view.stage).toBe(history.expected.stage);
        const logged = await fx.handler.handle(history.referralId, { name: 'log-time', payload: { agency: 'police', minutes: 20, activity: 'review of old case' } }, ctx(officer));
        expect(logged.events[0]!.metadata.machineVersion).toBe(MACHINE_VERSION);
        expect(logged.revision).toBe(history.events.length);
      });
    });
  }
});
