/**
 * The serial-perpetrator commands over a real store: each decides on its stream as read and appends expecting that
 * revision, so of two staff linking one pair at the same moment one links and the other is told it is linked; the
 * same for a meeting's decision about one perpetrator. And the pair's stream is one whichever order the ids come in.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PerpetratorCommands } from '@hru/application';
import { HruError, partyLinkStreamFor, taskingStreamFor } from '@hru/events';
import { SqliteEventStore } from '@hru/infra';
import { partyLinkPayloadSchema, taskingDecisionPayloadSchema } from '@hru/workflows';
import { tempDir } from '../support/temp-dir.js';
import { pty } from './support.js';

const context = { actor: { kind: 'person' as const, sub: 'ds-1', name: 'DS One', roles: ['supervisor' as const], agency: 'police' }, correlationId: 'spec', causationId: 'req-1', now: '2026-11-30T10:00:00Z' };
const outcome = (p: Promise<unknown>) => p.then(() => 'ok', (e: unknown) => (e instanceof HruError ? e.code : String(e)));

describe('perpetrator commands on the store', () => {
  let store: SqliteEventStore;
  let cleanup: () => void;
  beforeAll(() => {
    const dir = tempDir('hru-perp-commands-');
    cleanup = dir.cleanup;
    store = new SqliteEventStore(join(dir.dir, 'events.sqlite'));
  });
  afterAll(async () => {
    await store.close();
    cleanup();
  });

  it('two links of one pair at once: one is recorded, the other refused as already linked', async () => {
    const a = new PerpetratorCommands(store);
    const b = new PerpetratorCommands(store);
    const payload = partyLinkPayloadSchema.parse({ partyId: pty(1), samePersonAs: pty(2), reason: 'same person' });
    const reversed = partyLinkPayloadSchema.parse({ partyId: pty(2), samePersonAs: pty(1), reason: 'same person, seen from the other side' });
    const results = await Promise.all([outcome(a.link(payload, context)), outcome(b.link(reversed, context))]);
    expect(results.sort()).toEqual(['command_not_allowed', 'ok']);
    const stream = await store.readStream(partyLinkStreamFor(pty(2), pty(1)));
    expect(stream.map((e) => e.type)).toEqual(['PartiesLinked']);
    expect(stream[0]!.metadata.actor).toMatchObject({ sub: 'ds-1' });

    // Undone, then linked again: the stream keeps the whole story.
    await a.unlink(payload, context);
    await a.link(reversed, context);
    expect((await store.readStream(partyLinkStreamFor(pty(1), pty(2)))).map((e) => e.type)).toEqual(['PartiesLinked', 'PartiesUnlinked', 'PartiesLinked']);
  });

  it('two decisions about one perpetrator at one meeting at once: one is recorded', async () => {
    const decision = (d: 'adopt' | 'defer') =>
      taskingDecisionPayloadSchema.parse({ meetingOn: '2026-11-30', partyId: pty(1), decision: d, reason: 'r', attendees: [{ agency: 'police', count: 1 }], score: 3, configVersion: 'default@1' });
    const results = await Promise.all([
      outcome(new PerpetratorCommands(store).recordTaskingDecision(decision('adopt'), context)),
      outcome(new PerpetratorCommands(store).recordTaskingDecision(decision('defer'), context)),
    ]);
    expect(results.sort()).toEqual(['command_not_allowed', 'ok']);
    expect(await store.readStream(taskingStreamFor('2026-11-30', pty(1)))).toHaveLength(1);
  });
});
