/**
 * `hru migrate --to kurrentdb://… [--verify-only] [--json]`: copies the embedded log (HRU_DATA_DIR/events.sqlite)
 * into KurrentDB/EventStoreDB with a progress bar, then verifies that every stream and every event arrived as it
 * was and that the hash chains verify there. Re-running resumes after what arrived (compared, not trusted); a target
 * holding anything else is refused before anything is written. Stop every engine process on the data dir first:
 * whatever they append meanwhile is copied only if it is read in time, and the verification then says what is
 * missing (run it again).
 *
 * Exit codes: 0 copied and verified; 1 usage, a missing log, or a refused target; 4 the verification found a
 * difference or a broken chain.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { EventStore } from '@hru/application';
import {
  canVerifyChains,
  compareLogs,
  configSchema,
  copyLog,
  describeDifference,
  loadConfig,
  openEventStore,
  type CopyReport,
  type LogComparison,
  type VerifyReport,
} from '@hru/infra';
import { RateMeter } from '@hru/projections';
import { progressPrinter } from '../progress-bar.js';

const usage = 'Usage: hru migrate --to kurrentdb://HOST:2113[?tls=…] [--verify-only] [--json]';

export interface MigrationOutcome {
  ok: boolean;
  copy: CopyReport | null;
  comparison: LogComparison;
  chains: Pick<VerifyReport, 'ok' | 'streams' | 'events' | 'headPosition' | 'headDigest' | 'brokenStreams' | 'firstBreak'> | null;
  seconds: number;
}

export async function runMigrate(args: string[]): Promise<number> {
  let values: { to?: string; 'verify-only': boolean; json: boolean };
  try {
    ({ values } = parseArgs({ args, options: { to: { type: 'string' }, 'verify-only': { type: 'boolean', default: false }, json: { type: 'boolean', default: false } } }));
  } catch (error) {
    console.error(`hru migrate: ${(error as Error).message}\n${usage}`);
    return 1;
  }
  const to = values.to;
  // The same URL check as EVENTSTORE_URL, which the engine is started with afterwards.
  if (!to || !configSchema.shape.EVENTSTORE_URL.safeParse(to).success) {
    console.error(`hru migrate: --to is the KurrentDB connection string to copy into (kurrentdb://, esdb:// or their +discover forms)\n${usage}`);
    return 1;
  }
  const config = loadConfig();
  const file = join(config.dataDir, 'events.sqlite');
  // Opening a missing log would create an empty one, and a migration of nothing would "succeed".
  if (!existsSync(file)) {
    console.error(`hru migrate: there is no embedded log at ${file} (HRU_DATA_DIR=${config.dataDir})`);
    return 1;
  }
  const source = await openEventStore({ dataDir: config.dataDir, chainKey: config.chainKey });
  let target: EventStore | undefined;
  try {
    // The target's chains are keyed with the same key (HRU_CHAIN_KEY, or the data dir's key file) the engine uses.
    target = await openEventStore({ dataDir: config.dataDir, eventStoreUrl: to, chainKey: config.chainKey });
    const outcome = await migrate(source, target, { verifyOnly: values['verify-only'], quiet: values.json });
    if (values.json) console.log(JSON.stringify(outcome, (_k, v: unknown) => (typeof v === 'bigint' ? String(v) : v), 2));
    else printOutcome(outcome);
    return outcome.ok ? 0 : 4;
  } finally {
    await target?.close();
    await source.close();
  }
}

/** Copy (unless only verifying), then compare both logs whole and verify the target's chains. */
export async function migrate(source: EventStore, target: EventStore, options: { verifyOnly?: boolean; quiet?: boolean } = {}): Promise<MigrationOutcome> {
  const started = performance.now();
  const bar = (unit: string) => (options.quiet ? () => undefined : progressPrinter(process.stderr, { unit }));
  const head = await source.headPosition();

  let copy: CopyReport | null = null;
  if (!options.verifyOnly) {
    const meters = { compare: new RateMeter(head), copy: new RateMeter(head) };
    const draw = { compare: bar('events already there'), copy: bar('events copied') };
    const seen = { compare: 0, copy: 0 };
    copy = await copyLog(source, target, {
      onProgress: (p) => {
        meters[p.phase].advance(p.events - seen[p.phase], p.position, p.head);
        seen[p.phase] = p.events;
        draw[p.phase](meters[p.phase].progress());
      },
    });
    const meter = meters.copy;
    meter.advance(copy.copied - seen.copy, head, head);
    draw.copy({ ...meter.progress(), fraction: 1, etaSeconds: 0, done: true });
  }

  const compareMeter = new RateMeter(head);
  const drawCompare = bar('events compared');
  let compared = 0;
  const comparison = await compareLogs(source, target, {
    onProgress: (p) => {
      compareMeter.advance(p.events - compared, p.position, head);
      compared = p.events;
      drawCompare(compareMeter.progress());
    },
  });
  compareMeter.advance(comparison.events - compared, head, head);
  drawCompare({ ...compareMeter.progress(), fraction: 1, etaSeconds: 0, done: true });

  let chains: MigrationOutcome['chains'] = null;
  if (canVerifyChains(target)) {
    const report = await target.verifyChains();
    const { ok, streams, events, headPosition, headDigest, brokenStreams, firstBreak } = report;
    chains = { ok, streams, events, headPosition, headDigest, brokenStreams, firstBreak };
  }
  // Every event and stream compared equal, and the target's chains cover exactly those (nothing beside them).
  const ok = comparison.difference === null && chains !== null && chains.ok && chains.events === comparison.events && chains.streams === comparison.streams;
  return { ok, copy, comparison, chains, seconds: (performance.now() - started) / 1000 };
}

function printOutcome(o: MigrationOutcome): void {
  if (o.copy) console.log(`copied ${o.copy.copied} events in ${o.copy.appends} appends (${o.copy.alreadyThere} were there already, each identical)`);
  const c = o.comparison;
  console.log(c.difference ? `DIFFERENT: ${describeDifference(c.difference)}` : `identical: ${c.events} events in ${c.streams} streams, in the same order, ids, types, data and metadata`);
  if (!o.chains) console.log('BROKEN: the target cannot verify hash chains');
  else if (!o.chains.ok) console.log(`BROKEN: ${o.chains.brokenStreams} streams' chains do not verify on the target; first: ${o.chains.firstBreak?.kind} in ${o.chains.firstBreak?.streamId}`);
  else {
    console.log(`chains verify on the target: ${o.chains.events} events in ${o.chains.streams} streams`);
    // Positions differ in KurrentDB, so its digest is a new one: the anchors recorded for the embedded log do not apply.
    console.log(`target log digest ${o.chains.headPosition}:${o.chains.headDigest} (anchor it)`);
    // Read-model checkpoints are embedded positions, which mean other events on the target: rebuilt, never resumed.
    if (o.ok) console.log('to run on it: delete the read-model files, then start the engine with EVENTSTORE_URL set to the target');
  }
  console.log(`${o.ok ? 'OK' : 'NOT DONE'} in ${o.seconds.toFixed(1)} s`);
}
