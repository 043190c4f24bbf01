/**
 * Reads the log for the research extract: every referral event up to the head as it was when the read began (a
 * consistent cut however long it takes), page by page through the store's raw read, upcast but not validated as a
 * replay reads it. The extract takes enumerated facts, counts and months only; it never reads `data.personal`,
 * so it works the same whether or not the store encrypts that section.
 */
import { ValidationError, eventRegistry, referralEventDefinitions, type ReferralEvent } from '@hru/events';
import { ResearchExtractBuilder, monthOf, pseudonymiser, type ResearchExtract, type ResearchPeriod } from '@hru/workflows';
import type { EventStore } from '../ports/event-store.js';
import { receiptIndexOf } from '../ports/receipt-index.js';

const PAGE = 2_000;
const referralEventTypes = referralEventDefinitions.map((definition) => definition.type);
const referralTypes = new Set<string>(referralEventTypes);

export interface ExtractReadProgress {
  eventsRead: number;
  /** Last position read, and the head the read stops at. */
  position: bigint;
  head: bigint;
  casesInPeriod: number;
}

export interface ResearchExtractOptions {
  period: ResearchPeriod;
  /** The pseudonym key (HRU_PSEUDONYM_KEY), at least 32 bytes. */
  key: Uint8Array;
  /** Called after each page, for a progress bar. */
  onPage?: (progress: ExtractReadProgress) => void;
}

export async function readResearchExtract(store: EventStore, options: ResearchExtractOptions): Promise<ResearchExtract> {
  const pseudonyms = pseudonymiser(options.key); // refuses a short key before any reading
  const builder = new ResearchExtractBuilder(options.period);
  const head = await store.headPosition();
  let eventsRead = 0;
  for (let from = 0n; head >= 0n; ) {
    const page = await store.readAllRaw({ fromPosition: from, maxCount: PAGE, eventTypes: referralEventTypes, upTo: head });
    for (const raw of page) builder.add(eventRegistry.readTrusted(raw) as unknown as ReferralEvent);
    eventsRead += page.length;
    const last = page.at(-1)?.position ?? head;
    options.onPage?.({ eventsRead, position: last, head, casesInPeriod: builder.caseCount });
    if (page.length < PAGE) break;
    from = last + 1n;
  }
  return builder.build(pseudonyms);
}

export interface ResearchExtractPageOptions extends ResearchExtractOptions {
  /** Cases a page holds at most. */
  limit: number;
  /** `nextCursor` of the previous page: the month and case pseudonym of its last case. */
  cursor?: string | undefined;
}

export interface ResearchExtractPage extends ResearchExtract {
  /** Pass as `cursor` for the next page; null on the last. */
  nextCursor: string | null;
}

const CURSOR = /^([0-9]{4}-[0-9]{2})\|(c-[0-9a-f]{16})$/;

/**
 * One page of the extract: its cases in the extract's own order (month of receipt, then case pseudonym, never
 * time) with their interventions. Where the store indexes referrals by receipt, only the cases of the period are
 * listed and only the page's streams read, so a month costs its page, not the log; otherwise the whole extract
 * is built and sliced. Either way the pages, joined, are the extract's cases.
 */
export async function readResearchExtractPage(store: EventStore, options: ResearchExtractPageOptions): Promise<ResearchExtractPage> {
  const after = options.cursor === undefined ? undefined : CURSOR.exec(options.cursor);
  if (options.cursor !== undefined && !after) throw new ValidationError('Not a cursor of this extract', [{ path: '/cursor', message: 'use nextCursor as given' }]);
  const pseudonyms = pseudonymiser(options.key);
  const byMonthThenPseudonym = (a: { month: string; pseudonym: string }, b: { month: string; pseudonym: string }) =>
    a.month.localeCompare(b.month) || a.pseudonym.localeCompare(b.pseudonym);
  const afterCursor = (c: { month: string; pseudonym: string }) => !after || byMonthThenPseudonym(c, { month: after[1]!, pseudonym: after[2]! }) > 0;
  const index = receiptIndexOf(store);
  if (!index) {
    const whole = await readResearchExtract(store, options);
    const keys = whole.cases.map((row) => ({ month: String(row.received_month), pseudonym: String(row.case_pseudonym) })).filter(afterCursor);
    const page = new Set(keys.slice(0, options.limit).map((k) => k.pseudonym));
    const last = keys[Math.min(options.limit, keys.length) - 1];
    return {
      ...whole,
      cases: whole.cases.filter((row) => page.has(String(row.case_pseudonym))),
      interventions: whole.interventions.filter((row) => page.has(String(row.case_pseudonym))),
      nextCursor: keys.length > options.limit && last ? `${last.month}|${last.pseudonym}` : null,
    };
  }
  // A day either side of the months, then each time checked as the builder checks it (times may carry offsets).
  const from = new Date(Date.parse(`${options.period.from}-01T00:00:00Z`) - 86_400_000).toISOString();
  const [toYear, toMonth] = options.period.to.split('-').map(Number) as [number, number];
  const to = new Date(Date.UTC(toYear, toMonth, 1) + 86_400_000).toISOString();
  const received = (await index.referralsReceivedBetween(from, to))
    .map((r) => ({ referralId: r.referralId, month: monthOf(r.occurredAt), pseudonym: pseudonyms.case(r.referralId) }))
    .filter((c) => c.month >= options.period.from && c.month <= options.period.to)
    .filter(afterCursor)
    .sort(byMonthThenPseudonym);
  const page = received.slice(0, options.limit);
  const builder = new ResearchExtractBuilder(options.period);
  for (const c of page) {
    for (const event of await index.readStream(c.referralId)) {
      if (referralTypes.has(event.type)) builder.add(eventRegistry.readTrusted(event) as unknown as ReferralEvent);
    }
  }
  const last = page.at(-1);
  return { ...builder.build(pseudonyms), nextCursor: received.length > options.limit && last ? `${last.month}|${last.pseudonym}` : null };
}
