/** What reaches the log for a request: one line with ids, route, status and time, and never personal data. */
import { describe, expect, it } from 'vitest';
import { apiKey, bearer, createTestApp, intakeBody } from '../support/test-app.js';

describe('request logging', () => {
  it('writes one line per request with request and correlation ids, and no personal data', async () => {
    const lines: string[] = [];
    const t = await createTestApp({ logTo: (line) => lines.push(line) });
    try {
      const body = intakeBody({ summary: 'Messages from Sam Example to Alex Example every night', indicators: ['threats_to_kill'] });
      const res = await t.app.inject({ method: 'POST', url: '/v1/referrals', headers: { ...apiKey(), 'x-correlation-id': 'corr-log-1', 'x-request-id': 'client-req-1' }, payload: body });
      expect(res.statusCode).toBe(201);
      const { referralId } = res.json();
      await t.app.inject({
        method: 'GET',
        url: `/v1/referrals/${referralId}`,
        headers: { ...bearer(await t.token('officer')), 'x-justification': 'Alex Example called the station' },
      });
      const parsed = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
      const requestLines = parsed.filter((l) => l.msg === 'request');
      expect(requestLines).toHaveLength(2);
      const requestId = res.headers['x-request-id'];
      expect(requestLines[0]).toMatchObject({ route: '/v1/referrals', status: 201, correlationId: 'corr-log-1', clientRequestId: 'client-req-1', requestId });
      // The intake says what it did on that same line (issue 19: one line per intake, not a second of its own).
      expect(requestLines[0]).toMatchObject({ referralId, outcome: 'created', revision: res.json().revision });
      expect(parsed.filter((l) => l.requestId === requestId)).toHaveLength(1);
      // Without a caller's correlation id, the request id stands in.
      expect(requestLines[1]).toMatchObject({ correlationId: requestLines[1]!.requestId });
      expect(requestLines[1]).not.toHaveProperty('clientRequestId');
      const text = lines.join('\n');
      for (const personal of ['Alex Example', 'Sam Example', '1990-01-01', 'every night', 'called the station', 'P-1001']) {
        expect(text, personal).not.toContain(personal);
      }
    } finally {
      await t.close();
    }
  });
});
