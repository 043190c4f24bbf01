/**
 * The load side of the HTTP benches, run as its own process (see client.ts): on a 2-core machine the client
 * gets one core and the server under test the other, so the client's own work does not count against the
 * server, and the webhook receiver sits outside the engine as a real integrator's would. Talks to its parent
 * over the IPC channel; every operation is bounded in requests and time, and the process exits with its parent.
 */
import { Agent, createServer, request, type IncomingMessage } from 'node:http';
import { performance } from 'node:perf_hooks';
import { benchIntakeBody } from './intake-bodies.js';
import type { AlertRunArgs, AlertRunResult, ClientMark, ClientReply, ClientRequest, LoadArgs, LoadResult } from './client-protocol.js';

interface Answer {
  status: number;
  body: string;
}

function post(agent: Agent, url: URL, headers: Record<string, string>, payload: string): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      { method: 'POST', agent, headers: { ...headers, 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) } },
      (res: IncomingMessage) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
        res.on('error', reject);
      },
    );
    req.setTimeout(30_000, () => req.destroy(new Error('request timed out')));
    req.on('error', reject);
    req.end(payload);
  });
}

function countStatus(counts: Record<string, number>, key: number | string) {
  counts[String(key)] = (counts[String(key)] ?? 0) + 1;
}

/** Closed loop: `connections` loops, each sending the next request as soon as its previous one is answered. */
async function load(args: LoadArgs): Promise<LoadResult> {
  const url = new URL(args.url);
  const agent = new Agent({ keepAlive: true, maxSockets: args.connections, maxFreeSockets: args.connections });
  let n = 0;
  const phase = async (durationMs: number, maxRequests: number, record: boolean) => {
    const latencies: number[] = [];
    const statuses: Record<string, number> = {};
    let issued = 0;
    let firstError: string | undefined;
    const started = performance.now();
    const deadline = started + durationMs;
    await Promise.all(
      Array.from({ length: args.connections }, async () => {
        while (issued < maxRequests && performance.now() < deadline) {
          issued++;
          const payload = JSON.stringify(benchIntakeBody(args.runId, n++, args.bodies ?? 'mixed'));
          const t0 = performance.now();
          try {
            const answer = await post(agent, url, args.headers, payload);
            if (record) latencies.push(performance.now() - t0);
            countStatus(statuses, answer.status);
            if (answer.status >= 300 && firstError === undefined) firstError = `${answer.status} ${answer.body.slice(0, 300)}`;
          } catch (error) {
            countStatus(statuses, 'error');
            firstError ??= (error as Error).message;
          }
        }
      }),
    );
    return { latencies, statuses, seconds: (performance.now() - started) / 1000, issued, firstError };
  };
  if (args.warmupMs > 0) await phase(args.warmupMs, Number.MAX_SAFE_INTEGER, false);
  process.send!({ mark: 'measuring' } satisfies ClientMark);
  const measuredCpu = process.cpuUsage();
  const measured = await phase(args.durationMs, args.maxRequests, true);
  const cpu = process.cpuUsage(measuredCpu);
  process.send!({ mark: 'measured' } satisfies ClientMark);
  agent.destroy();
  return {
    latencies: measured.latencies,
    statuses: measured.statuses,
    seconds: measured.seconds,
    requests: measured.issued,
    clientCpuShare: (cpu.user + cpu.system) / 1000 / (measured.seconds * 1000),
    ...(measured.firstError ? { firstError: measured.firstError } : {}),
  };
}

// ---------------------------------------------------------------------------------------------------------
// Webhook receiver and the alert-latency run

/** Arrival time (performance.now()) of the first `raised` webhook per referral. */
const arrivals = new Map<string, number>();
let webhooksReceived = 0;

async function startReceiver(): Promise<string> {
  const server = createServer((req, res) => {
    let raw = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (raw += chunk));
    req.on('end', () => {
      const at = performance.now();
      webhooksReceived++;
      try {
        const body = JSON.parse(raw) as { referralId: string; kind: string };
        if (body.kind === 'raised' && !arrivals.has(body.referralId)) arrivals.set(body.referralId, at);
      } catch {
        // A body we cannot read is still answered, so the engine does not retry it into the measurement.
      }
      res.writeHead(204).end();
    });
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const address = server.address() as { port: number };
  return `http://127.0.0.1:${address.port}/hook`;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function alertRun(args: AlertRunArgs): Promise<AlertRunResult> {
  const url = new URL(args.url);
  const background = new Agent({ keepAlive: true, maxSockets: 64 });
  const probes = new Agent({ keepAlive: true, maxSockets: 4 });
  const bgStatuses: Record<string, number> = {};
  const bgLatencies: number[] = [];
  let bgSent = 0;
  let bgSkipped = 0;
  let inFlight = 0;
  let n = 0;
  let stopBackground = false;

  // Open loop, paced: at every tick send what the rate says is due, so a slow server does not slow the
  // offered load (a cap on requests in flight keeps a stalled server from growing the backlog without bound).
  const bgStarted = performance.now();
  const ticker = setInterval(() => {
    if (stopBackground) return;
    const due = Math.floor(((performance.now() - bgStarted) / 1000) * args.backgroundPerSecond);
    while (bgSent + bgSkipped < due) {
      if (inFlight >= 200) {
        bgSkipped++;
        continue;
      }
      bgSent++;
      inFlight++;
      const payload = JSON.stringify(benchIntakeBody(`${args.runId}-bg`, n++, 'plain'));
      const t0 = performance.now();
      post(background, url, args.headers, payload)
        .then((a) => {
          countStatus(bgStatuses, a.status);
          bgLatencies.push(performance.now() - t0);
        })
        .catch(() => countStatus(bgStatuses, 'error'))
        .finally(() => inFlight--);
    }
  }, 2);

  await sleep(args.settleMs);
  const sendProbe = async (i: number, tag: string) => {
    const payload = JSON.stringify(benchIntakeBody(`${args.runId}-${tag}`, i, 'urgent'));
    const t0 = performance.now();
    const answer = await post(probes, url, args.headers, payload);
    const repliedAt = performance.now();
    if (answer.status !== 201) throw new Error(`urgent intake answered ${answer.status}: ${answer.body.slice(0, 300)}`);
    const { referralId, urgent } = JSON.parse(answer.body) as { referralId: string; urgent: boolean };
    if (!urgent) throw new Error('an urgent intake was not marked urgent');
    return { referralId, repliedAt, intakeMs: repliedAt - t0 };
  };

  for (let i = 0; i < args.warmupProbes; i++) {
    await sendProbe(i, 'warm');
    await sleep(args.probeIntervalMs);
  }
  const sent: { referralId: string; repliedAt: number; intakeMs: number }[] = [];
  for (let i = 0; i < args.probes; i++) {
    sent.push(await sendProbe(i, 'probe'));
    await sleep(args.probeIntervalMs);
  }
  const deadline = performance.now() + args.drainTimeoutMs;
  while (sent.some((s) => !arrivals.has(s.referralId)) && performance.now() < deadline) await sleep(10);
  stopBackground = true;
  clearInterval(ticker);
  const bgSeconds = (performance.now() - bgStarted) / 1000;
  while (inFlight > 0 && performance.now() < deadline + 5_000) await sleep(10);
  background.destroy();
  probes.destroy();

  return {
    alertMs: sent.filter((s) => arrivals.has(s.referralId)).map((s) => arrivals.get(s.referralId)! - s.repliedAt),
    intakeMs: sent.map((s) => s.intakeMs),
    probes: sent.map((s) => ({
      referralId: s.referralId,
      repliedAtEpoch: performance.timeOrigin + s.repliedAt,
      arrivedAtEpoch: arrivals.has(s.referralId) ? performance.timeOrigin + arrivals.get(s.referralId)! : undefined,
    })),
    missing: sent.filter((s) => !arrivals.has(s.referralId)).length,
    webhooksReceived,
    background: { sent: bgSent, skipped: bgSkipped, perSecond: bgSent / bgSeconds, statuses: bgStatuses, latencies: bgLatencies },
  };
}

process.on('disconnect', () => process.exit(0));
process.on('message', (message: ClientRequest) => {
  const run = async (): Promise<unknown> => {
    switch (message.op) {
      case 'receiver':
        return startReceiver();
      case 'load':
        return load(message.args);
      case 'alerts':
        return alertRun(message.args);
    }
  };
  run().then(
    (result) => process.send!({ id: message.id, ok: true, result } satisfies ClientReply),
    (error: unknown) => process.send!({ id: message.id, ok: false, error: (error as Error).stack ?? String(error) } satisfies ClientReply),
  );
});
process.send!({ id: 0, ok: true, result: 'ready' } satisfies ClientReply);
