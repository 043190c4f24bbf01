/**
 * A stage queue a page at a time: the pages, joined, are the whole queue in its order (urgent first, then oldest,
 * then id), whatever the page size, with ties in the waiting time and urgent rows on both sides of a page break.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listQueue, type QueueCursor } from '@hru/projections';
import { given, received, referralId } from './support/history.js';
import { startReadModels, type ReadModels } from './support/read-models.js';

const now = new Date('2026-03-20T12:00:00Z');
let rm: ReadModels;

beforeAll(async () => {
  rm = await startReadModels();
  const events = [];
  for (let n = 1; n <= 37; n++) {
    const id = referralId(n);
    // Three referrals share each time of receipt: the id breaks the tie.
    events.push(received(id, `2026-03-${String(1 + Math.floor(n / 3)).padStart(2, '0')}T09:00:00Z`, n % 2 === 0 ? 'stalking' : 'querulance'));
    if (n % 5 === 0) events.push(given.urgent(id, 1, '2026-03-15T10:00:00Z', '2026-03-15T10:15:00Z'));
  }
  await rm.given(events);
});
afterAll(() => rm.close());

function allPages(limit: number, filter: { problemBehaviour?: string } = {}): string[] {
  const ids: string[] = [];
  let after: QueueCursor | undefined;
  for (let guard = 0; guard < 100; guard++) {
    const page = listQueue(rm.db, 'triage', { now, ...filter, after, limit });
    ids.push(...page.map((r) => r.referralId));
    if (page.length < limit) break;
    const last = page.at(-1)!;
    after = { urgent: last.urgent, waitingSince: last.waitingSince, referralId: last.referralId };
  }
  return ids;
}

describe('queue pages', () => {
  it('joined, are the whole queue in its order, for every page size', () => {
    const whole = listQueue(rm.db, 'triage', { now });
    expect(whole).toHaveLength(37);
    expect(whole.slice(0, 7).every((r) => r.urgent)).toBe(true);
    for (const limit of [1, 2, 3, 5, 7, 10, 36, 37, 50]) expect(allPages(limit), `pages of ${limit}`).toEqual(whole.map((r) => r.referralId));
  });

  it('filter in the query, so a filtered page is full', () => {
    const stalking = listQueue(rm.db, 'triage', { now, problemBehaviour: 'stalking' });
    expect(stalking.every((r) => r.problemBehaviour === 'stalking')).toBe(true);
    expect(listQueue(rm.db, 'triage', { now, problemBehaviour: 'stalking', limit: 4 })).toHaveLength(4);
    expect(allPages(4, { problemBehaviour: 'stalking' })).toEqual(stalking.map((r) => r.referralId));
  });
});
