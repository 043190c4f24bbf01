/**
 * Tamper evidence of the embedded store: rows are edited, inserted, deleted and reordered directly in the
 * SQLite file, and verification must name the first broken link of the stream each time.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTamperFixture, EVENTS_PER_STREAM, forgeHash, type TamperFixture } from './tamper-fixture.js';

let f: TamperFixture;
beforeEach(async () => {
  f = await createTamperFixture();
});
afterEach(() => f.cleanup());

const last = EVENTS_PER_STREAM - 1;

describe('verify on an untouched log', () => {
  it('finds every chain intact, the access log (appended with any revision) included', async () => {
    const report = await f.verify();
    expect(report).toMatchObject({ ok: true, streams: 3, events: 3 * EVENTS_PER_STREAM, breaks: [], firstBreak: null });
    expect(report.headDigest).toMatch(/^[0-9a-f]{64}$/);
    expect((await f.verify()).headDigest).toBe(report.headDigest);
  });
});

describe('edited rows', () => {
  it('an edited body is a content change at that revision', async () => {
    f.sql(`UPDATE events SET data = json_set(data, '$.note', 'rewritten') WHERE stream_id = 'ref-a' AND revision = 2`);
    const report = await f.verify();
    expect(report.ok).toBe(false);
    expect(report.firstBreak).toMatchObject({ kind: 'content-changed', streamId: 'ref-a', revision: 2 });
    expect(report.breaks).toHaveLength(1);
  });

  it('edited metadata (who did it) is a content change', async () => {
    f.sql(`UPDATE events SET metadata = json_set(metadata, '$.actor.system', 'someone-else') WHERE stream_id = 'ref-b' AND revision = 0`);
    expect((await f.verify()).firstBreak).toMatchObject({ kind: 'content-changed', streamId: 'ref-b', revision: 0 });
  });

  it('an edit whose own hash is recomputed without the key is a content change at that event', async () => {
    const row = f.row('ref-a', 1);
    const data = JSON.stringify({ ...JSON.parse(row.data), note: 'forged' });
    const forged = forgeHash({ ...row, data }, row.prev_hash);
    f.sql('UPDATE events SET data = ?, hash = ? WHERE position = ?', data, forged, row.position);
    expect((await f.verify()).firstBreak).toMatchObject({ kind: 'content-changed', streamId: 'ref-a', revision: 1, found: forged });
  });

  it('an edit with every later hash and the stream head recomputed (without the key) is caught at the edit', async () => {
    const rows = Array.from({ length: EVENTS_PER_STREAM }, (_, r) => f.row('ref-b', r));
    let prev = rows[1]!.prev_hash;
    for (const [i, row] of rows.entries()) {
      if (i < 2) continue;
      const data = i === 2 ? JSON.stringify({ ...JSON.parse(row.data), note: 'forged' }) : row.data;
      const hash = forgeHash({ ...row, data }, (prev = i === 2 ? rows[1]!.hash : prev));
      f.sql('UPDATE events SET data = ?, prev_hash = ?, hash = ? WHERE position = ?', data, prev, hash, row.position);
      prev = hash;
    }
    f.sql(`UPDATE streams SET head_hash = ? WHERE stream_id = 'ref-b'`, prev);
    const report = await f.verify();
    expect(report.firstBreak).toMatchObject({ kind: 'content-changed', streamId: 'ref-b', revision: 2 });
    expect(report.breaks).toHaveLength(1);
  });
});

describe('inserted rows', () => {
  it('a row added after the end of a stream, chained without the key, is a content change after a gap', async () => {
    const tail = f.row('ref-a', last);
    const forged = { ...tail, position: 1_000, revision: last + 1, data: '{"note":"forged"}' };
    f.sql(
      `INSERT INTO events (position, stream_id, revision, event_id, type, data, metadata, recorded_at, prev_hash, hash)
       VALUES (?, 'ref-a', ?, 'forged-event', ?, ?, ?, '2026-11-20T10:00:00.000Z', ?, ?)`,
      forged.position, forged.revision, forged.type, forged.data, forged.metadata, tail.hash, forgeHash(forged, tail.hash),
    );
    const report = await f.verify();
    expect(report.breaks).toContainEqual(expect.objectContaining({ kind: 'content-changed', streamId: 'ref-a', revision: last + 1 }));
    expect(report.firstBreak).toMatchObject({ kind: 'position-gap', position: String(3 * EVENTS_PER_STREAM + 1) }); // 1,000 is not next
  });

  it('a row slipped into the middle (later revisions renumbered) breaks at the first renumbered event', async () => {
    f.sql(`UPDATE events SET revision = revision + 100 WHERE stream_id = 'ref-b' AND revision >= 2`);
    f.sql(`UPDATE events SET revision = revision - 99 WHERE stream_id = 'ref-b' AND revision >= 100`);
    const at2 = f.row('ref-b', 1);
    f.sql(
      `INSERT INTO events (position, stream_id, revision, event_id, type, data, metadata, recorded_at, prev_hash, hash)
       VALUES (1000, 'ref-b', 2, 'forged-event', 'Noted', '{"note":"forged"}', ?, '2026-11-20T10:00:00.000Z', ?, 'x')`,
      at2.metadata, at2.hash,
    );
    const report = await f.verify();
    expect(report.breaks).toContainEqual(expect.objectContaining({ kind: 'content-changed', streamId: 'ref-b', revision: 3 }));
    expect(report.breaks).toContainEqual(expect.objectContaining({ kind: 'position-gap', streamId: '*' }));
  });
});

describe('deleted rows', () => {
  it('a deleted middle row leaves a position gap and revisions out of sequence', async () => {
    const gone = f.row('access-log-2026-11-20', 1);
    f.sql(`DELETE FROM events WHERE stream_id = 'access-log-2026-11-20' AND revision = 1`);
    const report = await f.verify();
    expect(report.firstBreak).toMatchObject({ kind: 'position-gap', streamId: '*', position: String(gone.position), expected: `position ${gone.position}` });
    expect(report.breaks).toContainEqual(
      expect.objectContaining({ kind: 'revision-out-of-sequence', streamId: 'access-log-2026-11-20', revision: 2, expected: 'revision 1' }),
    );
  });

  it('a deleted last row disagrees with the stream head', async () => {
    f.sql(`DELETE FROM events WHERE stream_id = 'ref-a' AND revision = ?`, last);
    const report = await f.verify();
    expect(report.breaks).toContainEqual(expect.objectContaining({ kind: 'head-mismatch', streamId: 'ref-a', found: expect.stringContaining(`revision ${last - 1}`) }));
  });

  it('a deleted access-log entry with the stream head set back is a position gap', async () => {
    const stream = 'access-log-2026-11-20';
    const [prev, gone] = [f.row(stream, last - 1), f.row(stream, last)];
    f.sql(`DELETE FROM events WHERE stream_id = ? AND revision = ?`, stream, last);
    f.sql(`UPDATE streams SET revision = ?, head_hash = ? WHERE stream_id = ?`, last - 1, prev.hash, stream);
    const report = await f.verify();
    expect(report.breaks).toEqual([expect.objectContaining({ kind: 'position-gap', position: String(gone.position) })]);
  });

  it('the last rows of the log cut with the heads set back are caught by an anchor taken before', async () => {
    const before = await f.verify();
    const stream = 'ref-b';
    const prev = f.row(stream, last - 1);
    f.sql(`DELETE FROM events WHERE stream_id = ? AND revision = ?`, stream, last); // the very last position
    f.sql(`UPDATE streams SET revision = ?, head_hash = ? WHERE stream_id = ?`, last - 1, prev.hash, stream);
    expect((await f.verify()).ok).toBe(true); // nothing left to compare with but what was recorded outside
    const anchored = await f.verify({ position: BigInt(before.headPosition), digest: before.headDigest });
    expect(anchored.firstBreak).toMatchObject({ kind: 'anchor-mismatch', found: expect.stringContaining('log ends before the anchor') });
  });

  it('a stream emptied of all its events is reported', async () => {
    f.sql(`DELETE FROM events WHERE stream_id = 'ref-b'`);
    expect((await f.verify()).breaks).toContainEqual(expect.objectContaining({ kind: 'stream-emptied', streamId: 'ref-b' }));
  });

  it('a stream removed from both tables leaves position gaps', async () => {
    f.sql(`DELETE FROM events WHERE stream_id = 'ref-a'`);
    f.sql(`DELETE FROM streams WHERE stream_id = 'ref-a'`);
    const report = await f.verify();
    expect(report.breaks.every((b) => b.kind === 'position-gap')).toBe(true);
    expect(report.breaks).toHaveLength(EVENTS_PER_STREAM);
  });
});

describe('reordered rows', () => {
  it('two events of a stream swapping revisions', async () => {
    f.sql(`UPDATE events SET revision = -1 WHERE stream_id = 'ref-a' AND revision = 1`);
    f.sql(`UPDATE events SET revision = 1 WHERE stream_id = 'ref-a' AND revision = 2`);
    f.sql(`UPDATE events SET revision = 2 WHERE stream_id = 'ref-a' AND revision = -1`);
    expect((await f.verify()).firstBreak).toMatchObject({ kind: 'content-changed', streamId: 'ref-a' });
  });

  it('two events of a stream swapping places in the global log', async () => {
    const [one, two] = [f.row('ref-b', 1), f.row('ref-b', 2)];
    f.sql('UPDATE events SET position = -1 WHERE position = ?', one.position);
    f.sql('UPDATE events SET position = ? WHERE position = ?', one.position, two.position);
    f.sql('UPDATE events SET position = ? WHERE position = -1', two.position);
    expect((await f.verify()).firstBreak).toMatchObject({ kind: 'content-changed', streamId: 'ref-b', revision: 2 });
  });

  it('events of different streams swapping places in the global log', async () => {
    const [a, b] = [f.row('ref-a', 3), f.row('ref-b', 3)];
    f.sql('UPDATE events SET position = -1 WHERE position = ?', a.position);
    f.sql('UPDATE events SET position = ? WHERE position = ?', a.position, b.position);
    f.sql('UPDATE events SET position = ? WHERE position = -1', b.position);
    const report = await f.verify();
    expect(report.breaks.map((x) => [x.kind, x.streamId, x.revision])).toEqual([
      ['content-changed', 'ref-b', 3],
      ['content-changed', 'ref-a', 3],
    ]);
  });

  it('two rows swapping their bodies', async () => {
    const [one, two] = [f.row('access-log-2026-11-20', 0), f.row('access-log-2026-11-20', 1)];
    f.sql('UPDATE events SET data = ? WHERE position = ?', two.data, one.position);
    f.sql('UPDATE events SET data = ? WHERE position = ?', one.data, two.position);
    expect((await f.verify()).firstBreak).toMatchObject({ kind: 'content-changed', streamId: 'access-log-2026-11-20', revision: 0 });
  });
});
