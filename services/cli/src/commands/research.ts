/**
 * `hru research extract --from YYYY-MM --to YYYY-MM --out FILE [--format csv|json] --justification WHY`: the
 * pseudonymised research extract of the cases received in a period, written to a file only this user can read
 * (0600), with a progress bar while the log is read. Pseudonymised data is still personal data, so the extract
 * is logged like any other read (DPA 2018 s62), across referrals (`referralId: '*'`), with the operating-system
 * user as the actor, before the file is written.
 */
import { chmodSync, writeFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { userInfo } from 'node:os';
import { extname } from 'node:path';
import { parseArgs } from 'node:util';
import { AccessLog, readResearchExtract } from '@hru/application';
import { fieldErrorsOf, justificationSchema } from '@hru/events';
import { eventStoreSettings, loadOrCreatePseudonymKey, openEventStore } from '@hru/infra';
import { loadWritingConfig } from '../writing-config.js';
import { RateMeter, renderResearchExtract, type ResearchExtractFormat } from '@hru/projections';
import { researchPeriodSchema } from '@hru/workflows';
import { progressPrinter } from '../progress-bar.js';

const USAGE =
  'Usage: hru research extract --from YYYY-MM --to YYYY-MM --out FILE [--format csv|json] --justification "why the extract is needed"\n' +
  '  cases received from the first day of --from to the last of --to (UTC); the format follows the extension of FILE (.csv or .json) unless given';

function formatOf(requested: string | undefined, out: string): ResearchExtractFormat | undefined {
  const format = requested ?? extname(out).slice(1).toLowerCase();
  return format === 'csv' || format === 'json' ? format : undefined;
}

export async function runResearch(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      from: { type: 'string' },
      to: { type: 'string' },
      out: { type: 'string' },
      format: { type: 'string' },
      justification: { type: 'string' },
    },
  });
  const period = researchPeriodSchema.safeParse({ from: values.from, to: values.to });
  const justification = justificationSchema.safeParse(values.justification);
  const format = values.out === undefined ? undefined : formatOf(values.format, values.out);
  const problems = [
    ...(positionals.length !== 1 || positionals[0] !== 'extract' ? ['the command is `hru research extract`'] : []),
    ...(period.success ? [] : fieldErrorsOf(period.error).map((e) => `--${e.path.replace(/^\//, '') || 'from'}: ${e.message}`)),
    ...(values.out === undefined ? ['--out FILE is required'] : format === undefined ? ['--format csv|json, or a FILE ending .csv or .json'] : []),
    ...(justification.success ? [] : [`--justification: ${justification.error.issues[0]?.message ?? 'required'}`]),
  ];
  if (problems.length > 0 || !period.success || !justification.success || !format || !values.out) {
    for (const problem of problems) console.error(`hru research: ${problem}`);
    console.error(USAGE);
    return 1;
  }

  const config = loadWritingConfig();
  const key = loadOrCreatePseudonymKey(config);
  const store = await openEventStore(eventStoreSettings(config));
  try {
    const meter = new RateMeter(await store.headPosition());
    const draw = progressPrinter(process.stderr);
    let read = 0;
    const extract = await readResearchExtract(store, {
      period: period.data,
      key,
      onPage: (p) => {
        meter.advance(p.eventsRead - read, p.position, p.head);
        read = p.eventsRead;
        draw(meter.progress());
      },
    });
    draw({ ...meter.progress(), fraction: 1, etaSeconds: 0, done: true });
    await new AccessLog(store).record({
      referralId: '*',
      resource: 'research_extract',
      justification: justification.data,
      actor: { kind: 'system', system: `hru-cli:${userInfo().username}`.slice(0, 100) },
      correlationId: randomUUID(),
      requestId: randomUUID(),
      at: new Date(),
    });
    // The mode applies when the file is created; an existing file is made private too.
    writeFileSync(values.out, renderResearchExtract(extract, format), { mode: 0o600 });
    chmodSync(values.out, 0o600);
    console.log(
      `hru research extract: ${extract.cases.length} cases received ${period.data.from} to ${period.data.to} and ${extract.interventions.length} interventions ` +
        `written to ${values.out} (${format}, pseudonym key ${extract.keyId})`,
    );
    return 0;
  } finally {
    await store.close();
  }
}
