/**
 * The integrity monitor over the embedded store, without the API: incremental checks that read only what
 * was appended since (counted, not timed), breaks kept and recorded once as IntegrityBreakDetected, and
 * anchors written to a file sink that `--anchors` checks later, naming where the log first differs.
 */
import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { INTEGRITY_STREAM } from '@hru/events';
import { DIGEST_BLOCK, SqliteEventStore, anchorSinkFor, breakEventId, linkHash, loadOrCreateChainKey, readAnchorsFile, signBody, type AnchorRecord, type IntegrityMonitor } from '@hru/infra';
import { startWebhookReceiver } from '../support/webhook-receiver.js';
import { testIntegrityMonitor } from '../support/integrity-monitor.js';
import { testEvent } from '../support/events.js';
import { tempDir } from '../support/temp-dir.js';

let dir: string;
let cleanup: () => void;
let store: SqliteEventStore;
let monitor: IntegrityMonitor;
const anchorsFile = () => join(dir, 'elsewhere', 'anchors.jsonl');

function newMonitor(webhook?: { url: string; secret: string; anchors?: boolean }): IntegrityMonitor {
  const sinkUrl = webhook?.anchors ? webhook.url : pathToFileURL(anchorsFile()).href;
  return testIntegrityMonitor(store, dir, {
    sink: anchorSinkFor(sinkUrl, webhook?.secret),
    webhookUrls: webhook ? [webhook.url] : [],
    webhookSecret: webhook?.secret,
  });
}

/** `n` events over a few streams, in batches (one append per stream per batch). */
async function append(n: number, prefix = 'ref'): Promise<void> {
  for (let done = 0; done < n; ) {
    const batch = Math.min(50, n - done);
    await store.appendToStream(`${prefix}-${done % 3}`, Array.from({ length: batch }, (_, i) => testEvent('Noted', { i: done + i })));
    done += batch;
  }
}

const sql = (statement: string, ...params: unknown[]) => {
  const db = new Database(store.file);
  try {
    db.prepare(statement).run(...params);
  } finally {
    db.close();
  }
};

beforeEach(() => {
  ({ dir, cleanup } = tempDir('hru-monitor-'));
  store = new SqliteEventStore(join(dir, 'events.sqlite'));
  monitor = newMonitor();
});
afterEach(async () => {
  await monitor.stop();
  await store.close();
  cleanup();
});

describe('incremental checks', () => {
  it('read only the events appended since the last check (plus at most one digest block), also after a restart', async () => {
    await append(600);
    expect(await monitor.check()).toMatchObject({ ok: true, verifiedPosition: '600', lastCheck: { fromPosition: null, events: 600 } });
    await append(100);
    const second = await monitor.check();
    expect(second).toMatchObject({ ok: true, verifiedPosition: '700', lastCheck: { fromPosition: String(2 * DIGEST_BLOCK) } });
    expect(second.lastCheck!.events).toBe(700 - 2 * DIGEST_BLOCK);
    await monitor.stop();
    monitor = newMonitor(); // a restart: the state comes from the file
    expect((await monitor.check()).lastCheck).toEqual({ fromPosition: String(2 * DIGEST_BLOCK), events: 700 - 2 * DIGEST_BLOCK });
  });

  it('find a break appended after the last check, keep reporting it, and record it once as an event', async () => {
    await append(300);
    expect((await monitor.check()).ok).toBe(true);
    await append(30, 'late');
    // Edited with its hash recomputed by someone without the key.
    sql(`UPDATE events SET data = '{"i":999}' WHERE position = 320`);
    const found = await monitor.check();
    expect(found.ok).toBe(false);
    expect(found.breaks).toEqual([expect.objectContaining({ kind: 'content-changed', position: '320' })]);
    const again = await monitor.check();
    expect(again.breaks).toHaveLength(1);
    const recorded = await store.readStream(INTEGRITY_STREAM);
    expect(recorded.map((e) => e.eventId)).toEqual([breakEventId(found.breaks[0]!)]);
    expect(recorded[0]).toMatchObject({ type: 'IntegrityBreakDetected', data: { kind: 'content-changed', position: '320', store: 'sqlite' } });
  });

  it('find the end of the log cut after it was verified, with the stream heads set back', async () => {
    await append(10);
    await monitor.check();
    sql('DELETE FROM events WHERE position > 7');
    sql(`UPDATE streams SET revision = (SELECT max(revision) FROM events e WHERE e.stream_id = streams.stream_id), head_hash = (SELECT hash FROM events e WHERE e.stream_id = streams.stream_id ORDER BY revision DESC LIMIT 1)`);
    expect((await store.verifyChains()).ok).toBe(true); // a full check alone has nothing to compare with
    expect((await monitor.check()).breaks).toEqual([expect.objectContaining({ kind: 'log-truncated', position: '7' })]);
  });
});

describe('anchors', () => {
  it('are written to the sink after a check, with the block digests since the last one', async () => {
    await append(600);
    await monitor.anchor();
    await append(10);
    await monitor.anchor();
    const records = readFileSync(anchorsFile(), 'utf8').trim().split('\n').map((line) => JSON.parse(line) as AnchorRecord);
    expect(records.map((r) => [r.position, r.blocks.map((b) => b.position)])).toEqual([
      ['600', ['256', '512']],
      ['610', []],
    ]);
    const report = await store.verifyChains({ anchors: await readAnchorsFile(anchorsFile()) });
    expect(report).toMatchObject({ ok: true, anchors: { checked: 4, matched: 4, firstMismatch: null } });
  });

  it('a rewrite of the log is placed between the last anchor that matches and the first that does not', async () => {
    await append(600);
    await monitor.anchor();
    sql(`UPDATE events SET data = '{"i":-1}' WHERE position = 300`);
    const report = await store.verifyChains({ anchors: await readAnchorsFile(anchorsFile()) });
    expect(report.anchors!.firstMismatch).toMatchObject({ lastMatchedPosition: '256', position: '512' });
    expect(report.breaks).toContainEqual(expect.objectContaining({ kind: 'anchor-mismatch', position: '512', found: expect.stringContaining('after position 256, at or before 512') }));
  });

  it('a corrupt anchor names itself as the first position that differs', async () => {
    await append(600);
    await monitor.anchor();
    const text = readFileSync(anchorsFile(), 'utf8');
    const record = JSON.parse(text) as AnchorRecord;
    record.blocks[1]!.digest = 'f'.repeat(64);
    writeFileSync(anchorsFile(), JSON.stringify(record) + '\n');
    const report = await store.verifyChains({ anchors: await readAnchorsFile(anchorsFile()) });
    expect(report.anchors).toMatchObject({ checked: 3, matched: 2, firstMismatch: { position: '512', lastMatchedPosition: '256', expected: 'f'.repeat(64) } });
  });

  it('an anchors file with a line that is not a record is refused, naming the line', async () => {
    await append(10);
    await monitor.anchor();
    appendFileSync(anchorsFile(), 'not json\n');
    await expect(readAnchorsFile(anchorsFile())).rejects.toThrow(/line 2 is not an anchor record/);
  });

  it('are not written while the log is broken', async () => {
    await append(10);
    sql(`UPDATE events SET data = '{}' WHERE position = 3`);
    const status = await monitor.anchor();
    expect(status).toMatchObject({ ok: false, lastAnchor: null });
  });
});

describe('webhooks', () => {
  const secret = 'webhook-secret-0123456789';

  it('a break is posted once, signed, as an urgent notice to the auditor role', async () => {
    const receiver = await startWebhookReceiver();
    try {
      await monitor.stop();
      monitor = newMonitor({ url: receiver.url, secret });
      await append(5);
      sql(`UPDATE events SET data = '{}' WHERE position = 2`);
      await monitor.check();
      await monitor.check(); // found again: not posted again
      expect(receiver.received).toHaveLength(1);
      const [got] = receiver.received;
      expect(got!.headers['x-hru-signature']).toBe(signBody(got!.raw, secret));
      expect(JSON.parse(got!.raw)).toMatchObject({ type: 'integrity-break', urgent: true, audience: 'auditor', breaks: [{ kind: 'content-changed', position: '2' }] });
    } finally {
      await receiver.close();
    }
  });

  it('an anchor can go to a webhook, signed', async () => {
    const receiver = await startWebhookReceiver();
    try {
      await monitor.stop();
      monitor = newMonitor({ url: receiver.url, secret, anchors: true });
      await append(5);
      expect((await monitor.anchor()).lastAnchor).toMatchObject({ position: '5' });
      const [got] = receiver.received;
      expect(got!.headers['x-hru-signature']).toBe(signBody(got!.raw, secret));
      expect(JSON.parse(got!.raw)).toMatchObject({ store: 'sqlite', position: '5', events: 5, digest: expect.stringMatching(/^[0-9a-f]{64}$/) });
    } finally {
      await receiver.close();
    }
  });
});

describe('the scheduled full check', () => {
  it('finds an edit to an event verified before, which incremental checks do not read again', async () => {
    await append(600);
    await monitor.check();
    sql(`UPDATE events SET data = '{"i":-5}' WHERE position = 10`);
    expect((await monitor.check()).ok).toBe(true); // position 10 lies before the resume point
    const full = await monitor.fullCheck();
    expect(full).toMatchObject({ ok: false, lastCheck: { fromPosition: null, events: 600 } });
    expect(full.breaks).toEqual([expect.objectContaining({ kind: 'content-changed', position: '10' })]);
  });

  it('finds a rewrite by someone holding the key through the anchors the file sink holds', async () => {
    await append(600);
    await monitor.anchor();
    // With the key, an edit can be re-chained so that every link verifies; only the anchors can tell.
    const key = loadOrCreateChainKey(dir);
    const db = new Database(store.file);
    const row = db.prepare('SELECT * FROM events WHERE position = 300').get() as { stream_id: string; revision: number; type: string; metadata: string; prev_hash: string };
    const later = db.prepare('SELECT * FROM events WHERE stream_id = ? AND revision > ? ORDER BY revision').all(row.stream_id, row.revision) as (typeof row & { position: number; data: string })[];
    let prev = row.prev_hash;
    for (const r of [{ ...row, position: 300, data: '{"i":-1}' }, ...later]) {
      const hash = linkHash(prev, { streamId: r.stream_id, revision: r.revision, position: r.position, type: r.type, dataJson: r.data, metadataJson: r.metadata }, key);
      db.prepare('UPDATE events SET data = ?, prev_hash = ?, hash = ? WHERE position = ?').run(r.data, prev, hash, r.position);
      prev = hash;
    }
    db.prepare('UPDATE streams SET head_hash = ? WHERE stream_id = ?').run(prev, row.stream_id);
    db.close();
    expect((await store.verifyChains()).ok).toBe(true);
    const full = await monitor.fullCheck();
    expect(full.breaks).toEqual([expect.objectContaining({ kind: 'anchor-mismatch', position: '512', found: expect.stringContaining('after position 256') })]);
  });
});
