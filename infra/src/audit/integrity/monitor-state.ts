/**
 * What the integrity monitor keeps between checks, in a small file beside (not inside) the event log: where
 * the next incremental check resumes (a digest block boundary), the head it verified, the breaks found (they
 * stay reported, across restarts, until someone investigates and removes the file), the last anchor and the
 * block boundaries not anchored yet. Written whole to a temporary file and renamed: never half written.
 *
 * Removing the file is safe: the next check verifies the whole log from the beginning.
 */
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import type { DigestBoundary } from './log-digest.js';
import type { ChainBreak } from './report.js';

export interface MonitorState {
  version: 1;
  store: string;
  /** Where the next incremental check resumes. */
  resume: DigestBoundary | null;
  /** The log's head as last verified: a later head before it means the log was cut. */
  verified: { position: string; events: number; digest: string; at: string } | null;
  breaks: ChainBreak[];
  lastAnchor: { position: string; digest: string; at: string } | null;
  /** Block boundaries verified since the last anchor; the next anchor records them. */
  unanchoredBlocks: DigestBoundary[];
  /** Events without a keyed link at the first full check (KurrentDB): a count that grows is a break. */
  unkeyedEvents?: number;
}

export function emptyMonitorState(store: string): MonitorState {
  return { version: 1, store, resume: null, verified: null, breaks: [], lastAnchor: null, unanchoredBlocks: [] };
}

export function readMonitorState(file: string, store: string): MonitorState {
  if (!existsSync(file)) return emptyMonitorState(store);
  const state = JSON.parse(readFileSync(file, 'utf8')) as MonitorState;
  // A state file of another store (EVENTSTORE_URL changed) says nothing about this one.
  return state.version === 1 && state.store === store ? state : emptyMonitorState(store);
}

export function writeMonitorState(file: string, state: MonitorState): void {
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, JSON.stringify(state, null, 1), { mode: 0o600 });
  renameSync(temporary, file);
}

/** The identity of a break: the same break found again is the same break (and the same event id). */
export function breakKey(b: ChainBreak): string {
  return [b.kind, b.streamId, b.position ?? '', b.revision ?? ''].join('|');
}
