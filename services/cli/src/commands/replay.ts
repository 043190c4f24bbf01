/**
 * `hru replay <referralId> [--at ISO] --justification "why"`: a referral's timeline in the terminal, up to
 * a recording time if given, and the state the workflow machine reaches there. The read is logged like any other
 * (DPA 2018 s62), with the operating-system user as the actor. Each event shows when it happened and when it was
 * recorded, labelled, on the London clock with the zone named, as the console shows them.
 */
import { AccessLog, toTimelineEntry, type EventStore, type RecordedEvent } from '@hru/application';
import { randomUUID } from 'node:crypto';
import { userInfo } from 'node:os';
import { parseArgs } from 'node:util';
import { justificationSchema } from '@hru/events';
import { loadConfig } from '@hru/infra';
import { openStore, referralCommandHandler } from '../engine.js';

const PAGE = 1_000;

/** The unit's clock: every statutory time is reckoned in Europe/London, so the timeline is shown there too. */
const londonParts = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/London',
  hourCycle: 'h23',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  timeZoneName: 'short',
});

/** `2026-11-20 10:00:00 GMT` (BST in summer): sortable, to the second, with the zone named. */
export function londonStamp(iso: string): string {
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return iso;
  const p = Object.fromEntries(londonParts.formatToParts(t).map((part) => [part.type, part.value]));
  return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}:${p.second} ${p.timeZoneName}`;
}

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
    // "Happened" can be earlier than "recorded" (an arrest entered the next morning); --at cuts by recording time.
    console.log('Times are Europe/London. happened: when the event took place; recorded: when the engine stored it.');
    for (const event of events) {
      // A justified, logged read like the history route: each line carries the event's why (under `personal`).
      const e = toTimelineEntry(event, { withPersonal: true });
      console.log(`${String(e.revision).padStart(4)}  happened ${londonStamp(e.occurredAt)}  recorded ${londonStamp(e.recordedAt)}  ${e.summary}`);
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
