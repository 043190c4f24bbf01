/** GET /v1/queues/:stage pages: `limit` rows and a `nextCursor` until the end; the CSV holds the whole queue. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiKey, bearer, createTestApp, intakeBody, type TestApp } from '../support/test-app.js';
import { eventually } from '../support/eventually.js';

let t: TestApp;
let token: string;
const get = (url: string) => t.app.inject({ method: 'GET', url, headers: bearer(token) });

beforeAll(async () => {
  t = await createTestApp({ app: { rateLimitPerMinute: 100_000 } });
  token = await t.token('officer', 'pc-1');
  for (let n = 0; n < 5; n++) {
    const res = await t.app.inject({ method: 'POST', url: '/v1/referrals', headers: apiKey(), payload: intakeBody({}, `CC/QP/${n}`) });
    expect(res.statusCode, res.body).toBe(201);
  }
  await eventually(async () => (await get('/v1/queues/triage')).json().items.length, (n) => n === 5);
});
afterAll(async () => t.close());

describe('queue pages over the API', () => {
  it('answers a page and the cursor to the next, until the end', async () => {
    const whole = (await get('/v1/queues/triage')).json();
    expect(whole.nextCursor).toBeNull();
    const ids: string[] = [];
    let url = '/v1/queues/triage?limit=2';
    for (let pages = 0; pages < 10; pages++) {
      const page = (await get(url)).json();
      expect(page.items.length).toBeLessThanOrEqual(2);
      expect(page.counts.triage).toBe(5);
      ids.push(...page.items.map((i: { referralId: string }) => i.referralId));
      if (page.nextCursor === null) break;
      url = `/v1/queues/triage?limit=2&cursor=${page.nextCursor}`;
    }
    expect(ids).toEqual(whole.items.map((i: { referralId: string }) => i.referralId));
    const csv = await get('/v1/queues/triage?format=csv&limit=2');
    expect(csv.body.trim().split('\r\n')).toHaveLength(6); // the header and every row
  });

  it('refuses a cursor it did not give', async () => {
    const res = await get('/v1/queues/triage?cursor=bm9wZQ');
    expect(res.statusCode).toBe(400);
    expect(res.json().errors[0].path).toBe('/cursor');
  });
});
