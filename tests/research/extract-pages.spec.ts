/**
 * The research extract a page at a time: pages joined are the whole extract's cases in its own order, with each
 * case's interventions, whether the store lists the period's referrals from its receipt index (migration 5: only
 * the page's streams are read) or has no index (the whole log is read and sliced). Cases come from the demo's
 * generator through the real command handler, so they carry interventions and span months.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readResearchExtract, readResearchExtractPage, receiptIndexOf, type EventStore, type ResearchExtractPage } from '@hru/application';
import { loadConfig } from '@hru/infra';
import { openStore, referralCommandHandler } from '../../services/cli/src/engine.js';
import { playScript } from '../../services/cli/src/demo/play-script.js';
import { Random } from '../../services/cli/src/demo/random.js';
import { syntheticCase } from '../../services/cli/src/demo/synthetic-case.js';
import { tempDir } from '../support/temp-dir.js';
import { bareEventStore as withoutIndex } from '../support/bare-event-store.js';

const data = tempDir('hru-extract-pages-');
const key = randomBytes(32);
const period = { from: '2026-02', to: '2026-04' };
let store: Awaited<ReturnType<typeof openStore>>;

async function joinedPages(target: EventStore, limit: number): Promise<{ pages: ResearchExtractPage[]; cases: unknown[]; interventions: unknown[] }> {
  const pages: ResearchExtractPage[] = [];
  let cursor: string | undefined;
  do {
    const page = await readResearchExtractPage(target, { period, key, limit, cursor });
    pages.push(page);
    cursor = page.nextCursor ?? undefined;
  } while (cursor !== undefined && pages.length < 500);
  return { pages, cases: pages.flatMap((p) => p.cases), interventions: pages.flatMap((p) => p.interventions) };
}

const sortedJson = (rows: readonly unknown[]) => rows.map((r) => JSON.stringify(r)).sort();

beforeAll(async () => {
  const config = loadConfig({ HRU_DATA_DIR: data.dir });
  store = await openStore(config);
  const commands = referralCommandHandler(store, config);
  const random = new Random(11);
  const first = Date.parse('2026-01-10T09:00:00Z');
  const now = Date.parse('2026-07-01T00:00:00Z');
  for (let i = 0; i < 120; i++) await playScript(commands, syntheticCase(i, random, new Date(first + i * 36 * 3_600_000)), now);
}, 120_000);
afterAll(async () => {
  await store.close();
  data.cleanup();
});

describe('research extract pages', () => {
  it('has a receipt index on the embedded store (through the encrypting store)', () => {
    expect(receiptIndexOf(store)).toBeDefined();
    expect(receiptIndexOf(withoutIndex(store))).toBeUndefined();
  });

  it.each([
    ['the receipt index', () => store as EventStore],
    ['no index', () => withoutIndex(store)],
  ])('joined pages are the whole extract, through %s', async (_, target) => {
    const whole = await readResearchExtract(store, { period, key });
    expect(whole.cases.length).toBeGreaterThan(40);
    expect(whole.interventions.length).toBeGreaterThan(10);
    const paged = await joinedPages(target(), 9);
    expect(paged.pages.length).toBe(Math.ceil(whole.cases.length / 9));
    expect(paged.pages.at(-1)!.nextCursor).toBeNull();
    expect(paged.cases).toEqual(whole.cases);
    expect(sortedJson(paged.interventions)).toEqual(sortedJson(whole.interventions));
    // Each page's interventions belong to its own cases.
    for (const page of paged.pages) {
      const own = new Set(page.cases.map((c) => c.case_pseudonym));
      for (const row of page.interventions) expect(own.has(row.case_pseudonym)).toBe(true);
    }
  });

  it('refuses a cursor it did not give', async () => {
    await expect(readResearchExtractPage(store, { period, key, limit: 5, cursor: '2026-02|x' })).rejects.toThrow(/cursor/);
  });
});
