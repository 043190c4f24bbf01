/**
 * The two floors the intake bench measures ours against, each a Fastify 5 app that validates the real
 * `intakeBodySchema` with the same zod validator compiler as the engine:
 *
 * - bare: answers without storing anything (what HTTP and validation cost on their own);
 * - durable (issue 19): what any durable event-sourced intake must do and nothing more: the stream id from
 *   (system, crimeReference), one event row per intake, every request of one event-loop turn appended in one
 *   transaction (group commit) to SQLite in WAL with synchronous=FULL, a unique (stream, revision) index that
 *   makes a repeat idempotent (200 instead of 201), and the reply only after the commit. No auth, no
 *   projections, no hash chain, no machine, no encryption: the engine's own work is measured against it.
 */
import { randomUUID } from 'node:crypto';
import Database from 'better-sqlite3';
import Fastify from 'fastify';
import { serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { intakeBodySchema, referralIdFor } from '@hru/workflows';
import { tempDir } from '../../support/temp-dir.js';

export interface Floor {
  url: string;
  /** Rows the floor stored (undefined for the bare one, which stores nothing): proves the run wrote what it answered. */
  stored(): number | undefined;
  close(): Promise<void>;
}

const reply = z.object({ referralId: z.string(), status: z.string(), urgent: z.boolean(), revision: z.number().int() });

function floorApp() {
  const app = Fastify({ logger: false, bodyLimit: 256 * 1024 }).withTypeProvider<ZodTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  return app;
}

async function listen(app: ReturnType<typeof floorApp>): Promise<string> {
  await app.listen({ port: 0, host: '127.0.0.1' });
  return `http://127.0.0.1:${(app.server.address() as { port: number }).port}/v1/referrals`;
}

export async function startBareFloor(): Promise<Floor> {
  const app = floorApp();
  app.post('/v1/referrals', { schema: { body: intakeBodySchema, response: { 201: reply } } }, async (request, res) => {
    void res.status(201);
    return { referralId: `floor-${request.body.source.crimeReference}`, status: 'received', urgent: false, revision: 0 };
  });
  const url = await listen(app);
  return { url, stored: () => undefined, close: () => app.close() };
}

interface Pending {
  streamId: string;
  data: string;
  done(error: unknown, created: boolean): void;
}

export async function startDurableFloor(): Promise<Floor> {
  const { dir, cleanup } = tempDir('hru-bench-durable-floor-');
  const db = new Database(`${dir}/events.sqlite`);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.exec(`CREATE TABLE events (
    position   INTEGER PRIMARY KEY,
    stream_id  TEXT    NOT NULL,
    revision   INTEGER NOT NULL,
    event_id   TEXT    NOT NULL,
    type       TEXT    NOT NULL,
    data       TEXT    NOT NULL,
    recorded_at TEXT   NOT NULL
  );
  CREATE UNIQUE INDEX events_stream_revision ON events (stream_id, revision);`);
  // A repeat of (stream, revision 0) is ignored by the unique index: 0 changes means "already received".
  const insert = db.prepare(
    "INSERT INTO events (stream_id, revision, event_id, type, data, recorded_at) VALUES (?, 0, ?, 'ReferralReceived', ?, ?) ON CONFLICT (stream_id, revision) DO NOTHING",
  );
  const count = db.prepare('SELECT count(*) AS n FROM events').pluck();

  let pending: Pending[] = [];
  let scheduled = false;
  const commit = db.transaction((batch: Pending[], created: boolean[]) => {
    const at = new Date().toISOString();
    for (const p of batch) created.push(insert.run(p.streamId, randomUUID(), p.data, at).changes === 1);
  });
  // Group commit: everything that arrived during one event-loop turn, in one transaction and one fsync.
  const flush = () => {
    scheduled = false;
    const batch = pending;
    pending = [];
    const created: boolean[] = [];
    try {
      commit.immediate(batch, created);
    } catch (error) {
      for (const p of batch) p.done(error, false);
      return;
    }
    batch.forEach((p, i) => p.done(undefined, created[i]!));
  };
  const append = (streamId: string, data: string) =>
    new Promise<boolean>((resolve, reject) => {
      pending.push({ streamId, data, done: (error, created) => (error ? reject(error) : resolve(created)) });
      if (!scheduled) {
        scheduled = true;
        setImmediate(flush);
      }
    });

  const app = floorApp();
  app.post('/v1/referrals', { schema: { body: intakeBodySchema, response: { 200: reply, 201: reply } } }, async (request, res) => {
    const body = request.body;
    const referralId = referralIdFor(body.source.system, body.source.crimeReference);
    const created = await append(referralId, JSON.stringify(body));
    void res.status(created ? 201 : 200);
    return { referralId, status: 'received', urgent: false, revision: 0 };
  });
  const url = await listen(app);
  return {
    url,
    stored: () => count.get() as number,
    async close() {
      await app.close();
      db.close();
      cleanup();
    },
  };
}
