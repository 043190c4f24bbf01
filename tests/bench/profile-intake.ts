/**
 * Where an intake's server CPU goes, per component (issue 19): runs the intake bench's load (50 connections, new
 * crimes, 20% urgent, encryption on) against the real engine with the V8 sampling profiler on, then attributes
 * each sample to a component by its stack (see profile-categories.ts) and prints µs per answered intake.
 *
 *   node --conditions=@hru/source --import tsx tests/bench/profile-intake.ts [seconds] [--layer]
 *
 * `--layer` stubs the command handler (as the http-layer bench does), to see the HTTP and plugin layer alone.
 * `HRU_BENCH_INTAKE_URGENT=all` makes every intake urgent, as in the intake bench. `--unsealed` runs the engine with
 * the sealing taken out (EngineOptions.sealPersonalData: false), the intake bench's other side: the two profiles side
 * by side show where the encryption's cost lands (issue 16).
 *
 * Environment: HRU_PROFILE_TOP=N, the top N functions of each component; HRU_PROFILE_SQL=N, the N statements that took
 * longest; HRU_PROFILE_ALLOC=N, the N functions that allocated most. Bytes written per intake are always printed.
 *
 * The profile covers the engine's main thread (where Fastify, the handler, the appends, the projections and the
 * queues run) over the measured window only; the printed total beside it is process CPU, every thread, as the
 * bench reports it. Sampling adds its own overhead, so read shares, not the absolute sum.
 */
import { Session } from 'node:inspector/promises';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { startBenchClient } from './support/client.js';
import { sourceHeaders, startBenchEngine } from './support/bench-engine.js';
import { instantHandler } from './support/instant-handler.js';
import { attribute, type CpuProfile } from './support/profile-categories.js';
import { LiveProjection } from '@hru/projections';
import Database from 'better-sqlite3';

const seconds = Number(process.argv.find((a) => /^\d+$/.test(a)) ?? 10);
const layerOnly = process.argv.includes('--layer');
const sealPersonalData = !process.argv.includes('--unsealed');
/** `HRU_BENCH_INTAKE_URGENT=all`, as the intake bench: every intake urgent (an alert and a webhook each). */
const bodies = process.env.HRU_BENCH_INTAKE_URGENT === 'all' ? 'urgent' : 'mixed';
// Wall time of each live projection's batches (apply + checkpoint; alone, its commit too), by projection: the
// profile shows SQLite's native work only as `run`, without saying whose.
const commits = new Map<string, { batches: number; events: number; ms: number }>();
let timing = false;
// A group applies each member's batch through applyInGroupTransaction (commitBatch when a batch is written again).
for (const method of ['commitBatch', 'applyInGroupTransaction'] as const) {
  const original = LiveProjection.prototype[method];
  LiveProjection.prototype[method] = function (this: LiveProjection, events, generation) {
    if (!timing) return original.call(this, events, generation);
    const started = performance.now();
    try {
      return original.call(this, events, generation);
    } finally {
      const c = commits.get(this.projection.name) ?? { batches: 0, events: 0, ms: 0 };
      c.batches++;
      c.events += events.length;
      c.ms += performance.now() - started;
      commits.set(this.projection.name, c);
    }
  };
}
// HRU_PROFILE_SQL=N: wall time of each prepared statement's run/get/all, by SQL text, top N (the profile shows
// SQLite only as `run`; this says which statement, in which file).
const statements = new Map<string, { calls: number; ms: number }>();
if (process.env.HRU_PROFILE_SQL) {
  const probe = new Database(':memory:');
  const proto = Object.getPrototypeOf(probe.prepare('select 1')) as Record<string, (...args: unknown[]) => unknown>;
  probe.close();
  for (const method of ['run', 'get', 'all'] as const) {
    const original = proto[method]!;
    proto[method] = function (this: { source: string; database: { name: string } }, ...args: unknown[]) {
      if (!timing) return original.apply(this, args);
      const started = performance.now();
      try {
        return original.apply(this, args);
      } finally {
        const key = `${this.database.name.split('/').pop()}: ${this.source.replace(/\s+/g, ' ').slice(0, 110)}`;
        const s = statements.get(key) ?? { calls: 0, ms: 0 };
        s.calls++;
        s.ms += performance.now() - started;
        statements.set(key, s);
      }
    };
  }
}
const client = await startBenchClient();
const receiver = await client.receiver();
const engine = await startBenchEngine(receiver, undefined, { sealPersonalData, ...(layerOnly ? { adjustApi: (deps) => void (deps.commands = instantHandler) } : {}) });
const session = new Session();
session.connect();
try {
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: 200 });
  // Warm-up unprofiled (JIT, connections), then the measured run profiled: the client marks the window, the
  // profile starts a little before it, which the per-request figures below absorb as noise.
  const runId = randomUUID().slice(0, 8);
  const load = (id: string, durationMs: number, warmupMs: number) =>
    client.load({ url: `${engine.baseUrl}/v1/referrals`, headers: sourceHeaders, connections: 50, warmupMs, durationMs, maxRequests: 500_000, runId: id, bodies });
  await load(`${runId}-warm`, 3_000, 1_000);
  await session.post('Profiler.start');
  // HRU_PROFILE_ALLOC=N: V8's sampling heap profiler over the same window, the top N functions by bytes allocated
  // (what the young generation's collections, the GC line above, are paid for).
  if (process.env.HRU_PROFILE_ALLOC) await session.post('HeapProfiler.startSampling', { samplingInterval: 16_384, includeObjectsCollectedByMajorGC: true, includeObjectsCollectedByMinorGC: true });
  timing = true;
  const ioBefore = processIo();
  const result = await load(`${runId}-prof`, seconds * 1_000, 0);
  const { profile } = (await session.post('Profiler.stop')) as { profile: CpuProfile };
  const allocations = process.env.HRU_PROFILE_ALLOC ? ((await session.post('HeapProfiler.stopSampling')) as { profile: AllocationProfile }).profile : undefined;
  timing = false;
  const ioAfter = processIo();
  const answered = result.latencies.length;
  const rows = attribute(profile);
  const totalUs = rows.reduce((sum, r) => sum + r.us, 0);
  console.log(`answered ${answered} intakes in ${result.seconds.toFixed(1)} s (${Math.round(answered / result.seconds)}/s)`);
  console.log(`process CPU (all threads) per intake: ${Math.round(result.serverCpuUs / answered)} µs; main-thread samples per intake: ${Math.round(totalUs / answered)} µs`);
  for (const row of rows) console.log(`  ${row.category.padEnd(28)} ${String(Math.round(row.us / answered)).padStart(6)} µs  ${((row.us / totalUs) * 100).toFixed(1).padStart(5)}%`);
  console.log(`bytes this process handed to write() per intake: ${Math.round((ioAfter.wchar - ioBefore.wchar) / answered)} (read(): ${Math.round((ioAfter.rchar - ioBefore.rchar) / answered)})`);
  console.log('read-model transactions (wall time on the main thread, per answered intake):');
  for (const [name, c] of [...commits].sort((a, b) => b[1].ms - a[1].ms)) {
    console.log(`  ${name.padEnd(28)} ${String(Math.round((c.ms * 1000) / answered)).padStart(6)} µs  ${c.batches} transactions, ${(c.events / c.batches).toFixed(1)} events each`);
  }
  if (process.env.HRU_PROFILE_SQL) {
    console.log('\nstatements (wall time per answered intake, calls per intake):');
    for (const [sql, c] of [...statements].sort((a, b) => b[1].ms - a[1].ms).slice(0, Number(process.env.HRU_PROFILE_SQL))) {
      console.log(`  ${String(Math.round((c.ms * 1000) / answered)).padStart(6)} µs ${(c.calls / answered).toFixed(2).padStart(6)}  ${sql}`);
    }
  }
  if (allocations) {
    console.log('\nallocated (sampled bytes per answered intake, by allocating function):');
    for (const [frame, bytes] of allocatedBy(allocations).slice(0, Number(process.env.HRU_PROFILE_ALLOC))) {
      console.log(`  ${String(Math.round(bytes / answered)).padStart(8)} B  ${frame}`);
    }
  }
  if (process.env.HRU_PROFILE_TOP) {
    for (const [category, top] of Object.entries(topFunctions(profile, Number(process.env.HRU_PROFILE_TOP)))) {
      console.log(`\n${category}`);
      for (const t of top) console.log(`    ${String(Math.round(t.us / answered)).padStart(6)} µs  ${t.name}`);
    }
  }
} finally {
  session.disconnect();
  await engine.stop();
  await client.stop();
}

interface AllocationNode {
  callFrame: { functionName: string; url: string; lineNumber: number };
  selfSize: number;
  children: AllocationNode[];
}
interface AllocationProfile {
  head: AllocationNode;
}

/** Bytes allocated by each function itself (not its callees), largest first. */
function allocatedBy(profile: AllocationProfile): [string, number][] {
  const totals = new Map<string, number>();
  const visit = (node: AllocationNode) => {
    const { functionName, url, lineNumber } = node.callFrame;
    const frame = `${functionName || '(anonymous)'} (${url.replace(/^.*node_modules\//, '').replace(/^file:\/\/.*?\/work\/[^/]+\//, '')}:${lineNumber + 1})`;
    if (node.selfSize > 0) totals.set(frame, (totals.get(frame) ?? 0) + node.selfSize);
    node.children.forEach(visit);
  };
  visit(profile.head);
  return [...totals].sort((a, b) => b[1] - a[1]);
}

/** This process's I/O counters (Linux): every thread, sockets included. */
function processIo(): { wchar: number; rchar: number } {
  const text = readFileSync('/proc/self/io', 'utf8');
  const field = (name: string) => Number(new RegExp(`^${name}: (\\d+)$`, 'm').exec(text)?.[1] ?? 0);
  return { wchar: field('wchar'), rchar: field('rchar') };
}

function topFunctions(profile: CpuProfile, n: number): Record<string, { name: string; us: number }[]> {
  const out: Record<string, Map<string, number>> = {};
  for (const { category, frame, us } of attribute(profile, { bySelfFrame: true })) {
    const m = (out[category] ??= new Map());
    m.set(frame!, (m.get(frame!) ?? 0) + us);
  }
  return Object.fromEntries(
    Object.entries(out).map(([c, m]) => [c, [...m].map(([name, us]) => ({ name, us })).sort((a, b) => b.us - a.us).slice(0, n)]),
  );
}
