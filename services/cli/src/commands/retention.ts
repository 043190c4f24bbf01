/**
 * `hru retention due [--on DATE] [--json]`: the cases whose MoPI retention review falls due on or before a day
 * (default today), from the read models of this data dir, with the configured table (HRU_RETENTION_TABLE). Ids,
 * groups and dates only: the review itself is the `review-retention` command, through the API.
 */
import { parseArgs } from 'node:util';
import { loadWritingConfig } from '../writing-config.js';
import { openReadModels, readCheckpoint, retentionDue, RETENTION_PROJECTION } from '@hru/projections';
import { defaultRetentionTable, retentionRuleOf } from '@hru/workflows';

const usage = 'Usage: hru retention due [--on YYYY-MM-DD] [--json]';

export async function runRetention(args: string[]): Promise<number> {
  const [verb, ...rest] = args;
  if (verb !== 'due') {
    console.error(usage);
    return 1;
  }
  let values: { on?: string; json?: boolean };
  try {
    ({ values } = parseArgs({ args: rest, options: { on: { type: 'string' }, json: { type: 'boolean', default: false } } }));
  } catch (error) {
    console.error(`hru retention due: ${(error as Error).message}\n${usage}`);
    return 1;
  }
  const on = values.on ?? new Date().toISOString().slice(0, 10);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(on) || Number.isNaN(Date.parse(on))) {
    console.error(`hru retention due: --on is a date such as 2032-04-30, got "${on}"`);
    return 1;
  }
  const config = loadWritingConfig();
  const db = openReadModels(config.dataDir, { file: config.readModelsFile });
  try {
    const checkpoint = readCheckpoint(db, RETENTION_PROJECTION);
    if (!checkpoint) {
      console.error('hru retention due: the retention read model is not built yet: start the engine (it catches up from the log) or run `hru projections rebuild retention`');
      return 1;
    }
    const due = retentionDue(db, retentionRuleOf(config.retentionTable ?? defaultRetentionTable), on);
    if (values.json) {
      console.log(JSON.stringify({ on, position: String(checkpoint.position), due }, null, 2));
      return 0;
    }
    console.log(`${due.length} case${due.length === 1 ? '' : 's'} due for retention review on or before ${on} (read models at log position ${checkpoint.position})`);
    for (const d of due) {
      const last = d.lastDecision ? `, retained on ${d.lastReviewedOn}` : '';
      console.log(`  ${d.referralId}  group ${d.mopiGroup}  due ${d.reviewDue}  (closed ${d.closedOn}${last})`);
    }
    return 0;
  } finally {
    db.close();
  }
}
