/** The per-caller rate limit (HRU_RATE_LIMIT_PER_MINUTE): its windows, and what an answer says about them. */
import { describe, expect, it } from 'vitest';
import { CallerWindows } from '../../services/api/src/plugins/caller-windows.js';
import { apiKey, createTestApp, intakeBody } from '../support/test-app.js';

describe('CallerWindows', () => {
  it('counts each caller in its own window, opened by its first request and closed a window later', () => {
    let now = 1_000;
    const windows = new CallerWindows(60_000, 100, () => now);
    expect(windows.hit('a')).toEqual({ count: 1, ttlMs: 60_000 });
    now += 15_000;
    expect(windows.hit('a')).toEqual({ count: 2, ttlMs: 45_000 });
    expect(windows.hit('b')).toEqual({ count: 1, ttlMs: 60_000 });
    now += 45_000; // a's window closes exactly now
    expect(windows.hit('a')).toEqual({ count: 1, ttlMs: 60_000 });
    expect(windows.hit('b')).toEqual({ count: 2, ttlMs: 15_000 });
  });

  it('keeps at most its bound of callers, forgetting the one least recently seen', () => {
    const windows = new CallerWindows(60_000, 3, () => 0);
    windows.hit('a');
    windows.hit('b');
    windows.hit('c');
    windows.hit('a'); // a is now the most recent: b is the one to go
    windows.hit('d');
    expect(windows.size).toBe(3);
    expect(windows.hit('a').count).toBe(3);
    expect(windows.hit('b').count).toBe(1);
  });
});

describe('the limit over HTTP', () => {
  it('says the limit and what remains on each limited answer, then 429 with Retry-After; public routes are not limited', async () => {
    const t = await createTestApp({ app: { rateLimitPerMinute: 2 } });
    try {
      const send = () => t.app.inject({ method: 'POST', url: '/v1/referrals', headers: apiKey(), payload: intakeBody() });
      const answers = [await send(), await send(), await send()];
      expect(answers.map((a) => a.statusCode)).toEqual([201, 201, 429]);
      expect(answers.map((a) => a.headers['x-ratelimit-remaining'])).toEqual(['1', '0', '0']);
      for (const a of answers) {
        expect(a.headers['x-ratelimit-limit']).toBe('2');
        expect(Number(a.headers['x-ratelimit-reset'])).toBeGreaterThan(0);
        expect(Number(a.headers['x-ratelimit-reset'])).toBeLessThanOrEqual(60);
      }
      expect(answers[2]!.json()).toMatchObject({ status: 429, code: 'rate_limited' });
      expect(answers[2]!.headers['retry-after']).toBe(answers[2]!.headers['x-ratelimit-reset']);
      const health = [await t.app.inject({ method: 'GET', url: '/healthz' }), await t.app.inject({ method: 'GET', url: '/healthz' }), await t.app.inject({ method: 'GET', url: '/healthz' })];
      expect(health.map((h) => h.statusCode)).toEqual([200, 200, 200]);
      expect(health[0]!.headers['x-ratelimit-limit']).toBeUndefined();
    } finally {
      await t.close();
    }
  });
});
