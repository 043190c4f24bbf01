/**
 * `hru audit verify [--anchor POSITION:DIGEST] [--anchors FILE] [--json]`: checks the hash chain of every
 * stream and the access log, every position, and every anchor given (an anchors file as HRU_ANCHOR_SINK
 * writes it: the first anchor that differs bounds where the log was first changed); prints the first
 * broken link of each broken stream, and the log digest. Always the full check, never incremental.
 * Exit code 0 when everything is intact, 4 when something was broken.
 */
import { parseArgs } from 'node:util';
import { canVerifyChains, loadConfig, openEventStore, eventStoreSettings, readAnchorsFile, type LogAnchor, type VerifyReport } from '@hru/infra';

export async function runAudit(args: string[]): Promise<number> {
  const [sub, ...rest] = args;
  if (sub !== 'verify') {
    console.error('Usage: hru audit verify [--anchor POSITION:DIGEST] [--anchors FILE] [--json]');
    return 1;
  }
  const { values } = parseArgs({ args: rest, options: { anchor: { type: 'string' }, anchors: { type: 'string' }, json: { type: 'boolean', default: false } } });
  const anchor = values.anchor === undefined ? undefined : parseAnchor(values.anchor);
  if (anchor === null) {
    console.error('hru audit verify: --anchor is POSITION:DIGEST as printed by an earlier run, e.g. 1234:9f86d08…');
    return 1;
  }
  let anchors: LogAnchor[] | undefined;
  try {
    anchors = values.anchors === undefined ? undefined : await readAnchorsFile(values.anchors);
  } catch (error) {
    console.error(`hru audit verify: ${(error as Error).message}`);
    return 1;
  }
  const config = loadConfig();
  const store = await openEventStore(eventStoreSettings(config));
  try {
    if (!canVerifyChains(store)) {
      console.error(`hru audit verify: this event store (${store.kind}) cannot verify hash chains`);
      return 1;
    }
    let lastShown = 0;
    const report = await store.verifyChains({
      ...(anchor ? { anchor } : {}),
      ...(anchors ? { anchors } : {}),
      onProgress: (events) => {
        if (events - lastShown < 100_000 || values.json) return;
        lastShown = events;
        process.stderr.write(`  ${events.toLocaleString('en-GB')} events checked\n`);
      },
    });
    if (values.json) {
      console.log(JSON.stringify(report, null, 2));
    } else {
      console.log(`${report.ok ? 'OK' : 'BROKEN'}: ${report.events} events in ${report.streams} streams checked in ${report.durationMs} ms`);
      for (const b of report.breaks) {
        console.log(`  ${b.kind} in ${b.streamId}${b.revision === null ? '' : ` at revision ${b.revision}`}${b.position ? ` (position ${b.position})` : ''}`);
        console.log(`    expected ${b.expected}\n    found    ${b.found}`);
      }
      if (report.brokenStreams > report.breaks.length) console.log(`  … ${report.brokenStreams} broken streams in all`);
      if (report.unchained && report.unchained.events > 0) {
        console.log(`  ${report.unchained.events} events in ${report.unchained.streams} streams predate the chain: present, but not tamper-evident`);
      }
      if (report.unkeyed && report.unkeyed.events > 0) {
        console.log(`  ${report.unkeyed.events} events were chained before the key existed${report.unkeyed.upToPosition ? ` (up to position ${report.unkeyed.upToPosition}, under a keyed checkpoint)` : ''}`);
      }
      if (report.anchor) console.log(`anchor at position ${report.anchor.position}: ${report.anchor.matched ? 'matches' : 'DOES NOT MATCH'}`);
      if (report.anchors) printAnchors(report.anchors);
      console.log(`\nlog digest (the engine anchors it to HRU_ANCHOR_SINK; check later with --anchor or --anchors):\n  ${report.headPosition}:${report.headDigest}`);
    }
    return report.ok ? 0 : 4;
  } finally {
    await store.close();
  }
}

function printAnchors(a: NonNullable<VerifyReport['anchors']>): void {
  console.log(`anchors: ${a.matched} of ${a.checked} match`);
  const m = a.firstMismatch;
  if (m) console.log(`  FIRST DIFFERENCE after position ${m.lastMatchedPosition ?? '(the start)'}, at or before position ${m.position}`);
}

function parseAnchor(value: string): LogAnchor | null {
  const match = /^(\d{1,18}):([0-9a-f]{64})$/.exec(value.trim());
  return match ? { position: BigInt(match[1]!), digest: match[2]! } : null;
}
