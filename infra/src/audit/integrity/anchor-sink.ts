/**
 * Where the engine anchors the log digest (HRU_ANCHOR_SINK), so that a copy of it lives outside the store:
 * - `file:///path`: one JSON line appended per anchor and fsynced; put the file on another mount (or a
 *   write-once share) than the data dir, so whoever can rewrite the log cannot rewrite the anchors too;
 * - `https://…`: the same record POSTed as JSON, signed like alert webhooks (X-HRU-Signature) when
 *   HRU_ALERT_WEBHOOK_SECRET is set.
 * `hru audit verify --anchors FILE` checks every record of such a file (a receiver keeps its own copy).
 */
import { existsSync } from 'node:fs';
import { mkdir, open, readFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { postSignedJson } from '../../webhook/post-signed.js';
import type { DigestBoundary } from './log-digest.js';
import type { LogAnchor } from './report.js';

export interface AnchorRecord {
  store: string;
  /** Fingerprint of the chain key the log was verified with. */
  keyId: string;
  position: string;
  events: number;
  digest: string;
  at: string;
  /** The digest at every block boundary since the previous anchor: they narrow where a later mismatch lies. */
  blocks: DigestBoundary[];
}

export interface AnchorSink {
  /** Where the anchors go, for logs (never a secret). */
  readonly target: string;
  write(record: AnchorRecord): Promise<void>;
  /** Every anchor written so far, when the sink can be read back (a file; a webhook cannot). */
  readBack?(): Promise<LogAnchor[]>;
}

export function anchorSinkFor(url: string, webhookSecret: string | undefined): AnchorSink {
  if (url.startsWith('file:')) {
    const path = fileURLToPath(url);
    return {
      target: path,
      async write(record) {
        await mkdir(dirname(path), { recursive: true });
        const file = await open(path, 'a', 0o600);
        try {
          await file.appendFile(JSON.stringify(record) + '\n');
          await file.sync(); // an anchor is only worth having once it is on disk
        } finally {
          await file.close();
        }
      },
      readBack: async () => (existsSync(path) ? readAnchorsFile(path) : []),
    };
  }
  return {
    target: new URL(url).origin,
    async write(record) {
      await postSignedJson(url, JSON.stringify(record), { secret: webhookSecret, headers: { 'user-agent': 'hru-anchors/1' }, timeoutMs: 10_000 });
    },
  };
}

/**
 * Every digest an anchors file records: each record's head and its block boundaries. A line that is not a
 * record is an error naming the line: a corrupt anchors file must not pass as fewer anchors.
 */
export async function readAnchorsFile(path: string): Promise<LogAnchor[]> {
  const anchors = new Map<string, LogAnchor>();
  const lines = (await readFile(path, 'utf8')).split('\n');
  lines.forEach((line, i) => {
    if (line.trim() === '') return;
    let record: AnchorRecord;
    try {
      record = JSON.parse(line) as AnchorRecord;
      if (!/^\d+$/.test(record.position) || !/^[0-9a-f]{64}$/.test(record.digest)) throw new Error('no position and digest');
    } catch (error) {
      throw new Error(`${path} line ${i + 1} is not an anchor record (${(error as Error).message})`);
    }
    for (const point of [...(record.blocks ?? []), record]) {
      const key = `${point.position}:${point.digest}`;
      anchors.set(key, { position: BigInt(point.position), digest: point.digest });
    }
  });
  return [...anchors.values()];
}
