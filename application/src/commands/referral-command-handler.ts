/**
 * Runs lifecycle commands over the event store: load → fold → decide → append with the expected stream
 * revision. Folded state is cached per stream and checked
 * against the stream's revision on every load (only events after the cached revision are read), so a
 * long case costs one short read, and another writer's appends are never missed.
 */
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import {
  ConcurrencyError,
  ForbiddenError,
  NotFoundError,
  PreconditionFailedError,
  ValidationError,
  eventRegistry,
  fieldErrorsOf,
  type Actor,
  type Envelope,
  type ReferralEvent,
} from '@hru/events';
import {
  MACHINE_VERSION,
  actorMayIssue,
  allowedCommands,
  commandCatalogue,
  decide,
  defaultIntakeRules,
  foldEvents,
  initialSnapshot,
  isCommandName,
  referralIdFor,
  toReferralView,
  type CommandEvent,
  type CommandMeta,
  type CommandName,
  type DecisionOptions,
  type IntakeRules,
  type RetentionTable,
  type ReferralSnapshot,
  type ReferralView,
  type Clocks,
  standardClocks,
} from '@hru/workflows';
import { newEvent, type EventContext } from '../events/new-event.js';
import type { EventStore, RecordedEvent } from '../ports/event-store.js';
import { LruCache } from './lru-cache.js';
import { SnapshotMarks } from './snapshot-marks.js';

export interface ReferralCommandHandlerOptions {
  intakeRules?: IntakeRules;
  /** The MoPI table the retention review decides with (HRU_RETENTION_TABLE); absent = the documented default. */
  retentionTable?: RetentionTable | undefined;
  /** Time a supervisor has to acknowledge an urgent action before it escalates (HRU_ALERT_ACK_SLA). */
  alertAckSlaMs: number;
  /** Escalation stops after this level (default 3). */
  maxEscalationLevel?: number;
  machineVersion?: string;
  /** Referrals whose folded state is kept in memory (default 1,000). */
  cacheSize?: number;
  /** The statutory clocks on the working-day calendar (HRU_CLOCKS, HRU_HOLIDAY_REGION); absent = the documented defaults. */
  clocks?: Clocks;
}

export interface CommandInput {
  name: string;
  payload: unknown;
}

export interface CommandContext {
  actor: Actor;
  correlationId: string;
  causationId?: string;
  /** The time of the command (ISO 8601 with offset): the machine has no clock. */
  now: string;
  /** `If-Match`: the revision the caller last saw; a different current revision fails with 412. */
  expectedRevision?: number;
  eventIds?: () => string;
}

export interface CommandResult {
  revision: number;
  events: Envelope[];
  view: ReferralView;
  /** True when this command started the referral's stream. */
  created: boolean;
}

export interface ReferralAt {
  revision: number;
  view: ReferralView;
  allowedCommands: CommandName[];
}

interface Folded {
  snapshot: ReferralSnapshot;
  /** Revision of the last folded event; -1 when the stream does not exist. */
  revision: number;
}

const nowSchema = z.iso.datetime({ offset: true });

export class ReferralCommandHandler {
  private readonly cache: LruCache<string, Folded>;
  private readonly marks: SnapshotMarks;
  private readonly decisionOptions: DecisionOptions;
  private readonly machineVersion: string;

  constructor(
    private readonly store: EventStore,
    options: ReferralCommandHandlerOptions,
  ) {
    this.cache = new LruCache(options.cacheSize ?? 1_000);
    this.marks = new SnapshotMarks(options.cacheSize ?? 1_000);
    this.machineVersion = options.machineVersion ?? MACHINE_VERSION;
    this.decisionOptions = {
      intakeRules: options.intakeRules ?? defaultIntakeRules,
      alertAckSlaMs: options.alertAckSlaMs,
      maxEscalationLevel: options.maxEscalationLevel ?? 3,
      clocks: options.clocks ?? standardClocks(),
      ...(options.retentionTable ? { retentionTable: options.retentionTable } : {}),
    };
  }

  async handle(referralId: string, input: CommandInput, context: CommandContext): Promise<CommandResult> {
    const command = this.parseCommand(referralId, input, context);
    for (let attempt = 1; ; attempt++) {
      const folded = await this.fold(referralId);
      if (folded.revision < 0 && command.type !== 'receive-referral') throw new NotFoundError('Referral', referralId);
      const { expectedRevision } = context;
      if (expectedRevision !== undefined && expectedRevision !== folded.revision) {
        throw new PreconditionFailedError(expectedRevision, folded.revision);
      }

      const drafts = decide(folded.snapshot, command);
      if (drafts.length === 0) return this.result(folded, [], false);

      // The registry validates each drafted event against its schema and stamps its current version.
      const events = drafts.map((d) => newEvent(d.type, d.data, this.eventContext(context))) as ReferralEvent[];
      // Fold before appending: an event the machine would not accept must never reach the log.
      const snapshot = foldEvents(events, folded.snapshot, folded.revision + 1);
      try {
        const appended = await this.store.appendToStream(referralId, events, {
          expectedRevision: folded.revision < 0 ? 'no_stream' : folded.revision,
        });
        const next = { snapshot, revision: appended.nextExpectedRevision };
        this.cache.set(referralId, next);
        return this.result(next, events, folded.revision < 0);
      } catch (error) {
        if (!(error instanceof ConcurrencyError)) throw error;
        this.cache.delete(referralId);
        this.marks.forget(referralId);
        if (expectedRevision !== undefined) {
          throw new PreconditionFailedError(expectedRevision, typeof error.actual === 'number' ? error.actual : -1);
        }
        // Another writer got in first: decide once more on fresh state, then report the conflict.
        if (attempt >= 2) throw error;
      }
    }
  }

  async load(referralId: string): Promise<ReferralAt | undefined> {
    const folded = await this.fold(referralId);
    if (folded.revision < 0) return undefined;
    return this.at(folded);
  }

  /**
   * The referral as it was at a revision, or as the store held it at a time (by recording time). Folds
   * from the nearest snapshot mark, reading only the events it needs.
   */
  async foldAt(referralId: string, point: { revision: number } | { at: string }): Promise<ReferralAt> {
    let target: number;
    if ('revision' in point) {
      target = point.revision;
    } else {
      const limit = Date.parse(point.at);
      if (Number.isNaN(limit)) throw new ValidationError('Not a time', [{ path: '/at', message: 'an ISO 8601 time' }]);
      const recorded = await this.store.readStream(referralId);
      target = recorded.filter((r) => Date.parse(r.recordedAt) <= limit).at(-1)?.revision ?? -1;
    }
    if (target < 0) throw new NotFoundError('Referral', referralId);
    const mark = this.marks.nearest(referralId, target);
    const from = mark ? mark.revision + 1 : 0;
    const recorded = from > target ? [] : await this.store.readStream(referralId, { fromRevision: from, maxCount: target - from + 1 });
    if (!mark && recorded.length === 0) throw new NotFoundError('Referral', referralId);
    const snapshot = this.foldMarking(referralId, recorded, mark?.snapshot ?? initialSnapshot());
    return this.at({ snapshot, revision: recorded.at(-1)?.revision ?? mark!.revision });
  }

  /** Folds stored events (validated when written: read trusted), leaving snapshot marks on the way. */
  private foldMarking(referralId: string, recorded: readonly RecordedEvent[], from: ReferralSnapshot): ReferralSnapshot {
    let snapshot = from;
    for (const event of recorded) {
      snapshot = foldEvents([eventRegistry.readTrusted(event) as ReferralEvent], snapshot, event.revision);
      this.marks.offer(referralId, event.revision, snapshot);
    }
    return snapshot;
  }

  private parseCommand(referralId: string, input: CommandInput, context: CommandContext): CommandEvent {
    if (!isCommandName(input.name)) {
      throw new ValidationError(`Unknown command ${input.name}`, [{ path: '/command', message: 'not a referral command' }]);
    }
    const name = input.name;
    if (!actorMayIssue(context.actor, name)) throw new ForbiddenError(`This caller may not issue ${name}`, { command: name });
    const parsed = commandCatalogue[name].schema.safeParse(input.payload);
    if (!parsed.success) throw new ValidationError(`Invalid ${name} payload`, fieldErrorsOf(parsed.error));
    if (!nowSchema.safeParse(context.now).success) {
      throw new ValidationError('The command time is not ISO 8601', [{ path: '/now', message: 'an ISO 8601 time with offset' }]);
    }
    if (name === 'receive-referral') {
      const { source } = parsed.data as { source: { system: string; crimeReference: string } };
      if (referralIdFor(source.system, source.crimeReference) !== referralId) {
        throw new ValidationError('The referral id does not match the crime', [
          { path: '/source/crimeReference', message: `referral ${referralId} is not this crime's` },
        ]);
      }
    }
    const meta: CommandMeta = { now: context.now, options: this.decisionOptions, issuerRoles: context.actor.kind === 'person' ? context.actor.roles : [] };
    return { type: name, payload: parsed.data, meta } as CommandEvent;
  }

  private eventContext(context: CommandContext): EventContext {
    return {
      eventId: (context.eventIds ?? randomUUID)(),
      occurredAt: context.now,
      actor: context.actor,
      correlationId: context.correlationId,
      causationId: context.causationId,
      machineVersion: this.machineVersion,
    };
  }

  /** Folded state of a stream: from the cache, brought up to date with whatever was appended since. */
  private async fold(referralId: string): Promise<Folded> {
    // The stream's revision is the cheapest question a store answers (one row of SQLite's streams table):
    // a new referral or an up-to-date cache needs no read of events at all.
    const head = await this.store.streamRevision(referralId);
    if (head === undefined) return { snapshot: initialSnapshot(), revision: -1 };
    let cached = this.cache.get(referralId);
    if (cached && cached.revision === head) return cached;
    if (cached && cached.revision > head) cached = undefined; // the store went back (a restore): fold afresh
    const from = cached ? cached.revision + 1 : 0;
    const recorded = await this.store.readStream(referralId, { fromRevision: from });
    const last = recorded.at(-1);
    if (!last) return cached ?? { snapshot: initialSnapshot(), revision: -1 };
    const snapshot = this.foldMarking(referralId, recorded, cached?.snapshot ?? initialSnapshot());
    const folded = { snapshot, revision: last.revision };
    this.cache.set(referralId, folded);
    return folded;
  }

  private at(folded: Folded): ReferralAt {
    return { revision: folded.revision, view: viewOf(folded), allowedCommands: allowedCommands(folded.snapshot) };
  }

  private result(folded: Folded, events: Envelope[], created: boolean): CommandResult {
    return { revision: folded.revision, events, view: viewOf(folded), created };
  }
}

function viewOf(folded: Folded): ReferralView {
  const view = toReferralView(folded.snapshot, folded.revision);
  // Every stream starts with ReferralReceived, so a stored referral always has a view.
  if (!view) throw new Error('A stored referral has no view: its stream does not start with ReferralReceived');
  return view;
}
