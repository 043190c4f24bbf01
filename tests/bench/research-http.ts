/**
 * The research extract's first page for a month over HTTP on an existing data dir (issue 20), as the scale bench asks
 * it but alone, so a change to the route can be timed in a minute rather than the scale bench's run: the client's
 * wall time to the reply's last byte, the server's own time (its request log line) and this process's CPU per request
 * (the engine's API runs in this process; add PROJECTOR=1 for its projections too). Needs the data dir's read models
 * (`hru projections rebuild`). Compare V8 flags by running it with and without them:
 *   HRU_DATA_DIR=<dir> node [--max-semi-space-size=32] --conditions=@hru/source --import tsx tests/bench/research-http.ts YYYY-MM [runs]
 */
import { Writable } from 'node:stream';
import pino from 'pino';
import { loadConfig, mintDevToken } from '@hru/infra';
import { startEngine } from '../../services/cli/src/engine.js';
import { startPrivateRedis } from '../support/redis-server.js';
import { JWT_SECRET } from '../support/test-app.js';
import { percentile } from './harness.js';

const [month, runsArg = '30'] = process.argv.slice(2);
const runs = Number(runsArg);
const redis = await startPrivateRedis();
const serverMs: number[] = [];
const sink = new Writable({
  write(chunk, _enc, done) {
    for (const line of String(chunk).split('\n')) {
      if (line.includes('"route":"/v1/research/extract"')) serverMs.push(JSON.parse(line).ms);
    }
    done();
  },
});
const config = loadConfig({ HRU_DATA_DIR: process.env.HRU_DATA_DIR!, REDIS_URL: redis.url, PORT: '0', HRU_JWT_SECRET: JWT_SECRET, HRU_RATE_LIMIT_PER_MINUTE: '10000000', LOG_LEVEL: 'info' });
const engine = await startEngine(config, pino({ level: 'info' }, sink), { api: true, projector: process.env.PROJECTOR === '1', worker: false });
const base = `http://127.0.0.1:${(engine.app!.server.address() as { port: number }).port}`;
while ((await fetch(`${base}/readyz`).then((r) => r.status, () => 0)) !== 200) await new Promise((r) => setTimeout(r, 50));
const headers = { authorization: `Bearer ${await mintDevToken(JWT_SECRET, { sub: 'bench-dp', name: 'Bench', roles: ['data_protection'], agency: 'police' })}`, 'x-justification': 'Scale benchmark' };
const wall: number[] = [];
const cpu: number[] = [];
let bytes = 0;
for (let i = 0; i < runs + 5; i++) {
  const c = process.cpuUsage();
  const t = performance.now();
  const r = await fetch(`${base}/v1/research/extract?from=${month}&to=${month}`, { headers });
  const text = Buffer.from(await r.arrayBuffer()).toString("latin1");
  const took = performance.now() - t;
  const used = process.cpuUsage(c);
  if (r.status !== 200) throw new Error(`${r.status} ${text.slice(0, 300)}`);
  bytes = text.length;
  if (i >= 5) {
    wall.push(took);
    cpu.push((used.user + used.system) / 1000);
  }
}
const s = serverMs.slice(5);
const f = (xs: number[]) => `${percentile(xs, 50).toFixed(1)} / ${percentile(xs, 99).toFixed(1)}`;
console.log(`${bytes} bytes; client wall p50/p99 ${f(wall)} ms; server elapsed ${f(s)} ms; process CPU ${f(cpu)} ms`);
await engine.stop();
await redis.stop();
