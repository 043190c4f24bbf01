/**
 * A worker thread of a parallel rebuild (see parallel-rebuild.ts): loads the events of one part of the log's
 * streams, up to a fixed position, into its own shadow file, posting its progress page by page.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { allProjections } from './all-projections.js';
import { sqliteLogReader, type LogPartition } from './framework/log-reader.js';
import { loadShadow, openShadow, readersByType } from './framework/rebuild.js';

export interface RebuildWorkerData {
  logFile: string;
  shadowFile: string;
  /** Names from `allProjections`: projections are code, so the worker finds them by name. */
  projections: string[];
  partition: LogPartition;
  /** Positions are bigints, which cross the thread boundary as strings. */
  upTo: string;
  batchSize: number;
  cacheMb: number;
}

export type RebuildWorkerMessage = { kind: 'page'; events: number; position: string } | { kind: 'done'; position: string };

const data = workerData as RebuildWorkerData;
const post = (message: RebuildWorkerMessage) => parentPort!.postMessage(message);
const projections = allProjections.filter((p) => data.projections.includes(p.name));
const upTo = BigInt(data.upTo);
const shadow = openShadow(data.shadowFile, projections, data.cacheMb);
const reader = sqliteLogReader(data.logFile, [...readersByType(projections).keys()], { partition: data.partition, upTo });
try {
  const reached = await loadShadow(shadow, projections, reader, {
    batchSize: data.batchSize,
    commitEvery: Number.POSITIVE_INFINITY,
    head: async () => upTo,
    onPage: (events, position) => post({ kind: 'page', events, position: String(position) }),
  });
  post({ kind: 'done', position: String(reached) });
} finally {
  reader.close();
  shadow.close();
}
