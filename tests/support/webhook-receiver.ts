/** A local webhook receiver that records what arrives and can be told to fail or hang. */
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';

export interface Received {
  at: number;
  headers: IncomingHttpHeaders;
  raw: string;
  body: { alertId: string; referralId: string; kind: string; level: number; tier: string; reason: string; raisedAt: string };
}

export interface WebhookReceiver {
  url: string;
  received: Received[];
  /** Decides the answer to each request: a status, or 'hang' to never answer. */
  respond: (request: Received, index: number) => number | 'hang';
  waitFor(predicate: (received: Received[]) => boolean, timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

export async function startWebhookReceiver(): Promise<WebhookReceiver> {
  const received: Received[] = [];
  const receiver: WebhookReceiver = {
    url: '',
    received,
    respond: () => 204,
    async waitFor(predicate, timeoutMs = 15_000) {
      const started = Date.now();
      while (!predicate(received)) {
        if (Date.now() - started > timeoutMs) throw new Error(`webhook receiver: condition not met in ${timeoutMs} ms (${received.length} received)`);
        await new Promise((r) => setTimeout(r, 10));
      }
    },
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  const server: Server = createServer((req, res) => {
    let raw = '';
    req.on('data', (chunk) => (raw += chunk));
    req.on('end', () => {
      const entry: Received = { at: Date.now(), headers: req.headers, raw, body: JSON.parse(raw) };
      const answer = receiver.respond(entry, received.length);
      received.push(entry);
      if (answer === 'hang') return;
      res.writeHead(answer).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  receiver.url = `http://127.0.0.1:${(server.address() as { port: number }).port}/hook`;
  return receiver;
}
