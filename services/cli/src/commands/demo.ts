/**
 * `hru demo [--referrals N] [--seed S]`: a realistic synthetic caseload, written through the same command
 * handler the API uses (so every rule, role check and event applies), never by writing rows.
 */
import { parseArgs } from 'node:util';
import { loadWritingConfig } from '../writing-config.js';
import { Random } from '../demo/random.js';
import { syntheticCase } from '../demo/synthetic-case.js';
import { playScript } from '../demo/play-script.js';
import { openStore, referralCommandHandler } from '../engine.js';
import { progressPrinter } from '../progress-bar.js';
import { baseUrl } from './start.js';

/** Referrals played at once: their appends meet in the same event-loop turns and share one commit (group commit). */
const IN_FLIGHT = 32;
export const MAX_DEMO_REFERRALS = 1_000_000;

export async function runDemo(args: string[]): Promise<number> {
  const { values } = parseArgs({ args, options: { referrals: { type: 'string', default: '260' }, seed: { type: 'string', default: '2021' } } });
  const count = Number(values.referrals);
  if (!Number.isInteger(count) || count < 1 || count > MAX_DEMO_REFERRALS) {
    console.error(`hru demo: --referrals takes a whole number from 1 to ${MAX_DEMO_REFERRALS}`);
    return 1;
  }
  const config = loadWritingConfig();
  const store = await openStore(config);
  const commands = referralCommandHandler(store, config);
  const random = new Random(Number(values.seed));
  const printProgress = progressPrinter(process.stderr, { unit: 'referrals' });
  const started = Date.now();
  // Spread over the ten months before today, as in the unit's first report.
  const span = 300 * 86_400_000;
  const firstDay = started - span;
  let done = 0;
  let commandsRun = 0;
  let stepsSkipped = 0;
  // The last few written, to offer at the end (not every id: a national year would not fit in memory as strings).
  const recent: string[] = [];
  let next = 0;
  // Each lane plays one referral at a time, in the order the generator made them (so a seed gives the same
  // caseload); one referral's commands stay in order, referrals interleave.
  const lane = async () => {
    while (next < count) {
      const i = next++;
      const script = syntheticCase(i, random, new Date(firstDay + (span * i) / count), `${values.seed}-`);
      const played = await playScript(commands, script, started, { skipRefused: true });
      commandsRun += played.commandsRun;
      stepsSkipped += played.stepsSkipped;
      recent.push(played.referralId);
      if (recent.length > 3) recent.shift();
      done++;
      const seconds = (Date.now() - started) / 1000;
      printProgress({
        eventsRead: done,
        position: BigInt(done),
        head: BigInt(count),
        fraction: done / count,
        eventsPerSecond: done / Math.max(seconds, 0.001),
        etaSeconds: ((count - done) * seconds) / done,
        elapsedSeconds: seconds,
        done: done === count,
      });
    }
  };
  try {
    await Promise.all(Array.from({ length: Math.min(IN_FLIGHT, count) }, lane));
  } finally {
    await store.close();
  }
  console.log(`hru demo: ${done} referrals (${commandsRun} commands) written in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  if (stepsSkipped > 0) {
    console.log(
      `hru demo: ${stepsSkipped} steps left out: a running engine had moved those cases on while the demo wrote them (their backdated clocks fell due, an order ended)`,
    );
  }
  console.log(tryItOut([...recent].reverse(), baseUrl(config.host, config.port)));
  return 0;
}

/** A few referral ids to open, and the read as it must be made: with a token and a stated reason (DPA 2018 s62). */
export function tryItOut(referralIds: readonly string[], base: string): string {
  return [
    '',
    'Referrals to open (the most recent), in the console or through the API:',
    ...referralIds.map((id) => `  ${id}`),
    '',
    `  TOKEN=$(npm run -s hru -- token --role supervisor --sub ds.smith --name "DS Smith")`,
    `  curl -H "Authorization: Bearer $TOKEN" -H "X-Justification: reviewing the demo caseload" ${base}/v1/referrals/${referralIds[0] ?? '<referral id>'}`,
    `  curl -H "Authorization: Bearer $TOKEN" ${base}/v1/caseload   # every referral, without personal data`,
    `  curl -H "Authorization: Bearer $TOKEN" ${base}/v1/tasking    # perpetrators ranked for the tasking meeting (RFG(V))`,
    '',
  ].join('\n');
}
