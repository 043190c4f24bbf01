/**
 * Issue 20: the case search's rebuild over a data dir's log, alone, as `hru projections rebuild case_search` runs
 * it (the intakes opened with the data dir's keys), into a fresh read-model file beside this run (the data dir's
 * own read models are not touched; its log and key store are only read).
 *
 *   HRU_DATA_DIR=<a data dir hru demo wrote> node --conditions=@hru/source --import tsx tests/bench/case-search-rebuild.ts
 *
 * Prints the seconds, the CPU of this process (every thread) and its peak RSS, the events read and the rows built,
 * per intake event opened; on a shared machine, read it beside the load average.
 */
import { join } from 'node:path';
import { loadavg } from 'node:os';
import { loadConfig } from '@hru/infra';
import { openReadModelDb } from '@hru/projections';
import { rebuildReadModels } from '../../services/cli/src/rebuild-read-models.js';
import { tempDir } from '../support/temp-dir.js';

const { dir, cleanup } = tempDir('hru-bench-case-search-rebuild-');
try {
  const config = loadConfig();
  const db = openReadModelDb(join(dir, 'read-models.sqlite'));
  const load = loadavg()[0]!.toFixed(1);
  const cpu = process.cpuUsage();
  const started = performance.now();
  const [report] = await rebuildReadModels(config, db, { names: ['case_search'] });
  const seconds = (performance.now() - started) / 1000;
  const used = process.cpuUsage(cpu);
  const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE 'case_search_%'").all() as { name: string }[];
  const rows = Object.fromEntries(tables.map(({ name }) => [name, (db.prepare(`SELECT count(*) AS n FROM "${name}"`).get() as { n: number }).n]));
  db.close();
  console.log(
    JSON.stringify({
      load,
      seconds: Math.round(seconds * 10) / 10,
      cpuSeconds: Math.round((used.user + used.system) / 1e5) / 10,
      peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
      eventsRead: report?.eventsRead,
      position: String(report?.position),
      rows,
    }),
  );
} finally {
  cleanup();
}
