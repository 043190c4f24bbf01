/**
 * Issue 20: while the perpetrators' ranking is scored after a rebuild the ranking answers 503, and that 503 says what
 * is happening (how many people of how many are scored) and when to ask again (Retry-After), through the one problem
 * handler: any 503 that knows its wait is told to the caller, while an outage's cause (a store or Redis down) stays
 * hidden as every other 5xx's.
 */
import type { FastifyRequest } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UnavailableError } from '@hru/events';
import { problemOf } from '../../services/api/src/plugins/problem-details.js';
import { rankingUnavailable } from '../../services/api/src/schemas/perpetrator-access.js';
import { bearer, createTestApp, type TestApp } from '../support/test-app.js';

const now = new Date('2026-11-25T12:00:00Z');
/** More suspects than the scorer scores inside a request (2,000): the ranking is scored in slices. */
const SUSPECTS = 6_000;
let t: TestApp;
let supervisor: string;

beforeAll(async () => {
  t = await createTestApp({ app: { rateLimitPerMinute: 100_000 }, now: () => now });
  supervisor = await t.token('supervisor', 'sup-1');
  await t.app.ready(); // the start-up scoring of the (empty) ranking has run
});
afterAll(async () => t.close());

describe('the ranking while it is scored', () => {
  it('answers 503 with how far scoring has come and Retry-After, then the ranking', async () => {
    // As after a rebuild: the facts are there, the ranking is not.
    const insert = t.readModels.prepare("INSERT INTO perpetrators_parties (referral_id, role, party_id) VALUES (?, 'suspect', ?)");
    t.readModels.transaction(() => {
      for (let i = 0; i < SUSPECTS; i++) insert.run(`ref-unscored-${i}`, `pty-unscored-${String(i).padStart(5, '0')}`);
      t.readModels.exec('DELETE FROM perpetrators_score_meta');
    })();

    const first = await t.app.inject({ method: 'GET', url: '/v1/perpetrators', headers: bearer(supervisor) });
    expect(first.statusCode, first.body).toBe(503);
    expect(first.headers['content-type']).toContain('application/problem+json');
    expect(first.headers['retry-after']).toBe('5'); // no person scored yet: no rate to estimate from
    expect(first.json()).toMatchObject({ status: 503, code: 'unavailable', scored: 0, people: null, retryAfterSeconds: 5 });
    expect(first.json().detail).toBe('The ranking is being scored (after a rebuild or a change of HRU_RFG): counting the people to score');

    // Asked again as the slices run (each between turns of the event loop): the count, then progress, then the ranking.
    const answers: { status: number; retryAfter: string | undefined; body: Record<string, unknown> }[] = [];
    for (let i = 0; i < 10_000; i++) {
      const res = await t.app.inject({ method: 'GET', url: '/v1/perpetrators?limit=1', headers: bearer(supervisor) });
      answers.push({ status: res.statusCode, retryAfter: res.headers['retry-after'] as string | undefined, body: res.json() });
      if (res.statusCode === 200) break;
      await new Promise((resolve) => setImmediate(resolve));
    }
    expect(answers.at(-1)!.status).toBe(200);
    const scoring = answers.filter((a) => a.status === 503 && a.body.people !== null);
    expect(scoring.length).toBeGreaterThan(0);
    for (const a of scoring) {
      const { scored, people } = a.body as { scored: number; people: number };
      expect(people).toBe(SUSPECTS);
      expect(a.body.detail).toBe(`The ranking is being scored (after a rebuild or a change of HRU_RFG): ${scored} of ${SUSPECTS} people`);
      expect(Number(a.retryAfter)).toBeGreaterThanOrEqual(1);
      expect(Number(a.retryAfter)).toBeLessThanOrEqual(300);
      expect(a.body.retryAfterSeconds).toBe(Number(a.retryAfter));
    }
    // Progress only goes forward.
    const scoredSeen = scoring.map((a) => a.body.scored as number);
    expect(scoredSeen).toEqual([...scoredSeen].sort((a, b) => a - b));
  });

  it('estimates the wait from the rate so far, within bounds', () => {
    const wait = (scored: number, people: number, elapsedMs: number) => rankingUnavailable({ scored, people, elapsedMs }).retryAfterSeconds;
    expect(wait(250, 1_000, 10_000)).toBe(30); // 750 left at 25 a second
    expect(wait(999, 1_000, 10_000)).toBe(1); // under a second left: never 0
    expect(wait(10, 1_000_000, 10_000)).toBe(300); // days at this rate: ask again in five minutes, not then
    expect(wait(0, 1_000, 10_000)).toBe(5); // nothing scored yet: no rate
    expect(rankingUnavailable({ scored: 250, people: 1_000, elapsedMs: 10_000 }).message).toBe(
      'The ranking is being scored (after a rebuild or a change of HRU_RFG): 250 of 1000 people',
    );
  });
});

describe('503s through the problem handler', () => {
  const request = { url: '/v1/anything?x=1', id: 'req-1' } as FastifyRequest;

  it('tells the caller a 503 that knows its wait, and hides an outage like any 5xx', () => {
    const told = problemOf(new UnavailableError('The thing is being built: 3 of 4', { retryAfterSeconds: 2.2, details: { built: 3, of: 4 } }), request);
    expect(told).toMatchObject({ status: 503, code: 'unavailable', detail: 'The thing is being built: 3 of 4', built: 3, of: 4, retryAfterSeconds: 3 });
    const hidden = problemOf(new UnavailableError('Redis connection is reconnecting', { cause: new Error('ECONNREFUSED 10.0.0.7:6379') }), request);
    expect(hidden).toEqual({
      type: 'urn:hru:problem:unavailable',
      title: 'Service Unavailable',
      status: 503,
      detail: 'The server could not complete the request.',
      code: 'unavailable',
      instance: '/v1/anything',
      requestId: 'req-1',
    });
  });
});
