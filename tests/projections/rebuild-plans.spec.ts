/**
 * A rebuild loads each projection's rows before it creates the secondary indexes (one sort instead of an index
 * update per row), so every statement `apply` runs must find its rows by primary key without them. One that
 * searched by a secondary index scans the whole table instead, once per event: the rebuild turns quadratic (the
 * timers model did, and rebuilt a 100,000-referral log at 2,000 events/s). This spec replays a realistic log into
 * each projection's tables without their indexes, records every statement `apply` prepared, and reads each one's
 * query plan: none may scan a projection table. (The demo's lives hold no MoPI disposal, whose purge of a case by
 * referral id may scan: it comes once, at the end of a case's retention.)
 */
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordPrepared } from './support/prepared-sql.js';
import { loadConfig } from '@hru/infra';
import { engineProjections, installSchema, toProjected, type AnyProjection } from '@hru/projections';
import { openStore, referralCommandHandler } from '../../services/cli/src/engine.js';
import { playScript } from '../../services/cli/src/demo/play-script.js';
import { Random } from '../../services/cli/src/demo/random.js';
import { syntheticCase } from '../../services/cli/src/demo/synthetic-case.js';
import { tempDir } from '../support/temp-dir.js';

const data = tempDir('hru-rebuild-plans-');
let events: ReturnType<typeof toProjected>[] = [];

beforeAll(async () => {
  const config = loadConfig({ HRU_DATA_DIR: data.dir });
  const store = await openStore(config);
  const commands = referralCommandHandler(store, config);
  const random = new Random(5);
  const now = Date.now();
  for (let i = 0; i < 150; i++) await playScript(commands, syntheticCase(i, random, new Date(now - 200 * 86_400_000 + i * 86_400_000)), now);
  events = (await store.inner.readAll()).filter((e) => e.streamId.startsWith('ref-')).map(toProjected);
  await store.close();
}, 120_000);
afterAll(() => data.cleanup());

function planOf(db: Database.Database, sql: string): string[] {
  const params = (sql.match(/\?/g) ?? []).map(() => null);
  return (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params) as { detail: string }[]).map((r) => r.detail);
}

describe('rebuild query plans', () => {
  // With a pseudonym key, so the research model's apply is checked too.
  const projections = engineProjections({ webhookTargets: ['https://pager.example/hook'], pseudonymKey: Buffer.alloc(32, 7) });
  it.each(projections.map((p) => [p.name, p] as const))('%s: every statement of apply finds its rows by key without the secondary indexes', (_, projection: AnyProjection) => {
    const db = new Database(':memory:');
    installSchema(db, projection, { withIndexes: false });
    const prepared = recordPrepared(db).sql;
    const types = new Set<string>(projection.eventTypes);
    let applied = 0;
    for (const event of events) {
      if (!types.has(event.type)) continue;
      projection.apply(db, event);
      applied++;
    }
    expect(applied).toBeGreaterThan(0);
    const scans: string[] = [];
    for (const sql of prepared) {
      if (!/^\s*(SELECT|INSERT|UPDATE|DELETE|WITH|REPLACE)\b/i.test(sql)) continue; // pragmas and the like
      for (const line of planOf(db, sql)) {
        const scanned = /^SCAN (\w+)/.exec(line)?.[1];
        if (scanned && projection.tables.includes(scanned)) scans.push(`${line} in: ${sql.replace(/\s+/g, ' ').trim()}`);
      }
    }
    expect(scans).toEqual([]);
    db.close();
  });
});
