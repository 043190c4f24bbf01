/**
 * A worker thread of a parallel rebuild (see parallel.ts): loads the events of one part of the log, up to a fixed
 * position, into its own shadow file, posting its progress page by page. It has no store object, so it opens the
 * embedded store's file read-only through infra and reads it through the port like every other reader.
 */
import type { LogPartition } from '@hru/application';
import { parentPort, workerData } from 'node:worker_threads';
import { openReadOnlyEventStore } from '@hru/infra/sqlite';
import { allProjections } from '../fixed-projections.js';
import { loadShadow, typesRead } from './load.js';
import { logPageReader } from './log-pages.js';
import { openShadow } from './shadow.js';

export interface RebuildWorkerData {
  storeFile: string;
  shadowFile: string;
  /** Names from `allProjections`: projections are code, so the worker finds them by name. */
  projections: string[];
  partition?: LogPartition;
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
const store = openReadOnlyEventStore(data.storeFile);
const shadow = openShadow(data.shadowFile, projections, data.cacheMb);
try {
  const reader = logPageReader(store, typesRead(projections), { partition: data.partition, upTo });
  const reached = await loadShadow(shadow, projections, reader, {
    batchSize: data.batchSize,
    commitEvery: Number.POSITIVE_INFINITY,
    head: async () => upTo,
    onPage: (events, position) => post({ kind: 'page', events, position: String(position) }),
  });
  post({ kind: 'done', position: String(reached) });
} finally {
  shadow.close();
  await store.close();
}
