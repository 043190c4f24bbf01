/**
 * `hru demo [--referrals N] [--seed S]`: a realistic synthetic caseload, written through the same command
 * handler the API uses (so every rule, role check and event applies), never by writing rows.
 */
import { parseArgs } from 'node:util';
import { randomUUID } from 'node:crypto';
import type { Role } from '@hru/events';
import { loadConfig } from '@hru/infra';
import { referralIdFor } from '@hru/workflows';
import { Random } from '../demo/random.js';
import { syntheticCase } from '../demo/synthetic-case.js';
import { openStore, referralCommandHandler } from '../engine.js';
import { progressPrinter } from '../progress-bar.js';
import { baseUrl } from './start.js';

export async function runDemo(args: string[]): Promise<number> {
  const { values } = parseArgs({ args, options: { referrals: { type: 'string', default: '260' }, seed: { type: 'string', default: '2021' } } });
  const count = Number(values.referrals);
  if (!Number.isInteger(count) || count < 1 || count > 100_000) {
    console.error('hru demo: --referrals takes a whole number from 1 to 100000');
    return 1;
  }
  const config = loadConfig();
  const store = await openStore(config);
  const commands = referralCommandHandler(store, config);
  const random = new Random(Number(values.seed));
  const printProgress = progressPrinter(process.stderr, { unit: 'referrals' });
  const started = Date.now();
  // Spread over the ten months before today, as in the unit's first report.
  const span = 300 * 86_400_000;
  const firstDay = Date.now() - span;
  let done = 0;
  let commandsRun = 0;
  const written: string[] = [];
  try {
    for (let i = 0; i < count; i++) {
      const script = syntheticCase(i, random, new Date(firstDay + (span * i) / count));
      const intake = script[0]!.payload as { source: { system: string; crimeReference: string } };
      const referralId = referralIdFor(intake.source.system, intake.source.crimeReference);
      // The Victims' Code contact a step owed: the demo's contacts meet the latest one.
      let owedContact: string | undefined;
      let spo: string | undefined;
      for (const step of script) {
        if (step.at.getTime() > Date.now()) break; // the future has not happened yet
        const payload =
          step.name === 'acknowledge-urgent-action'
            ? { ...step.payload, alertId: `${referralId}.ua1` }
            : step.name === 'record-victim-contact'
              ? { ...step.payload, deadlineId: owedContact }
              : step.payload.measureId === '$spo'
                ? { ...step.payload, measureId: spo }
                : step.payload;
        if (step.name === 'record-victim-contact' && owedContact === undefined) continue;
        const result = await commands.handle(referralId, { name: step.name, payload }, {
          actor: 'system' in step.by
            ? { kind: 'system', system: step.by.system }
            : { kind: 'person', sub: step.by.sub, name: `Demo ${step.by.role}`, roles: [step.by.role as Role], agency: step.by.agency },
          correlationId: `demo-${randomUUID()}`,
          now: step.at.toISOString(),
        });
        for (const event of result.events) {
          const data = event.data as { kind?: string; deadlineId?: string };
          if (event.type === 'DeadlineSet' && data.kind === 'victim_contact') owedContact = data.deadlineId;
          if (event.type === 'DeadlineClosed' && data.deadlineId === owedContact) owedContact = undefined;
          if (event.type === 'SpoStepRecorded') spo = (event.data as { measureId: string }).measureId;
        }
        commandsRun++;
      }
      written.push(referralId);
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
  } finally {
    await store.close();
  }
  console.log(`hru demo: ${done} referrals (${commandsRun} commands) written in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  console.log(tryItOut(written.slice(-3).reverse(), baseUrl(config.host, config.port)));
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
