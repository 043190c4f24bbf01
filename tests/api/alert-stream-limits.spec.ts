/**
 * Bounded live streams: an alert stream ends when the token that opened it expires (the client reconnects
 * with a fresh token and misses nothing), and a subject may hold only HRU_MAX_STREAMS_PER_SUBJECT at once.
 * Over a real socket, because an SSE stream is only observable while it is open.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mintDevToken } from '@hru/infra';
import { JWT_SECRET, apiKey, createTestApp, intakeBody, type TestApp } from '../support/test-app.js';
import { eventually } from '../support/eventually.js';

let t: TestApp;
let base: string;
beforeAll(async () => {
  t = await createTestApp();
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  base = `http://127.0.0.1:${(t.app.server.address() as { port: number }).port}`;
});
afterAll(async () => t.close());

const supervisorToken = (sub: string, ttl = '1h') => mintDevToken(JWT_SECRET, { sub, name: sub, roles: ['supervisor'], agency: 'police', ttl });

/** An open stream: its text so far, whether the server ended it, and a way to hang up. */
interface OpenStream {
  status: number;
  text(): string;
  ended: Promise<void>;
  close(): void;
  response: Response;
}

async function openStream(token: string, lastEventId?: string): Promise<OpenStream> {
  const controller = new AbortController();
  const headers: Record<string, string> = { authorization: `Bearer ${token}`, accept: 'text/event-stream' };
  if (lastEventId) headers['last-event-id'] = lastEventId;
  const response = await fetch(`${base}/v1/alerts/stream`, { headers, signal: controller.signal });
  let text = '';
  let ended: Promise<void> = Promise.resolve();
  if (response.ok && response.body) {
    const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
    // The first frame (retry and the starting id) says the stream is open on the server.
    const first = await reader.read();
    text += first.value ?? '';
    ended = (async () => {
      try {
        for (;;) {
          const { value, done } = await reader.read();
          if (done) return;
          text += value;
        }
      } catch {
        // Aborted by close().
      }
    })();
  }
  return { status: response.status, text: () => text, ended, close: () => controller.abort(), response };
}

const raised = (text: string) => [...text.matchAll(/^event: raised\ndata: (.*)$/gm)].map((m) => JSON.parse(m[1]!) as { referralId: string });
const urgentIntake = async () =>
  (await t.app.inject({ method: 'POST', url: '/v1/referrals', headers: apiKey(), payload: intakeBody({ indicators: ['threats_to_kill'] }) })).json().referralId as string;

describe('an alert stream lives no longer than its token', () => {
  it('a stream opened with a 5 s token delivers an alert raised at once, ends by itself, and never delivers one raised 9 s later', async () => {
    const openedAt = Date.now();
    const stream = await openStream(await supervisorToken('ds.expiring', '5s'));
    expect(stream.status).toBe(200);
    const first = await urgentIntake();
    await eventually(() => raised(stream.text()), (alerts) => alerts.length === 1);

    // The server ends the stream; nothing here closes it.
    await stream.ended;
    const endedAfterMs = Date.now() - openedAt;
    expect(endedAfterMs).toBeGreaterThanOrEqual(3_000);
    expect(stream.text()).toContain(': token expired; reconnect with a fresh token');

    await new Promise((resolve) => setTimeout(resolve, Math.max(0, 9_000 - (Date.now() - openedAt))));
    const later = await urgentIntake();
    expect(raised(stream.text()).map((a) => a.referralId)).toEqual([first]);

    // The client reconnects with a fresh token from the last id it saw, and misses nothing.
    const lastId = [...stream.text().matchAll(/^id: (\d+)$/gm)].at(-1)![1]!;
    const again = await openStream(await supervisorToken('ds.expiring'), lastId);
    await eventually(() => raised(again.text()), (alerts) => alerts.length === 1);
    expect(raised(again.text()).map((a) => a.referralId)).toEqual([later]);
    again.close();
  }, 30_000);
});

describe('streams per subject', () => {
  it('a subject holds at most HRU_MAX_STREAMS_PER_SUBJECT (default 5); the next gets 429 problem+json until one closes', async () => {
    const token = await supervisorToken('ds.many');
    const open: OpenStream[] = [];
    for (let i = 0; i < 5; i++) {
      const stream = await openStream(token);
      expect(stream.status, `stream ${i + 1}`).toBe(200);
      open.push(stream);
    }
    const refused = await openStream(token);
    expect(refused.status).toBe(429);
    expect(refused.response.headers.get('content-type')).toContain('application/problem+json');
    expect(((await refused.response.json()) as { detail: string }).detail).toContain('HRU_MAX_STREAMS_PER_SUBJECT');

    // Another subject is not affected.
    const other = await openStream(await supervisorToken('ds.other'));
    expect(other.status).toBe(200);
    other.close();

    // Hanging up frees a slot (the server notices the close, so poll by attempts, not by time).
    open.pop()!.close();
    const reopened = await eventually(async () => {
      const attempt = await openStream(token);
      if (attempt.status !== 200) return undefined;
      return attempt;
    });
    expect(reopened!.status).toBe(200);
    open.push(reopened!);
    for (const stream of open) stream.close();
  });
});
