/**
 * `hru replay <referralId> [--at ISO] --justification "why"`: a referral's timeline in the terminal, up to
 * a time if given, and the state the workflow machine reaches there. The read is logged like any other
 * (DPA 2018 s62), with the operating-system user as the actor.
 */
import { AccessLog, toTimelineEntry, type EventStore, type RecordedEvent } from '@hru/application';
import { randomUUID } from 'node:crypto';
import { userInfo } from 'node:os';
import { parseArgs } from 'node:util';
import { justificationSchema } from '@hru/events';
import { loadConfig } from '@hru/infra';
import { openStore, referralCommandHandler } from '../engine.js';

const PAGE = 1_000;

export async function runReplay(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { at: { type: 'string' }, justification: { type: 'string' } },
  });
  const referralId = positionals[0];
  const at = values.at === undefined ? undefined : Date.parse(values.at);
  const justification = justificationSchema.safeParse(values.justification);
  if (!referralId || (at !== undefined && Number.isNaN(at)) || !justification.success) {
    console.error('Usage: hru replay <referralId> [--at 2026-11-20T10:00:00Z] --justification "why you need this record"');
    return 1;
  }
  const config = loadConfig();
  const store = await openStore(config);
  try {
    const events = await readUpTo(store, referralId, at);
    if (events.length === 0) {
      console.error(`hru replay: referral ${referralId} has no events${values.at ? ` recorded by ${values.at}` : ''}`);
      return 1;
    }
    await new AccessLog(store).record({
      referralId,
      resource: 'history',
      justification: justification.data,
      actor: { kind: 'system', system: `hru-cli:${userInfo().username}`.slice(0, 100) },
      correlationId: randomUUID(),
      requestId: randomUUID(),
      at: new Date(),
    });
    for (const event of events) {
      // A justified, logged read like the history route: each line carries the event's why (under `personal`).
      const e = toTimelineEntry(event, { withPersonal: true });
      console.log(`${String(e.revision).padStart(4)}  ${e.recordedAt}  ${e.summary}`);
    }
    const last = events.at(-1)!;
    const handler = referralCommandHandler(store, config);
    const state = await handler.foldAt(referralId, { revision: last.revision });
    console.log(`\nat revision ${state.revision}: stage ${state.view.stage}; allowed commands: ${state.allowedCommands.join(', ') || '(none)'}`);
    return 0;
  } finally {
    await store.close();
  }
}

async function readUpTo(store: EventStore, streamId: string, at: number | undefined): Promise<RecordedEvent[]> {
  const out: RecordedEvent[] = [];
  for (let from = 0; ; from += PAGE) {
    const page = await store.readStream(streamId, { fromRevision: from, maxCount: PAGE });
    for (const event of page) {
      if (at !== undefined && Date.parse(event.recordedAt) > at) return out;
      out.push(event);
    }
    if (page.length < PAGE) return out;
  }
}
