/**
 * Issue 19: an intake's CPU taken apart by what the engine does, measured by leaving parts out rather than by
 * sampling. The profile (profile-intake.ts) samples the main thread's wall time, so a blocking fsync counts and the
 * other threads (WAL checkpoints, the key pool's writer, GC helpers) do not; this counts the CPU of every thread from
 * the first measured intake to the end of its deferred work (support/in-process-intakes.ts), for four engines:
 *
 *   whole      sealed, read models and alert pipeline live (what runs in production)
 *   bare       sealed, without the read models and the alert pipeline (EngineOptions.liveProjections: false)
 *   bare, unsealed   without them and without the encryption (EngineOptions.sealPersonalData: false)
 *   unsealed   read models live, without the encryption
 *
 * and prints each one's CPU per intake, and from them the read models with the alert pipeline (whole − bare, and the
 * same unsealed), the encryption (whole − unsealed, and bare − bare unsealed), and what is left without either (the
 * HTTP route through `inject`, without a socket: the `http-layer` bench prices the socket; authentication, the command
 * handler, the append with its chain and fsync, the key log follower, GC).
 *
 *   node --expose-gc --max-semi-space-size=32 --conditions=@hru/source --import tsx tests/bench/intake-parts.ts [intakes=1500] [rounds=3]
 *
 * Each round runs the four, each round starting one further along, so a drift in the machine's load weighs on every
 * one alike; a first round is not counted (the first engine of the process pays for the JIT).
 */
import { loadavg } from 'node:os';
import { inProcessIntakes, WARM_UP_INTAKES } from './support/in-process-intakes.js';

const intakes = Number(process.argv[2] ?? 1_500);
const rounds = Number(process.argv[3] ?? 3);

const engines = [
  { name: 'whole', liveProjections: true, sealPersonalData: true },
  { name: 'bare', liveProjections: false, sealPersonalData: true },
  { name: 'bare, unsealed', liveProjections: false, sealPersonalData: false },
  { name: 'unsealed', liveProjections: true, sealPersonalData: false },
] as const;
type Name = (typeof engines)[number]['name'];

const runs = await inProcessIntakes();
const cpu = new Map<Name, number[]>(engines.map((e) => [e.name, []]));
try {
  for (let round = 0; round <= rounds; round++) {
    for (let i = 0; i < engines.length; i++) {
      const { name, ...options } = engines[(round + i) % engines.length]!;
      const load = loadavg()[0]!.toFixed(1);
      const { cpuUs: us, casesInReadModels } = await runs.measure(intakes, options);
      // The run measured what it says: every intake in the caseload when the read models are live, none otherwise.
      if (options.liveProjections ? casesInReadModels !== intakes + WARM_UP_INTAKES : casesInReadModels !== 0) {
        throw new Error(`the ${name} engine's caseload holds ${casesInReadModels} cases after ${intakes} measured intakes`);
      }
      if (round > 0) cpu.get(name)!.push(us);
      console.log(`${round === 0 ? 'warm-up' : `round ${round}`}: ${name.padEnd(15)} ${us.toFixed(0).padStart(5)} µs CPU per intake (load ${load})`);
    }
  }
} finally {
  await runs.close();
}

const mean = (name: Name) => cpu.get(name)!.reduce((a, b) => a + b, 0) / rounds;
const whole = mean('whole');
const bare = mean('bare');
const bareUnsealed = mean('bare, unsealed');
const unsealed = mean('unsealed');
const line = (label: string, us: number) => console.log(`  ${label.padEnd(58)} ${us.toFixed(0).padStart(5)} µs  ${((us / whole) * 100).toFixed(1).padStart(5)}%`);
console.log(`over ${rounds} rounds of ${intakes} intakes, µs of CPU per intake (share of the whole engine's):`);
line('whole engine', whole);
line('read models and alert pipeline (whole − bare)', whole - bare);
line('the same, unsealed (unsealed − bare, unsealed)', unsealed - bareUnsealed);
line('encryption (whole − unsealed)', whole - unsealed);
line('encryption without read models (bare − bare, unsealed)', bare - bareUnsealed);
line('the rest: route, handler, append, follower, GC (bare, unsealed)', bareUnsealed);
console.log(`encryption against the unsealed engine: +${(((whole - unsealed) / unsealed) * 100).toFixed(1)}%`);
