/** The request-duration histogram counts each request once under its own method, route and status. */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { apiKey, bearer, createTestApp, intakeBody, type TestApp } from '../support/test-app.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => t.close());

function countOf(metrics: string, labels: string): number {
  const line = metrics.split('\n').find((l) => l.startsWith(`hru_http_request_duration_seconds_count{${labels}}`));
  return line ? Number(line.split(' ').at(-1)) : 0;
}

it('counts requests by method, route and status, each label set apart, unknown paths as unmatched', async () => {
  for (let i = 0; i < 3; i++) await t.app.inject({ method: 'POST', url: '/v1/referrals', headers: apiKey(), payload: intakeBody() });
  await t.app.inject({ method: 'POST', url: '/v1/referrals', headers: apiKey(), payload: { nothing: true } });
  for (let i = 0; i < 2; i++) await t.app.inject({ method: 'GET', url: `/v1/nowhere-${i}` });
  const metrics = (await t.app.inject({ method: 'GET', url: '/metrics', headers: bearer(await t.token('admin')) })).body;
  expect(countOf(metrics, 'method="POST",route="/v1/referrals",status="201"')).toBe(3);
  expect(countOf(metrics, 'method="POST",route="/v1/referrals",status="400"')).toBe(1);
  expect(countOf(metrics, 'method="GET",route="unmatched",status="404"')).toBe(2);
});
