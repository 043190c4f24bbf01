/**
 * A sealed log for the rebuild benches: referrals' 20-event lives, interleaved as in a working unit, written through
 * the EncryptingEventStore, so every ReferralReceived holds its summary and people sealed under per-case and
 * per-person keys (a SqliteKeyStore beside the log), as production writes it.
 */
import { EncryptingEventStore, caseSubject, isSealed, partySubject, type NewEvent } from '@hru/application';
import { randomBytes } from 'node:crypto';
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { LocalKeyWrapper, openSqlite, SqliteEventStore, SqliteKeyStore } from '@hru/infra';
import { received, given, referralId } from '../../projections/support/history.js';
import { TEST_CHAIN_KEY } from '../../support/chain-key.js';
import { tempDir } from '../../support/temp-dir.js';

const BENCH_CHAIN_KEY = Buffer.from(TEST_CHAIN_KEY);

/** Referrals in flight at once: their events interleave in the log as in a working unit. */
const WINDOW = 200;
/** Events of one referral per append while it is in flight (a command writes a few): 20 is a multiple of it. */
const STEP = 4;
/** Events in one referral's life: a log's length is a multiple of it (of WINDOW lives, for whole windows). */
export const EVENTS_PER_LIFE = 20;

/**
 * What intake writes under `personal` in production (workflows/src/commands/intake.ts): the source's summary and
 * the victim's and suspect's details, each person under the party id of the event's `parties`.
 */
function withPeople(event: NewEvent, n: number): NewEvent {
  const data = event.data as { parties: { partyId: string }[] };
  const [victim, suspect] = data.parties.map((p) => p.partyId);
  const personal = {
    summary:
      'Repeated unwanted contact after the end of a relationship: messages at night, waiting outside the ' +
      `victim\u2019s workplace, contact through friends after being told to stop (case ${n}).`,
    people: [
      { partyId: victim!, name: 'Alex Example', dateOfBirth: '1990-01-01' },
      { partyId: suspect!, name: 'Sam Example' },
    ],
  };
  return { ...event, data: { ...data, personal } };
}

/** One referral's life, 20 events: intake to closure with the interventions and outcomes the statistics count. */
export function lifeOf(n: number): NewEvent[] {
  const id = referralId(n);
  const day = (k: number) => new Date(Date.UTC(2024, 0, 1) + (n % 700) * 86_400_000 + k * 86_400_000).toISOString().slice(0, 10);
  const at = (k: number) => `${day(k)}T10:00:00Z`;
  const pb = (['stalking', 'serial_domestic_abuse', 'sexual_violence', 'querulance'] as const)[n % 4];
  return [
    withPeople(received(id, at(0), pb, `CC/${n}`), n),
    given.urgent(id, 1, at(0), `${day(0)}T10:15:00Z`),
    given.acknowledged(id, 1, at(0)),
    given.triaged(id, at(1)),
    given.screened(id, at(3), n % 3 === 0 ? 'advice_only' : 'adopt'),
    given.assigned(id, at(3)),
    given.discussed(id, at(10)),
    given.plan(id, at(10), n % 2 === 0 ? ['health_pathway_consultation', 'victim_safety_planning'] : ['victim_safety_planning']),
    given.intervention(id, 1, day(12), { kind: 'victim_advocate_contact', outcome: n % 4 === 0 ? 'declined' : 'engaged' }),
    given.intervention(id, 2, day(14), { kind: 'tactical_review' }),
    given.intervention(id, 3, day(15), { kind: 'spo_advised' }),
    given.intervention(id, 4, day(20), { kind: 'spo_applied', order: 'interim' }),
    given.intervention(id, 5, day(22), { kind: 'da_disclosure_to_probation' }),
    given.intervention(id, 6, day(25), { kind: 'direct_constable_intervention' }),
    given.intervention(id, 7, day(28), { kind: 'therapeutic_intervention_started' }),
    given.reviewed(id, at(30), day(60)),
    given.outcome(id, `CC/${n}`, ['1', '3', '16', '18'][n % 4]!, day(40)),
    given.resolved(id, 1, at(41)),
    given.directed(id, at(42), 'victim_advocate'),
    given.closed(id, at(90)),
  ];
}

/**
 * Writes the log through the store's own append (hash chains and all) under the EncryptingEventStore, with durability
 * off for speed: it is the reading that is measured. The referrals in flight append their next few events together,
 * so their events interleave and the store commits each round in one transaction. Their keys are created first in one
 * key-store write per window, as one append of many intakes would; the appends then find them in the key cache.
 */
export async function fillSealedLog(dir: string, file: string, totalEvents: number): Promise<void> {
  const keys = new SqliteKeyStore(join(dir, 'keys.sqlite'), [new LocalKeyWrapper(randomBytes(32))]);
  const store = new EncryptingEventStore(new SqliteEventStore(file, { synchronous: 'OFF', chainKey: BENCH_CHAIN_KEY }), keys);
  const perLife = lifeOf(0).length;
  const referrals = totalEvents / perLife;
  try {
    for (let first = 0; first < referrals; first += WINDOW) {
      const lives = Array.from({ length: Math.min(WINDOW, referrals - first) }, (_, i) => lifeOf(first + i));
      const subjects = lives.flatMap((life) => {
        const { referralId: id, parties } = life[0]!.data as { referralId: string; parties: { partyId: string }[] };
        return [caseSubject(id), ...parties.map((p) => partySubject(p.partyId, id))];
      });
      await keys.currentKeys(subjects);
      for (let k = 0; k < perLife; k += STEP) {
        await Promise.all(lives.map((life) => store.appendToStream((life[0]!.data as { referralId: string }).referralId, life.slice(k, k + STEP))));
      }
    }
  } finally {
    await store.close();
  }
  // Written with durability off for speed, the log is made durable before anything reads it, as production's always
  // is (every commit fsynced): otherwise the kernel writes a few hundred MB of it back while the rebuild is measured.
  for (const written of [file, join(dir, 'keys.sqlite')]) {
    const fd = openSync(written, 'r+');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  }
  // What the rebuild reads is what production stores: sealed personal sections.
  const check = openSqlite(file, { readonly: true });
  const row = check.prepare("SELECT data FROM events WHERE type = 'ReferralReceived' LIMIT 1").get() as { data: string };
  check.close();
  if (!isSealed((JSON.parse(row.data) as { personal?: unknown }).personal)) throw new Error('the log holds ReferralReceived unsealed');
}

/**
 * `fillSealedLog` in a process of its own (the same Node flags: the tsx loader, the source conditions), so that the
 * process that then measures a rebuild starts as `hru projections rebuild` does, without the heap of a million appends.
 */
export function fillSealedLogApart(dir: string, file: string, totalEvents: number): void {
  const script = fileURLToPath(new URL('./fill-sealed-log.ts', import.meta.url));
  const result = spawnSync(process.execPath, [...process.execArgv, script, dir, file, String(totalEvents)], { stdio: 'inherit' });
  if (result.status !== 0) throw new Error(`filling the sealed log failed (exit ${result.status ?? result.signal})`);
}

/**
 * The dev benches' log (rebuild-cost.ts, rebuild-weights.ts): the file HRU_REBUILD_LOG names, reused when it exists
 * (written there otherwise), or one written in a temporary directory that `cleanup` removes; written apart, as the
 * bench writes its own.
 */
export function sealedLogFor(prefix: string, totalEvents: number): { dir: string; logFile: string; cleanup: () => void } {
  const { dir, cleanup } = tempDir(prefix);
  const logFile = process.env.HRU_REBUILD_LOG ?? join(dir, 'events.sqlite');
  if (!existsSync(logFile)) {
    mkdirSync(dirname(logFile), { recursive: true });
    fillSealedLogApart(dirname(logFile), logFile, totalEvents);
  }
  return { dir, logFile, cleanup };
}
