/** What a verification of the hash chains found; shared by the API, the CLI, the monitor and every store's verifier. */
import type { DigestBoundary } from './log-digest.js';

export type BreakKind =
  /** The stored content no longer hashes to the stored hash: edited (or inserted without recomputing). */
  | 'content-changed'
  /** The event does not link to the one before it: an event before it was removed, inserted or swapped. */
  | 'broken-link'
  /** Revisions are not consecutive in log order: a row was deleted, inserted or moved. */
  | 'revision-out-of-sequence'
  /** The stream's recorded head (last revision and hash) differs from its last event: the tail was cut or added to. */
  | 'head-mismatch'
  /** The stream is registered but has no events at all. */
  | 'stream-emptied'
  /** Events exist for a stream the store never registered. */
  | 'stream-unregistered'
  /** A global position is missing (the embedded log is gapless from 1): an event was deleted. */
  | 'position-gap'
  /** The log ends before a position already verified: its tail was cut (with the stream heads set back). */
  | 'log-truncated'
  /** The keyed checkpoint over the events chained before the key existed does not match: they were changed. */
  | 'checkpoint-mismatch'
  /**
   * More events without a keyed link (unchained or unkeyed) than the monitor saw before: the adapter writes
   * keyed links only, so such events were written or rewritten outside it (KurrentDB: whole streams can be
   * rewritten without links).
   */
  | 'links-downgraded'
  /** The log digest at an anchored position differs from the one recorded then. */
  | 'anchor-mismatch';

export interface ChainBreak {
  kind: BreakKind;
  /** The stream, or `*` for a break of the log as a whole (gaps, truncation, checkpoints, anchors). */
  streamId: string;
  /** Revision of the first event where the chain breaks (the stream's head revision for head problems). */
  revision: number | null;
  position: string | null;
  expected: string;
  found: string;
}

export interface LogAnchor {
  /** Global position up to which (inclusive) the digest was taken. */
  position: bigint;
  digest: string;
}

/** Where an incremental verification starts: a digest block boundary kept by an earlier one. */
export type VerifyResume = { position: bigint; events: number; digest: string };

export interface AnchorsChecked {
  checked: number;
  matched: number;
  /** Anchors at or before the resume point of an incremental check are not looked at. */
  skipped: number;
  /**
   * The first anchor whose digest differs, and the last one before it that matched: the log first differs
   * at a position after `lastMatchedPosition` and at or before `position`.
   */
  firstMismatch: { position: string; lastMatchedPosition: string | null; expected: string; found: string | null } | null;
}

export interface VerifyReport {
  ok: boolean;
  store: string;
  /** Fingerprint of the chain key checked with (not the key). */
  keyId: string;
  streams: number;
  /** Events checked by this run (after `fromPosition` for an incremental check). */
  events: number;
  /** Set for an incremental check: only events after this position were read. */
  fromPosition?: string;
  /**
   * The log digest (see log-digest.ts) over every event hash in log order up to `headPosition`, after
   * `headEvents` events. The engine anchors it outside this system on a schedule (HRU_ANCHOR_SINK); an
   * attacker able to rewrite the log cannot change a digest kept elsewhere, and `anchors` checks it later.
   */
  headPosition: string;
  headEvents: number;
  headDigest: string;
  /** The last digest block boundary reached: where the next incremental check can resume. */
  lastBoundary: DigestBoundary;
  /** Every boundary passed, when asked for (`keepBoundaries`): an anchor records them to narrow a mismatch. */
  boundaries?: DigestBoundary[];
  anchor?: { position: string; expected: string; found: string | null; matched: boolean };
  anchors?: AnchorsChecked;
  /**
   * Events a store wrote before it kept chains (KurrentDB: no `integrity` in their metadata), allowed only
   * at the start of a stream. Counted, not reported as breaks: nothing proves they are unaltered except an
   * anchor (the digest covers their content). A count that grows between two runs is itself a finding.
   */
  unchained?: { events: number; streams: number };
  /**
   * Events chained before the chains were keyed (plain SHA-256 links). SQLite: every one up to
   * `upToPosition`, covered by a keyed checkpoint taken when the key was introduced (a change to them is
   * a `checkpoint-mismatch`); KurrentDB: unkeyed links at the start of a stream, like `unchained`.
   */
  unkeyed?: { events: number; upToPosition: string | null };
  /** The first break of each broken stream and each break of the log as a whole, in log order. */
  breaks: ChainBreak[];
  brokenStreams: number;
  firstBreak: ChainBreak | null;
  durationMs: number;
}

export interface VerifyOptions {
  /** One digest recorded earlier (`--anchor POSITION:DIGEST`). */
  anchor?: LogAnchor;
  /** Many recorded digests (an anchors file); the first that differs is reported. */
  anchors?: readonly LogAnchor[];
  /** Verify only the events after this boundary (incremental); the full check starts from the beginning. */
  resume?: VerifyResume;
  /** Return every digest block boundary passed (for anchors). */
  keepBoundaries?: boolean;
  /** Called every few thousand events, for progress output. */
  onProgress?(eventsChecked: number, headPosition: bigint): void;
  /** At most this many breaks are listed (the count of broken streams is still exact). Default 100. */
  maxBreaks?: number;
}

/** A store whose chains can be checked. */
export interface ChainVerifier {
  verifyChains(options?: VerifyOptions): Promise<VerifyReport>;
}

export function canVerifyChains(store: unknown): store is ChainVerifier {
  return typeof (store as Partial<ChainVerifier> | null)?.verifyChains === 'function';
}
