#!/usr/bin/env node
/** The `hru` command: one entry point for running the engine and for operators' and developers' chores. */
import { failureOf } from './failure.js';
import { runStart } from './commands/start.js';
import { runToken } from './commands/token.js';
import { runReplay } from './commands/replay.js';
import { runAudit } from './commands/audit.js';
import { runDemo } from './commands/demo.js';
import { runProjections } from './commands/projections.js';
import { runKeys } from './commands/keys.js';
import { runResearch } from './commands/research.js';
import { runRetention } from './commands/retention.js';
import { runMigrate } from './commands/migrate.js';

const usage = `Usage: hru <command> [options]

  start [--dev]              run the whole engine in one process (API, projector, worker); --dev turns on
                             development sign-in (HRU_DEV_SIGN_IN=true), announced at start-up
  api [--dev]                run only the HTTP API (keeps its own alert read model)
  worker                     run only the queue workers (alert delivery, escalation timers)
  projector                  run only the projections and the outbox reactor (alert deliveries, timers)
  token --role R --sub S     print a development JWT (--role repeatable; --name, --agency, --ttl 8h)
  demo [--referrals N] [--seed S]
                             write a synthetic caseload through the command path (default 260)
  projections rebuild [name…] [--threads N]
                             rebuild read models from the log (progress bar; live tables serve meanwhile;
                             a long embedded log is split by referral across N threads)
  replay <referralId> --justification WHY [--at ISO]
                             print a referral's timeline (up to a time) and its state there
  audit verify [--anchor POSITION:DIGEST] [--json]
                             check every hash chain; print the log digest to record elsewhere
  keys status | keys rotate  the data keys sealing each person's data; rotate the key-encryption key that wraps
                             them (re-wraps keys.sqlite, never the log)
  research extract --from YYYY-MM --to YYYY-MM --out FILE --justification WHY [--format csv|json]
                             the pseudonymised research extract of the cases received in those months
                             (progress bar; the file is 0600; the read is logged)
  retention due [--on DATE] [--json]
                             list the closed cases whose MoPI retention review falls due by DATE (default today)
  migrate --to kurrentdb://… [--verify-only] [--json]
                             copy the embedded log into KurrentDB (progress bar; resumable), then verify that every
                             stream and event arrived and the hash chains verify there

Configuration comes from the environment (see README).`;

const [command, ...args] = process.argv.slice(2);

// Whatever any command creates (data files, the secret, rebuild files, SQLite's -wal and -shm) is private
// to this user from its first byte; existing files are made private at start (securePrivateDir).
process.umask(0o077);

async function main(): Promise<number> {
  // `hru demo --help` and the like: the usage, not an unknown-option failure.
  if (command !== undefined && args.includes('--help')) {
    console.log(usage);
    return 0;
  }
  switch (command) {
    case 'start':
      return runStart({ api: true, projector: true, worker: true }, args);
    case 'api':
      return runStart({ api: true, projector: false, worker: false }, args);
    case 'worker':
      return runStart({ api: false, projector: false, worker: true });
    case 'projector':
      return runStart({ api: false, projector: true, worker: false });
    case 'token':
      return runToken(args);
    case 'replay':
      return runReplay(args);
    case 'audit':
      return runAudit(args);
    case 'demo':
      return runDemo(args);
    case 'projections':
      return runProjections(args);
    case 'keys':
      return runKeys(args);
    case 'research':
      return runResearch(args);
    case 'retention':
      return runRetention(args);
    case 'migrate':
      return runMigrate(args);
    case undefined:
    case 'help':
    case '--help':
    case '-h':
      console.log(usage);
      return command === undefined ? 1 : 0;
    default:
      console.error(`Unknown command "${command}".\n\n${usage}`);
      return 1;
  }
}

main().then(
  (code) => {
    if (code !== 0 || command === 'token') process.exit(code);
  },
  (error: unknown) => {
    // Configuration, data-directory and domain errors are for the operator, in one line; anything else with its stack.
    const failure = failureOf(error);
    for (const line of failure.lines) console.error(line);
    process.exit(failure.exitCode);
  },
);
