/**
 * Runs the serial-perpetrator commands (link and unlink two party ids, record a tasking decision) over their own
 * streams: read the stream, fold it, decide purely, append with the revision read. Another writer in between makes
 * the append fail; the command is then decided again on the new state (at most three times), so of two staff
 * linking the same pair at once one links and the other is told it is already linked.
 */
import {
  ConcurrencyError,
  partyLinkStreamFor,
  taskingStreamFor,
  type Actor,
} from '@hru/events';
import {
  decideLink,
  decideTasking,
  decideUnlink,
  evolvePartyLink,
  evolveTaskingMeeting,
  initialPartyLinkState,
  initialTaskingMeetingState,
  type PartyLinkPayload,
  type TaskingDecisionPayload,
} from '@hru/workflows';
import { newEvent } from '../events/new-event.js';
import type { EventStore } from '../ports/event-store.js';

export interface PerpetratorCommandContext {
  actor: Actor;
  correlationId: string;
  causationId: string;
  /** When (ISO 8601): the caller's clock. */
  now: string;
}

export interface PerpetratorCommandResult {
  streamId: string;
  revision: number;
  events: { type: string; data: unknown }[];
}

const ATTEMPTS = 3;

async function runOnStream<S>(
  store: EventStore,
  streamId: string,
  initial: S,
  evolve: (state: S, event: { type: string; data: unknown }) => S,
  decide: (state: S) => { type: string; data: unknown }[],
  context: PerpetratorCommandContext,
): Promise<PerpetratorCommandResult> {
  for (let attempt = 1; ; attempt++) {
    const history = await store.readStream(streamId);
    const state = history.reduce(evolve, initial);
    const drafts = decide(state);
    const events = drafts.map((d) =>
      newEvent(d.type, d.data, { actor: context.actor, correlationId: context.correlationId, causationId: context.causationId, occurredAt: context.now }),
    );
    try {
      const expectedRevision = history.length === 0 ? 'no_stream' : history.at(-1)!.revision;
      const { nextExpectedRevision } = await store.appendToStream(streamId, events, { expectedRevision });
      return { streamId, revision: nextExpectedRevision, events: drafts };
    } catch (error) {
      if (!(error instanceof ConcurrencyError) || attempt === ATTEMPTS) throw error;
    }
  }
}

export class PerpetratorCommands {
  constructor(private readonly store: EventStore) {}

  link(payload: PartyLinkPayload, context: PerpetratorCommandContext): Promise<PerpetratorCommandResult> {
    const streamId = partyLinkStreamFor(payload.partyId, payload.samePersonAs);
    return runOnStream(this.store, streamId, initialPartyLinkState, evolvePartyLink, (s) => decideLink(s, payload), context);
  }

  unlink(payload: PartyLinkPayload, context: PerpetratorCommandContext): Promise<PerpetratorCommandResult> {
    const streamId = partyLinkStreamFor(payload.partyId, payload.samePersonAs);
    return runOnStream(this.store, streamId, initialPartyLinkState, evolvePartyLink, (s) => decideUnlink(s, payload), context);
  }

  recordTaskingDecision(payload: TaskingDecisionPayload, context: PerpetratorCommandContext): Promise<PerpetratorCommandResult> {
    const streamId = taskingStreamFor(payload.meetingOn, payload.partyId);
    return runOnStream(this.store, streamId, initialTaskingMeetingState, evolveTaskingMeeting, (s) => decideTasking(s, payload), context);
  }
}
