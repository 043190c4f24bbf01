/**
 * `hru projections rebuild [name…]`: rebuilds read models from the whole log with a progress bar. The live
 * tables keep serving (a running engine included) until the rebuilt ones are complete, then swap at once.
 */
import { loadWritingConfig } from '../writing-config.js';
import { CASE_SEARCH_PROJECTION, engineProjections, openReadModels, RESEARCH_PROJECTION } from '@hru/projections';
import { walCheckpointsDone } from '@hru/infra/sqlite';
import { progressPrinter } from '../progress-bar.js';
import { rebuildReadModels } from '../rebuild-read-models.js';

/**
 * `--threads N` (the embedded store only; by default two for a long log where there are two cores): fewer leaves
 * a running engine more CPU.
 */
function threadsFrom(args: string[]): { threads: number | undefined; rest: string[] } | undefined {
  const at = args.indexOf('--threads');
  if (at < 0) return { threads: undefined, rest: args };
  const threads = Number(args[at + 1]);
  if (!Number.isInteger(threads) || threads < 1 || threads > 16) return undefined;
  return { threads, rest: [...args.slice(0, at), ...args.slice(at + 2)] };
}

export async function runProjections(args: string[]): Promise<number> {
  const parsed = threadsFrom(args);
  const [verb, ...names] = parsed?.rest ?? [];
  const config = loadWritingConfig();
  if (!parsed || verb !== 'rebuild') {
    const names = [...engineProjections({ webhookTargets: config.alertWebhookUrls }).map((p) => p.name), RESEARCH_PROJECTION, CASE_SEARCH_PROJECTION];
    console.error(`Usage: hru projections rebuild [${names.join('|')}]… [--threads N]`);
    return 1;
  }
  const db = openReadModels(config.dataDir, {
    file: config.readModelsFile,
    onMovedAside: (moved) => console.error(`hru: ${moved.file} was corrupt (${moved.reason}): moved aside to ${moved.movedTo}; projections not rebuilt now catch up from the log when the engine starts`),
  });
  try {
    const reports = await rebuildReadModels(config, db, { names, onProgress: progressPrinter(process.stderr), ...(parsed.threads ? { threads: parsed.threads } : {}) });
    for (const report of reports) {
      // On several threads, what each loaded (this process's own first): the plan is the rebuild's to choose.
      const plan =
        report.threads > 1
          ? `: ${report.parts.map((part) => part.projections.join(', ') + (part.partition ? ` (streams ${part.partition.index + 1} of ${part.partition.count})` : '')).join(' | ')}`
          : '';
      console.log(
        `hru projections rebuild: ${report.projections.join(', ')} rebuilt from ${report.eventsRead} events in ` +
          `${report.seconds.toFixed(1)} s (${Math.round(report.eventsPerSecond)} events/s on ${report.threads} thread${report.threads === 1 ? '' : 's'}${plan}), ` +
          `up to position ${report.position}`,
      );
    }
    return 0;
  } finally {
    // The swaps' WAL is copied back into the file on a thread of their own (checkpoint-beside.ts): the command ends
    // once it is, so the file it leaves holds the rows and no WAL of 100 MB waits for the engine's first start.
    await walCheckpointsDone(db);
    db.close();
  }
}
