/**
 * `hru projections rebuild [name…]`: rebuilds read models from the whole log with a progress bar. The live
 * tables keep serving (a running engine included) until the rebuilt ones are complete, then swap at once.
 */
import { loadConfig, openEventStore } from '@hru/infra';
import { allProjections, openReadModels, progressPrinter, rebuildProjections } from '@hru/projections';

export async function runProjections(args: string[]): Promise<number> {
  const [verb, ...names] = args;
  if (verb !== 'rebuild') {
    console.error(`Usage: hru projections rebuild [${allProjections.map((p) => p.name).join('|')}]…`);
    return 1;
  }
  const config = loadConfig();
  const store = await openEventStore({ dataDir: config.dataDir, eventStoreUrl: config.eventStoreUrl });
  const db = openReadModels(config.dataDir);
  try {
    const report = await rebuildProjections(store, db, names, progressPrinter(process.stderr));
    console.log(
      `hru projections rebuild: ${report.projections.join(', ')} rebuilt from ${report.eventsRead} events in ` +
        `${report.seconds.toFixed(1)} s (${Math.round(report.eventsPerSecond)} events/s on ${report.threads} thread${report.threads === 1 ? '' : 's'}), ` +
        `up to position ${report.position}`,
    );
    return 0;
  } finally {
    db.close();
    await store.close();
  }
}
