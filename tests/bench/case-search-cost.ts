/**
 * Issue 19: what the case search's blind index costs per intake once live, in one process: the read model's `apply`
 * over intake events already opened (a victim and a suspect, each with a two-word name and a source reference), in
 * transactions of 40 events with their checkpoint as the live runner coalesces them, on a read-model file
 * (WAL, synchronous=NORMAL) already holding `prefill` intakes, so the index is the size of a working unit's.
 *
 *   node --conditions=@hru/source --import tsx tests/bench/case-search-cost.ts [intakes=20000] [prefill=200000]
 *
 * Prints CPU of this process per intake (process.cpuUsage) for the applies and commits, the MACs alone, and the
 * file's size per intake; on a shared machine, read it beside the load average and compare runs made alternately.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { loadavg } from 'node:os';
import { blindIndex, caseSearchProjection, installSchema, moveCheckpoint, nameWords, normaliseSourceRef, openReadModelDb, writeCheckpoint } from '@hru/projections';
import { tempDir } from '../support/temp-dir.js';

const intakes = Number(process.argv[2] ?? 20_000);
const prefill = Number(process.argv[3] ?? 200_000);
const BATCH = 40;

// Names drawn from small lists, so words repeat across people as real names do.
const FIRST = ['alex', 'sam', 'jo', 'chris', 'pat', 'lee', 'kim', 'max', 'ash', 'robin', 'charlie', 'jamie', 'taylor', 'morgan', 'casey'];
const SURNAMES = Array.from({ length: 2_000 }, (_, i) => `surname${i.toString(36)}`);
let seed = 1;
const next = (n: number) => {
  seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
  return seed % n;
};

let position = 0n;
function intakeEvent() {
  const referralId = randomUUID();
  const person = (role: string) => ({
    partyId: randomUUID(),
    name: `${FIRST[next(FIRST.length)]} ${SURNAMES[next(SURNAMES.length)]}`,
    sourceRef: `${role}-${next(10_000_000)}`,
  });
  return {
    type: 'ReferralReceived' as const,
    position: ++position,
    metadata: { occurredAt: new Date().toISOString(), schemaVersion: 3, actorId: 'bench' },
    data: { referralId, personal: { people: [person('V'), person('S')] } },
  };
}

const cpuUs = (since: NodeJS.CpuUsage) => ((used) => used.user + used.system)(process.cpuUsage(since));
const { dir, cleanup } = tempDir('hru-bench-case-search-');
try {
  const key = randomBytes(32);
  const projection = caseSearchProjection({ key });
  const file = join(dir, 'read-models.sqlite');
  const db = openReadModelDb(file);
  installSchema(db, projection);
  writeCheckpoint(db, { projection: projection.name, version: projection.version, position: -1n, generation: 1 });
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const apply = (event: ReturnType<typeof intakeEvent>) => projection.apply(db, event as any);
  const applyBatch = db.transaction((events: ReturnType<typeof intakeEvent>[]) => {
    for (const event of events) apply(event);
    moveCheckpoint(db, projection.name, events.at(-1)!.position);
  });

  const filled = Date.now();
  for (let done = 0; done < prefill; done += 10_000) applyBatch(Array.from({ length: Math.min(10_000, prefill - done) }, intakeEvent));
  db.pragma('wal_checkpoint(TRUNCATE)');
  const fillSeconds = (Date.now() - filled) / 1000;

  const events = Array.from({ length: intakes }, intakeEvent);
  const load = loadavg()[0]!.toFixed(1);
  let since = process.cpuUsage();
  for (let i = 0; i < events.length; i += BATCH) applyBatch(events.slice(i, i + BATCH));
  const applyUs = cpuUs(since) / intakes;

  // The MACs alone, as `apply` computes them for these people.
  since = process.cpuUsage();
  let macs = 0;
  for (const event of events) {
    for (const p of event.data.personal.people) {
      for (const w of nameWords(p.name)) macs += blindIndex(key, 'name', w).length;
      macs += blindIndex(key, 'ref', normaliseSourceRef(p.sourceRef)).length;
    }
  }
  const macUs = cpuUs(since) / intakes;

  db.pragma('wal_checkpoint(TRUNCATE)');
  const bytes = statSync(file).size;
  db.close();
  console.log(
    JSON.stringify({
      intakes,
      prefill,
      batch: BATCH,
      load,
      cpuUsPerIntake: Math.round(applyUs * 10) / 10,
      macsUsPerIntake: Math.round(macUs * 10) / 10,
      bytesPerIntake: Math.round(bytes / (prefill + intakes)),
      prefillSeconds: fillSeconds,
      checksum: macs > 0,
    }),
  );
} finally {
  cleanup();
}
