/**
 * The composition root: builds the engine's parts from the configuration. `hru start` runs them all in one
 * process (the embedded default); `hru api`, `hru worker` and `hru projector` run one part each; the tests build
 * the same engine, choosing the parts and, for `inject()`, an app that does not listen.
 */
import { defaultClocks, parseClockOverrides, standardClocks, type Clocks } from '@hru/workflows';
import {
  EncryptingEventStore,
  ReferralCommandHandler,
  SHREDDING_EVENT_TYPES,
  type AppendResult,
  type EventStore,
  type ExpectedRevision,
  type NewEvent,
  type ReadAllOptions,
  type ReadStreamOptions,
  type RecordedEvent,
} from '@hru/application';
import type Database from 'better-sqlite3';
import {
  JobQueues,
  createIntegrityMonitor,
  createRedis,
  eventStoreSettings,
  openEventStore,
  openConfiguredKeyStore,
  pingRedis,
  securePrivateDir,
  startWalCheckpointer,
  type Config,
  type IntegrityMonitor,
  type Logger,
  type SqliteEventStoreOptions,
  loadOrCreateBlindIndexKey,
  loadOrCreatePseudonymKey,
} from '@hru/infra';
import { engineProjections, openedProjections, openReadModels, type MovedAside } from '@hru/projections';
import { Projector } from '@hru/projector';
import { createDeliveryWorker, createTimerWorker, DeliveryThread, recordOutcomeIn } from '@hru/worker';
import { buildApp, createApiDeps, type ApiDeps, type App, type AppOptions } from '@hru/api';
import consolePlugin from '@hru/console';
import { announceRelaxedControls } from './announce.js';
import { announceYoungGeneration } from './young-generation.js';

export interface EngineParts {
  api: boolean;
  /** Produces work: the outbox reactor enqueues alert deliveries and timers. */
  projector: boolean;
  worker: boolean;
}

export interface EngineOptions {
  /** Listen on the configured port (default); `false` builds a ready app for `inject()`. */
  listen?: boolean;
  /** Options of the embedded store (tests poll it more often). */
  sqlite?: SqliteEventStoreOptions;
  /** The clock commands are stamped with (tests control time). */
  now?: () => Date;
  /** A last look at the API's dependencies before the app is built (tests swap a part). */
  adjustApi?: (deps: ApiDeps) => void;
  /** Where the start-up banner about relaxed controls goes (default stderr; tests capture it). */
  banner?: (text: string) => void;
  /**
   * Seal `data.personal` under per-person keys (default true). `false` exists only so that the intake benchmark can
   * price the encryption against the same engine without it; it is deliberately not a config or env setting, so no
   * operator can turn encryption off.
   */
  sealPersonalData?: boolean;
  /**
   * Keep the read models and the alert pipeline fed from the log (default true). `false` exists only so that a
   * benchmark tool (tests/bench/intake-parts.ts) can price them against the same engine without them: no read model
   * is applied and no outbox reactor runs, so no alert goes out. Like `sealPersonalData`, it is not a config or env
   * setting: an engine an operator starts always keeps both.
   */
  liveProjections?: boolean;
  /**
   * Run the alert delivery worker on the engine's own event loop instead of its thread (default false). It exists so
   * that the alert-latency benchmark can measure what the thread saves against the same engine without it; like the
   * two above, it is not a config or env setting.
   */
  deliveryOnEventLoop?: boolean;
}

export interface Engine {
  config: Config;
  store: EncryptingEventStore;
  commands: ReferralCommandHandler;
  /** This process's read models, kept where the API or the projector runs. */
  readModels: Database.Database | undefined;
  projector: Projector | undefined;
  /** Verifies the chains and anchors the log digest on a schedule, where the API runs (its /readyz reports it). */
  integrity: IntegrityMonitor | undefined;
  app: App | undefined;
  stop(): Promise<void>;
}

/**
 * The event store every part of the engine writes and reads through: the configured store, with each person's data
 * sealed under their own key (the key store lives in the data dir, whichever store holds the log).
 */
export async function openStore(config: Config, sqlite?: SqliteEventStoreOptions, seal = true, logger?: Logger): Promise<EncryptingEventStore> {
  const inner = await openEventStore({ ...eventStoreSettings(config), ...(sqlite ? { sqlite } : {}) });
  const keys = await openConfiguredKeyStore(config);
  const follower = {
    onShredded: (count: number) => logger?.info({ keysDestroyed: count }, 'destroyed keys an erasure or disposal in the log called for'),
    onError: (error: unknown) => logger?.error({ err: error }, 'reading the log for the key store failed; retrying'),
  };
  return seal ? new EncryptingEventStore(inner, keys, follower) : new UnsealedEventStore(inner, keys, { ...follower, eventTypes: SHREDDING_EVENT_TYPES });
}

/**
 * The engine's store with the sealing taken out, for the benchmark only (`EngineOptions.sealPersonalData`): events go
 * to the store underneath and come back from it as they are. It keeps the key store (erasure and subject access still
 * find a person's cases there) and still destroys the keys an erasure or disposal calls for, so the only thing it
 * leaves out is the price being measured: key look-up or creation and AES-GCM on append, opening on read, and the key
 * log follower's reading of sealed events to bind their keys (it reads only erasures and disposals here).
 */
class UnsealedEventStore extends EncryptingEventStore {
  override async appendToStream(streamId: string, events: readonly NewEvent[], options?: { expectedRevision?: ExpectedRevision }): Promise<AppendResult> {
    const result = await this.inner.appendToStream(streamId, events, options);
    await this.honourShredding(events);
    return result;
  }

  override readStream(streamId: string, options?: ReadStreamOptions): Promise<RecordedEvent[]> {
    return this.inner.readStream(streamId, options);
  }

  override readAll(options?: ReadAllOptions): Promise<RecordedEvent[]> {
    return this.inner.readAll(options);
  }
}

/** The command handler as the configuration wants it: the SLA, as many escalation levels as tiers, the clocks. */
export function referralCommandHandler(store: EventStore, config: Config): ReferralCommandHandler {
  return new ReferralCommandHandler(store, {
    alertAckSlaMs: config.alertAckSlaMs,
    maxEscalationLevel: config.alertEscalationTiers.length - 1,
    retentionTable: config.retentionTable,
    clocks: clocksOf(config),
  });
}

/** The statutory clocks: the region's working days, and the clock table with HRU_CLOCKS's changes (a bad one throws). */
export function clocksOf(config: Config): Clocks {
  return standardClocks(config.holidayRegion, config.clocksJson ? parseClockOverrides(config.clocksJson) : defaultClocks);
}

export async function startEngine(config: Config, logger: Logger, parts: EngineParts, options: EngineOptions = {}): Promise<Engine> {
  // Before anything opens a file there: the data dir and everything in it readable by this user only.
  securePrivateDir(config.dataDir);
  if (parts.api) announceRelaxedControls(config, logger, options.banner ?? ((text) => process.stderr.write(text)));
  announceYoungGeneration(logger);
  const store = await openStore(config, options.sqlite, options.sealPersonalData ?? true, logger);
  // Keys the log names are bound to their subjects, and keys it says are destroyed are destroyed here too, even if the
  // process that wrote the erasure died first.
  store.follower.start();
  // Alert deliveries on a thread of their own (delivery-thread.ts says why), their outcomes written here. Started
  // first: the thread loads its modules while the rest of the engine starts.
  const deliveryOptions = {
    redisUrl: config.redisUrl,
    record: recordOutcomeIn(store),
    logger: logger.child({ part: 'delivery-worker' }),
    secret: config.alertWebhookSecret,
    tiers: config.alertEscalationTiers,
    publicUrl: config.publicUrl,
  };
  const delivery = parts.worker ? (options.deliveryOnEventLoop ? createDeliveryWorker(deliveryOptions) : new DeliveryThread(deliveryOptions)) : undefined;
  // Where referrals arrive, a batch of keys is made now, in the background: the first referral after a start (a
  // restart in the night) would otherwise make one itself before its 201, every other request held meanwhile.
  if (parts.api && (options.sealPersonalData ?? true)) store.keys.stockAhead();
  const commands = referralCommandHandler(store, config);
  // Each process that serves queries keeps its own read models, fed by its own subscriptions; processes sharing a
  // data dir name a file each (HRU_READ_MODELS_FILE).
  const readModels = parts.api || parts.projector ? openReadModels(config.dataDir, { file: config.readModelsFile, onMovedAside: warnMovedAside(logger) }) : undefined;
  // The read models' WAL checkpoints (a copy and two fsyncs) off the event loop: see wal-checkpointer.ts.
  const readModelCheckpoints = readModels && !readModels.memory
    ? startWalCheckpointer(readModels, { onError: (message) => logger.warn({ sqliteError: message }, 'read-model WAL checkpoint failed; retrying') })
    : undefined;
  const live = options.liveProjections ?? true;
  const queues = parts.projector && live ? new JobQueues(config.redisUrl) : undefined;
  const projector = readModels
    ? new Projector({
        store,
        readModels,
        projections: live ? engineProjections({ webhookTargets: config.alertWebhookUrls, pseudonymKey: loadOrCreatePseudonymKey(config) }) : [],
        openedProjections: live ? openedProjections({ blindIndexKey: loadOrCreateBlindIndexKey(config) }) : [],
        logger,
        queues,
      })
    : undefined;
  projector?.start();
  if (parts.projector && config.alertWebhookUrls.length === 0) {
    logger.warn('HRU_ALERT_WEBHOOK_URL is empty: urgent alerts reach only the console and the live stream, no pager or webhook');
  }

  const workers: { close(): Promise<void> }[] = delivery
    ? [delivery, createTimerWorker({ redisUrl: config.redisUrl, commands, logger: logger.child({ part: 'timer-worker' }) })]
    : [];

  const probe = parts.api ? createRedis(config.redisUrl, 'producer') : undefined;
  probe?.on('error', () => undefined);
  // The chains cover what the store holds (ciphertext): the monitor verifies the store underneath.
  const integrity = parts.api ? createIntegrityMonitor(store.inner, config, logger) : undefined;
  // Requests only once deliveries run: an urgent referral taken before would wait for the thread (DeliveryThread.started).
  if (delivery instanceof DeliveryThread) await startedWithin(delivery, 30_000, logger);
  const app = parts.api && readModels && projector ? await apiOf({ config, logger, store, commands, readModels, projector, probe: probe!, integrity, options }) : undefined;
  integrity?.start();

  return {
    config,
    store,
    commands,
    readModels,
    projector,
    integrity,
    app,
    async stop() {
      // Order matters: stop taking requests, then stop producing work, then finish the work in hand.
      await app?.close();
      await integrity?.stop();
      await projector?.stop();
      await Promise.all(workers.map((w) => w.close()));
      await queues?.close();
      await readModelCheckpoints?.stop();
      readModels?.close();
      probe?.disconnect();
      await store.close();
    },
  };
}

/** Waits for the delivery thread to start, up to `ms`: one that cannot start must not keep the API from starting. */
async function startedWithin(thread: DeliveryThread, ms: number, logger: Logger): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(true), ms)));
  const tooLate = await Promise.race([thread.started.then(() => false), late]);
  clearTimeout(timer);
  if (tooLate) logger.error({ waitedMs: ms }, 'the alert delivery thread has not started; serving requests without waiting for it');
}

/** Read models are disposable: a corrupt file is kept aside for a post-mortem and rebuilt, which the operator should know. */
export function warnMovedAside(logger: Logger): (moved: MovedAside) => void {
  return (moved) => logger.warn({ file: moved.file, movedTo: moved.movedTo, sqliteError: moved.reason }, 'read models were corrupt: moved aside, rebuilding every projection from the event log');
}

async function apiOf(input: {
  config: Config;
  logger: Logger;
  store: EncryptingEventStore;
  commands: ReferralCommandHandler;
  readModels: Database.Database;
  projector: Projector;
  probe: ReturnType<typeof createRedis>;
  integrity: IntegrityMonitor | undefined;
  options: EngineOptions;
}): Promise<App> {
  const { config, options, probe } = input;
  const runtime = {
    config,
    logger: input.logger,
    store: input.store,
    commands: input.commands,
    readModels: input.readModels,
    projectionLag: () => input.projector.lag(),
    app: { rateLimitPerMinute: config.rateLimitPerMinute, alongside: [consolePlugin] } satisfies AppOptions,
    readinessChecks: [{ name: 'redis', check: () => pingRedis(probe) }],
    ...(input.integrity ? { integrity: input.integrity } : {}),
    ...(options.now ? { now: options.now } : {}),
  };
  const deps = createApiDeps(runtime);
  options.adjustApi?.(deps);
  const app = await buildApp(deps, runtime.app);
  if (options.listen === false) await app.ready();
  else await app.listen({ port: config.port, host: config.host });
  return app;
}
