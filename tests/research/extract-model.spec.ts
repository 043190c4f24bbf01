/**
 * The research extract's read model (issue #20) against the log it replaces on the route: over cases played through
 * the real command handler (interventions, measures, outcomes, closures across months), with people erased, a case
 * disposed and a case reopened by another, every page the model gives for random periods and page sizes, cursor
 * after cursor, is the page `readResearchExtractPage` reads from the log. The model's rows are the same after a
 * rebuild (its shadow applier), and they hold no id, reference or exact date; with another key it does not answer.
 */
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readResearchExtractPage, type EventStore, type ResearchExtractPage } from '@hru/application';
import { loadConfig } from '@hru/infra';
import { pseudonymiser } from '@hru/workflows';
import {
  openReadModelDb,
  ProjectionRunner,
  rebuildProjections,
  researchExtractPageFromModel,
  researchExtractTextFromModel,
  researchProjection,
  writeCheckpoint,
} from '@hru/projections';
import type Database from 'better-sqlite3';
import { openStore, referralCommandHandler } from '../../services/cli/src/engine.js';
import { playScript } from '../../services/cli/src/demo/play-script.js';
import { Random } from '../../services/cli/src/demo/random.js';
import { syntheticCase } from '../../services/cli/src/demo/synthetic-case.js';
import { event } from '../projections/support/history.js';
import { seeded } from '../projections/support/random-history.js';
import { tempDir } from '../support/temp-dir.js';
import { recordPrepared } from '../projections/support/prepared-sql.js';

const data = tempDir('hru-extract-model-');
const key = randomBytes(32);
const projection = researchProjection({ pseudonymKey: key });
let store: Awaited<ReturnType<typeof openStore>>;
let db: Database.Database;
let runner: ProjectionRunner;

const months = ['2026-01', '2026-02', '2026-03', '2026-04', '2026-05', '2026-06', '2026-07'];

/** The cases' parties as their intake named them (ids from the log, for the erasures below). */
async function partiesOf(referralId: string): Promise<string[]> {
  const [received] = await store.readStream(referralId, { maxCount: 1 });
  return ((received!.data as { parties: { partyId: string }[] }).parties ?? []).map((p) => p.partyId);
}

beforeAll(async () => {
  const config = loadConfig({ HRU_DATA_DIR: data.dir });
  store = await openStore(config);
  const commands = referralCommandHandler(store, config);
  const random = new Random(23);
  const first = Date.parse('2026-01-10T09:00:00Z');
  const now = Date.parse('2026-07-01T00:00:00Z');
  const ids: string[] = [];
  for (let i = 0; i < 100; i++) ids.push((await playScript(commands, syntheticCase(i, random, new Date(first + i * 36 * 3_600_000)), now)).referralId);
  // Erasures and a disposal, appended as the data-protection service appends them.
  const append = (id: string, e: ReturnType<typeof event>) => store.appendToStream(id, [e]);
  const [erasedOne, disposed, sharedA] = [ids[3]!, ids[7]!, ids[12]!];
  const [victim] = await partiesOf(erasedOne);
  await append(erasedOne, event('PartyErased', { referralId: erasedOne, partyId: victim! }, '2026-06-20T10:00:00Z'));
  await append(disposed, event('RetentionReviewed', { referralId: disposed, decision: 'dispose', mopiGroup: 3, nextReviewDue: null, disposedParties: await partiesOf(disposed), personal: { erased: true } }, '2026-06-21T10:00:00Z'));
  const perpetrators = (await partiesOf(sharedA)).slice(1);
  for (const partyId of perpetrators) await append(sharedA, event('PartyErased', { referralId: sharedA, partyId }, '2026-06-22T10:00:00Z'));
  db = openReadModelDb(join(data.dir, 'research-model.sqlite'));
  runner = new ProjectionRunner({ store, db, projections: [projection] });
  runner.start();
  await runner.waitUntilCaughtUp();
}, 180_000);
afterAll(async () => {
  await runner.stop();
  db.close();
  await store.close();
  data.cleanup();
});

async function walk(read: (cursor: string | undefined) => Promise<ResearchExtractPage | undefined>): Promise<ResearchExtractPage[]> {
  const pages: ResearchExtractPage[] = [];
  let cursor: string | undefined;
  do {
    const page = await read(cursor);
    expect(page).toBeDefined();
    pages.push(page!);
    cursor = page!.nextCursor ?? undefined;
  } while (cursor !== undefined && pages.length < 200);
  return pages;
}

/** `count` periods within the cases' months, each with a page size of 1 to `maxLimit`, drawn from `seed`. */
function randomPages(seed: number, count: number, maxLimit: number): { period: { from: string; to: string }; limit: number }[] {
  const r = seeded(seed);
  return Array.from({ length: count }, () => {
    const a = months[Math.floor(r.next() * months.length)]!;
    const b = months[Math.floor(r.next() * months.length)]!;
    return { period: a <= b ? { from: a, to: b } : { from: b, to: a }, limit: 1 + Math.floor(r.next() * maxLimit) };
  });
}

describe('the research read model', () => {
  it('has cases with interventions, outcomes, erased people and a disposal to compare', async () => {
    const whole = researchExtractPageFromModel(db, { period: { from: '2026-01', to: '2026-07' }, key, limit: 5_000 })!;
    expect(whole.cases.length).toBe(100);
    expect(whole.interventions.length).toBeGreaterThan(10);
    expect(whole.cases.filter((c) => c.retention_disposed === true)).toHaveLength(1);
    expect(whole.cases.filter((c) => Number(c.erased_parties) > 0).length).toBeGreaterThanOrEqual(3);
    expect(whole.cases.filter((c) => (c.home_office_outcome_codes as string[]).length > 0).length).toBeGreaterThan(3);
    expect(whole.cases.filter((c) => c.status === 'closed').length).toBeGreaterThan(3);
  });

  it('gives the log\'s pages, cursor for cursor, for random periods and page sizes', async () => {
    for (const { period, limit } of randomPages(5, 12, 30)) {
      const fromModel = await walk(async (cursor) => researchExtractPageFromModel(db, { period, key, limit, cursor }));
      const fromLog = await walk((cursor) => readResearchExtractPage(store as EventStore, { period, key, limit, cursor }));
      expect(fromModel, `${period.from}..${period.to} by ${limit}`).toEqual(fromLog);
    }
  }, 120_000);

  it('stores each page\'s rows as the very text the log\'s page stringifies to', async () => {
    for (const { period, limit } of randomPages(11, 8, 40)) {
      let cursor: string | undefined;
      do {
        const text = researchExtractTextFromModel(db, { period, key, limit, cursor })!;
        const fromLog = await readResearchExtractPage(store as EventStore, { period, key, limit, cursor });
        expect(`[${text.cases.join(',')}]`).toBe(JSON.stringify(fromLog.cases));
        expect(`[${text.interventions.join(',')}]`).toBe(JSON.stringify(fromLog.interventions));
        expect([text.keyId, text.nextCursor]).toEqual([fromLog.keyId, fromLog.nextCursor]);
        cursor = text.nextCursor ?? undefined;
      } while (cursor !== undefined);
    }
  }, 120_000);

  it('answers a cursor from anywhere in the period as the log does', async () => {
    const period = { from: '2026-02', to: '2026-05' };
    const whole = (await readResearchExtractPage(store as EventStore, { period, key, limit: 5_000 })).cases;
    for (const row of [whole[0]!, whole[17]!, whole.at(-2)!]) {
      const cursor = `${String(row.received_month)}|${String(row.case_pseudonym)}`;
      expect(researchExtractPageFromModel(db, { period, key, limit: 7, cursor })).toEqual(await readResearchExtractPage(store as EventStore, { period, key, limit: 7, cursor }));
    }
    expect(() => researchExtractPageFromModel(db, { period, key, limit: 5, cursor: '2026-02|x' })).toThrow(/cursor/);
  });

  it('reads a page as a range of the index in the extract\'s order: no scan, no sort', () => {
    // A connection of its own: its statements are prepared afresh, so they are recorded.
    const reader = openReadModelDb(join(data.dir, 'research-model.sqlite'));
    const recorded = recordPrepared(reader);
    try {
      expect(researchExtractPageFromModel(reader, { period: { from: '2026-03', to: '2026-03' }, key, limit: 10, cursor: '2026-03|c-0000000000000000' })?.cases).toHaveLength(10);
    } finally {
      recorded.stop();
      reader.close();
    }
    const page = [...recorded.sql].find((sql) => sql.includes('FROM research_cases'));
    expect(page).toBeDefined();
    const plan = (db.prepare(`EXPLAIN QUERY PLAN ${page!}`).all('2026-03', '2026-03', '2026-03', 'c-0', 11) as { detail: string }[]).map((r) => r.detail);
    expect(plan.join('; ')).toMatch(/^SEARCH research_cases USING INDEX research_cases_in_order \(received_month>\? AND received_month<\?\)|^SEARCH research_cases USING INDEX research_cases_in_order/);
    expect(plan.join('; ')).not.toMatch(/TEMP B-TREE|SCAN research_cases/);
  });

  it('does not answer from an earlier version\'s tables, which serve until its rebuild swaps in (the caller reads the log)', () => {
    const earlier = openReadModelDb(join(data.dir, 'research-v1.sqlite'));
    try {
      // Version 1's tables as an upgraded node still holds them: folds, no rendered rows.
      earlier.exec(`CREATE TABLE research_cases (case_pseudonym TEXT NOT NULL UNIQUE, received_month TEXT NOT NULL, fold TEXT NOT NULL);
                    CREATE TABLE research_key (id INTEGER PRIMARY KEY CHECK (id = 1), key_id TEXT NOT NULL)`);
      earlier.prepare('INSERT INTO research_key (id, key_id) VALUES (1, ?)').run(pseudonymiser(key).keyId);
      writeCheckpoint(earlier, { projection: projection.name, version: 1, position: 10n, generation: 1 });
      expect(researchExtractTextFromModel(earlier, { period: { from: '2026-01', to: '2026-07' }, key, limit: 10 })).toBeUndefined();
      expect(researchExtractPageFromModel(earlier, { period: { from: '2026-01', to: '2026-07' }, key, limit: 10 })).toBeUndefined();
    } finally {
      earlier.close();
    }
  });

  it('does not answer for another key (the caller reads the log)', () => {
    expect(researchExtractPageFromModel(db, { period: { from: '2026-01', to: '2026-07' }, key: randomBytes(32), limit: 10 })).toBeUndefined();
  });

  it('keeps no id, reference or exact date in its rows', () => {
    const text = JSON.stringify(db.prepare('SELECT * FROM research_cases').all());
    expect(text).not.toMatch(/ref-[0-9a-f]{32}/);
    expect(text).not.toMatch(/pty-/);
    expect(text).not.toMatch(/[0-9]{4}-[0-9]{2}-[0-9]{2}/);
  });

  it('holds the same rows after a rebuild', async () => {
    const rebuilt = openReadModelDb(join(data.dir, 'rebuilt.sqlite'));
    try {
      await rebuildProjections(store, rebuilt, [projection.name], undefined, { known: [projection], threads: 1 });
      const rows = (d: Database.Database) => d.prepare('SELECT * FROM research_cases ORDER BY case_pseudonym').all();
      expect(rows(rebuilt)).toEqual(rows(db));
      expect(rows(rebuilt).length).toBe(100);
    } finally {
      rebuilt.close();
    }
  }, 60_000);
});
