/**
 * Reads the log for the research extract: every referral event up to the head as it was when the read began (a
 * consistent cut however long it takes), page by page through the store's raw read, upcast but not validated as a
 * replay reads it. The extract takes enumerated facts, counts and months only; it never reads `data.personal`,
 * so it works the same whether or not the store encrypts that section.
 */
import { eventRegistry, referralEventDefinitions, type ReferralEvent } from '@hru/events';
import { ResearchExtractBuilder, pseudonymiser, type ResearchExtract, type ResearchPeriod } from '@hru/workflows';
import type { EventStore } from '../ports/event-store.js';

const PAGE = 2_000;
const referralEventTypes = referralEventDefinitions.map((definition) => definition.type);

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
