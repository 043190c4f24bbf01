/**
 * The signed webhook post (alert deliveries, anchors, integrity-break alerts): the body and its signature as the
 * receiver gets them, one kept-alive connection for many posts, and every way a post fails reported as a
 * WebhookError (a non-2xx answer with its status, a redirect not followed, a refused connection, a receiver that
 * never answers within the timeout).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, expect, it } from 'vitest';
import { postSignedJson, signBody, WebhookError } from '@hru/infra';

const servers: Server[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

interface Received {
  headers: IncomingMessage['headers'];
  body: string;
  port: number;
}

async function receiver(answer: (req: IncomingMessage, res: ServerResponse) => void = (_req, res) => res.writeHead(204).end()) {
  const received: Received[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (body += chunk));
    req.on('end', () => {
      received.push({ headers: req.headers, body, port: req.socket.remotePort! });
      answer(req, res);
    });
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`, received };
}

const failure = (promise: Promise<unknown>) => promise.then(() => undefined, (error: unknown) => error as WebhookError);

it('posts the body as JSON with its signature and resolves with the status; posts in turn share one connection', async () => {
  const { url, received } = await receiver();
  const body = JSON.stringify({ alertId: 'a-1', note: 'é' });
  expect(await postSignedJson(url, body, { secret: 's3cret', headers: { 'user-agent': 'hru-test/1' } })).toBe(204);
  expect(await postSignedJson(url, body, { secret: undefined })).toBe(204);
  expect(received).toHaveLength(2);
  expect(received[0]!.body).toBe(body);
  expect(received[0]!.headers['content-type']).toBe('application/json');
  expect(received[0]!.headers['content-length']).toBe(String(Buffer.byteLength(body)));
  expect(received[0]!.headers['user-agent']).toBe('hru-test/1');
  expect(received[0]!.headers['x-hru-signature']).toBe(signBody(body, 's3cret'));
  expect(received[1]!.headers['x-hru-signature']).toBeUndefined();
  expect(received[1]!.port).toBe(received[0]!.port);
});

it('fails with the status on a non-2xx answer, and does not follow a redirect', async () => {
  const refused = await receiver((_req, res) => res.writeHead(503).end('busy'));
  const error = await failure(postSignedJson(refused.url, '{}', { secret: undefined }));
  expect(error).toBeInstanceOf(WebhookError);
  expect([error!.message, error!.status]).toEqual(['receiver answered 503', 503]);

  const elsewhere = await receiver();
  const moved = await receiver((_req, res) => res.writeHead(307, { location: elsewhere.url }).end());
  const redirected = await failure(postSignedJson(moved.url, '{"secret":"body"}', { secret: 'k' }));
  expect(redirected!.status).toBe(307);
  expect(elsewhere.received).toHaveLength(0);
});

it('fails as unreachable on a refused connection, a receiver that does not answer in time, or an address that is not http', async () => {
  const gone = await receiver();
  const server = servers.pop()!;
  await new Promise((resolve) => server.close(resolve));
  const refused = await failure(postSignedJson(gone.url, '{}', { secret: undefined }));
  expect(refused).toBeInstanceOf(WebhookError);
  expect(refused!.message).toMatch(/^receiver unreachable: .*ECONNREFUSED/);

  const silent = await receiver(() => undefined);
  const timedOut = await failure(postSignedJson(silent.url, '{}', { secret: undefined, timeoutMs: 100 }));
  expect(timedOut!.message).toBe('receiver unreachable: timed out');
  expect(silent.received).toHaveLength(1);

  expect((await failure(postSignedJson('ftp://127.0.0.1/hook', '{}', { secret: undefined })))!.message).toMatch(/^receiver unreachable: ftp: is not http/);
  expect((await failure(postSignedJson('not a url', '{}', { secret: undefined })))!.message).toBe('receiver unreachable: not a URL');
});
