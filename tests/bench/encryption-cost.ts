/**
 * Issue 16: what the encryption costs an intake, counted to the end of its deferred work, which the intake bench's
 * 10-second window only partly sees (key bindings are written up to 2 s later, the pool refills in batches, the
 * projections catch up after the load). Drives intakes in process through the real engine sealed and unsealed
 * (EngineOptions.sealPersonalData), alternated (support/in-process-intakes.ts says what is counted).
 *
 *   node --expose-gc --conditions=@hru/source --import tsx tests/bench/encryption-cost.ts [intakes=1500] [rounds=4]
 *
 * Each round runs both sides, the order swapped every round, so a drift in the machine's load weighs on both. A first
 * round, both sides, is not counted: the first engine of the process pays for the JIT (it read 50% dearer).
 */
import { loadavg } from 'node:os';
import { inProcessIntakes } from './support/in-process-intakes.js';

const intakes = Number(process.argv[2] ?? 1_500);
const rounds = Number(process.argv[3] ?? 4);

const engines = await inProcessIntakes();
const measure = async (seal: boolean) => (await engines.measure(intakes, { sealPersonalData: seal })).cpuUs;
const sides: Record<'sealed' | 'unsealed', number[]> = { sealed: [], unsealed: [] };
try {
  for (const seal of [true, false]) await measure(seal);
  for (let round = 0; round < rounds; round++) {
    for (const seal of round % 2 === 0 ? [true, false] : [false, true]) {
      const load = loadavg()[0]!.toFixed(1);
      const us = await measure(seal);
      sides[seal ? 'sealed' : 'unsealed'].push(us);
      console.log(`${seal ? 'sealed  ' : 'unsealed'} ${us.toFixed(0)} µs CPU per intake (load ${load})`);
    }
  }
} finally {
  await engines.close();
}
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const sealed = mean(sides.sealed);
const unsealed = mean(sides.unsealed);
const ratios = sides.sealed.map((s, i) => (s / sides.unsealed[i]! - 1) * 100);
const median = [...ratios].sort((a, b) => a - b)[Math.floor((ratios.length - 1) / 2)]!;
console.log(
  `sealed ${sealed.toFixed(0)} µs, unsealed ${unsealed.toFixed(0)} µs per intake: the encryption adds ${(((sealed - unsealed) / unsealed) * 100).toFixed(1)}% ` +
    `(by round: ${ratios.map((r) => `${r.toFixed(1)}%`).join(', ')}; lower median ${median.toFixed(1)}%)`,
);
