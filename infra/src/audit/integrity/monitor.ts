/**
 * The integrity monitor: tamper evidence that needs no one to remember. In the engine process it
 * - verifies the chains at start and every HRU_VERIFY_INTERVAL, incrementally: from the digest boundary
 *   the last check reached (kept in monitor-state.ts's file, outside the log), so a check costs the events
 *   appended since (plus at most one digest block);
 * - anchors the log digest at start and every HRU_ANCHOR_INTERVAL to HRU_ANCHOR_SINK, right after a check,
 *   so an anchor only ever vouches for a verified log and costs only the new events;
 * - on a break: keeps it (status → /readyz 503 and the hru_integrity_* gauges) until the state file is
 *   removed after investigation, and alerts the auditor (break-alert.ts). No anchor is written while
 *   the log is broken: an anchor of a tampered log would vouch for it;
 * - verifies the whole log every HRU_FULL_VERIFY_INTERVAL, against the anchors a file sink holds.
 * Checks and anchors run one at a time; timers are unref'd and stop with the engine.
 */
import type { EventStore } from '@hru/application';
import type { Logger } from '../../logger.js';
import type { AnchorRecord, AnchorSink } from './anchor-sink.js';
import { alertBreaks } from './break-alert.js';
import { breakKey, readMonitorState, writeMonitorState, type MonitorState } from './monitor-state.js';
import type { ChainBreak, ChainVerifier, VerifyReport } from './report.js';

export interface IntegrityMonitorOptions {
  store: EventStore & ChainVerifier;
  stateFile: string;
  sink: AnchorSink | undefined;
  verifyIntervalMs: number;
  anchorIntervalMs: number;
  fullVerifyIntervalMs: number;
  webhookUrls: readonly string[];
  webhookSecret: string | undefined;
  logger: Logger;
}

export interface IntegrityStatus {
  ok: boolean;
  /** Set once the first check has finished. */
  checkedAt: string | null;
  verifiedPosition: string | null;
  breaks: ChainBreak[];
  lastAnchor: MonitorState['lastAnchor'];
  /** Why the last check or anchor could not run (the store unreachable, the sink failing), if it failed. */
  lastError: string | null;
  /** What the last check read: from which position (null: the whole log) and how many events. */
  lastCheck: { fromPosition: string | null; events: number } | null;
}

export class IntegrityMonitor {
  private state: MonitorState;
  private queue: Promise<unknown> = Promise.resolve();
  private readonly timers: NodeJS.Timeout[] = [];
  private lastError: string | null = null;
  private stopped = false;
  /** The fingerprint of the key the last check used, recorded with each anchor. */
  private keyId = '';
  private lastCheck: IntegrityStatus['lastCheck'] = null;

  constructor(private readonly options: IntegrityMonitorOptions) {
    this.state = readMonitorState(options.stateFile, options.store.kind);
  }

  /** The first check and anchor now (not awaited: a long first check must not hold up start-up), then on schedule. */
  start(): void {
    void this.anchor();
    this.timers.push(setInterval(() => void this.check(), this.options.verifyIntervalMs).unref());
    this.timers.push(setInterval(() => void this.anchor(), this.options.anchorIntervalMs).unref());
    this.timers.push(setInterval(() => void this.fullCheck(), this.options.fullVerifyIntervalMs).unref());
  }

  status(): IntegrityStatus {
    return {
      ok: this.state.breaks.length === 0,
      checkedAt: this.state.verified?.at ?? null,
      verifiedPosition: this.state.verified?.position ?? null,
      breaks: this.state.breaks,
      lastAnchor: this.state.lastAnchor,
      lastError: this.lastError,
      lastCheck: this.lastCheck,
    };
  }

  /** Verifies the whole log against the anchors the sink holds (when it can read them back). */
  fullCheck(): Promise<IntegrityStatus> {
    return this.serial(() => this.fullCheckNow());
  }

  /** Verifies what was appended since the last check; resolves with the status after it. */
  check(): Promise<IntegrityStatus> {
    return this.serial(() => this.checkNow());
  }

  /** A check, then (when the log is intact and a sink is set) an anchor of what it verified. */
  anchor(): Promise<IntegrityStatus> {
    return this.serial(async () => {
      await this.checkNow();
      // An empty log has nothing to vouch for; a broken one must not be vouched for.
      const verified = this.state.verified;
      if (this.state.breaks.length === 0 && verified && verified.events > 0 && this.options.sink) await this.anchorNow(this.options.sink);
    });
  }

  /** Waits for the checks and anchors in hand, and schedules no more. */
  async stop(): Promise<void> {
    this.stopped = true;
    for (const timer of this.timers) clearInterval(timer);
    await this.queue;
  }

  private serial(work: () => Promise<void>): Promise<IntegrityStatus> {
    const run = this.queue.then(async () => {
      if (this.stopped) return;
      try {
        await work();
        this.lastError = null;
      } catch (error) {
        this.lastError = error instanceof Error ? error.message : String(error);
        this.options.logger.warn({ err: this.lastError }, 'integrity check or anchor could not run');
      }
    });
    this.queue = run;
    return run.then(() => this.status());
  }

  private async checkNow(): Promise<void> {
    const { store } = this.options;
    const resume = this.state.resume;
    const report = await store.verifyChains({
      ...(resume ? { resume: { position: BigInt(resume.position), events: resume.events, digest: resume.digest } } : {}),
      keepBoundaries: true,
    });
    const breaks = [...report.breaks, ...this.truncation(report), ...this.downgrade(report)];
    const lastAnchored = this.state.lastAnchor ? BigInt(this.state.lastAnchor.position) : -1n;
    this.state = {
      ...this.state,
      resume: report.lastBoundary,
      verified: { position: report.headPosition, events: report.headEvents, digest: report.headDigest, at: new Date().toISOString() },
      unkeyedEvents: report.fromPosition === undefined ? withoutKeyedLink(report) : this.state.unkeyedEvents,
      unanchoredBlocks: mergeBlocks(this.state.unanchoredBlocks, (report.boundaries ?? []).filter((b) => BigInt(b.position) > lastAnchored)),
    };
    this.keyId = report.keyId;
    this.lastCheck = { fromPosition: report.fromPosition ?? null, events: report.events };
    await this.keep(breaks, report.store);
  }

  /**
   * The full check, on its own schedule (HRU_FULL_VERIFY_INTERVAL): incremental checks never read an event
   * twice, so an edit to one verified before is found here (the keyed chains), and a rewrite by someone
   * holding the key by the anchors the file sink holds. It leaves the incremental state as it is.
   */
  private async fullCheckNow(): Promise<void> {
    const anchors = (await this.options.sink?.readBack?.()) ?? [];
    const report = await this.options.store.verifyChains({ anchors });
    this.lastCheck = { fromPosition: null, events: report.events };
    const breaks = [...report.breaks, ...this.downgrade(report)];
    this.state = { ...this.state, unkeyedEvents: withoutKeyedLink(report) };
    await this.keep(breaks, report.store);
  }

  /** Keeps the breaks not known yet (they stay reported), saves the state, and alerts the auditor to them. */
  private async keep(breaks: ChainBreak[], storeKind: string): Promise<void> {
    const known = new Set(this.state.breaks.map(breakKey));
    const found = breaks.filter((b) => !known.has(breakKey(b)));
    this.state = { ...this.state, breaks: [...this.state.breaks, ...found] };
    writeMonitorState(this.options.stateFile, this.state);
    if (found.length > 0) await alertBreaks(found, { ...this.options, storeKind });
  }

  /** The head went back behind what an earlier check verified: the end of the log was cut. */
  private truncation(report: VerifyReport): ChainBreak[] {
    const before = this.state.verified;
    if (!before || BigInt(report.headPosition) >= BigInt(before.position)) return [];
    if (report.breaks.some((b) => b.kind === 'log-truncated')) return [];
    return [{ kind: 'log-truncated', streamId: '*', revision: null, position: report.headPosition, expected: `the log to reach position ${before.position}, verified at ${before.at}`, found: `the log ends at ${report.headPosition}` }];
  }

  /** A full check finds more events without a keyed link than the first one did: links were stripped or downgraded. */
  private downgrade(report: VerifyReport): ChainBreak[] {
    const before = this.state.unkeyedEvents;
    const now = withoutKeyedLink(report);
    if (report.fromPosition !== undefined || before === undefined || now <= before) return [];
    return [{ kind: 'links-downgraded', streamId: '*', revision: null, position: null, expected: `${before} events without a keyed link`, found: `${now}` }];
  }

  private async anchorNow(sink: AnchorSink): Promise<void> {
    const verified = this.state.verified!;
    const record: AnchorRecord = {
      store: this.options.store.kind,
      keyId: this.keyId,
      position: verified.position,
      events: verified.events,
      digest: verified.digest,
      at: new Date().toISOString(),
      blocks: this.state.unanchoredBlocks,
    };
    await sink.write(record);
    this.state = { ...this.state, lastAnchor: { position: record.position, digest: record.digest, at: record.at }, unanchoredBlocks: [] };
    writeMonitorState(this.options.stateFile, this.state);
    this.options.logger.info({ position: record.position, sink: sink.target }, 'log digest anchored');
  }
}

function withoutKeyedLink(report: VerifyReport): number {
  return (report.unchained?.events ?? 0) + (report.unkeyed?.events ?? 0);
}

function mergeBlocks<T extends { events: number }>(kept: T[], more: T[]): T[] {
  const last = kept.at(-1)?.events ?? 0;
  return [...kept, ...more.filter((b) => b.events > last)];
}
