import type { Hash } from 'node:crypto';
/** What a verification of the hash chains found; shared by the API, the CLI and every store's verifier. */

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
  /** The log digest at the auditor's anchor position differs from the one recorded then. */
  | 'anchor-mismatch';

export interface ChainBreak {
  kind: BreakKind;
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

export interface VerifyReport {
  ok: boolean;
  store: string;
  streams: number;
  events: number;
  /**
   * SHA-256 over every event hash in log order up to `headPosition`. Record it outside this system
   * (with its position): an attacker able to rewrite the whole file can recompute every chain, but not a
   * digest kept elsewhere; `anchor` checks it later.
   */
  headPosition: string;
  headDigest: string;
  anchor?: { position: string; expected: string; found: string | null; matched: boolean };
  /**
   * Events a store wrote before it kept chains (KurrentDB: no `integrity` in their metadata), allowed only
   * at the start of a stream. Counted, not reported as breaks: nothing proves they are unaltered except an
   * anchor (the digest covers their content). A count that grows between two runs is itself a finding.
   */
  unchained?: { events: number; streams: number };
  /** The first break of each broken stream, in log order; `firstBreak` is the earliest of them. */
  breaks: ChainBreak[];
  brokenStreams: number;
  firstBreak: ChainBreak | null;
  durationMs: number;
}

export interface VerifyOptions {
  anchor?: LogAnchor;
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

export interface ReportInput {
  store: string;
  streams: number;
  events: number;
  lastPosition: bigint | number;
  /** The running digest over every event hash in log order (copied, not consumed). */
  digest: Hash;
  anchor: { position: bigint; digest: string } | undefined;
  /** The digest at the anchor's position, or null when the log ends before it. */
  anchorFound: string | null | undefined;
  /** Every break found; an anchor mismatch is appended here. */
  breaks: ChainBreak[];
  maxBreaks: number;
  durationMs: number;
  unchained?: { events: number; streams: number };
}

/** Assembles the report both verifiers give, with the anchor check and the first breaks. */
export function buildVerifyReport(input: ReportInput): VerifyReport {
  const anchor = input.anchor
    ? { position: String(input.anchor.position), expected: input.anchor.digest, found: input.anchorFound ?? null, matched: input.anchorFound === input.anchor.digest }
    : undefined;
  if (anchor && !anchor.matched) {
    input.breaks.push({ kind: 'anchor-mismatch', streamId: '*', revision: null, position: anchor.position, expected: anchor.expected, found: anchor.found ?? '(log ends before the anchor)' });
  }
  const breaks = input.breaks.slice(0, input.maxBreaks);
  return {
    ok: input.breaks.length === 0,
    store: input.store,
    streams: input.streams,
    events: input.events,
    headPosition: String(input.lastPosition),
    headDigest: input.digest.copy().digest('hex'),
    ...(anchor ? { anchor } : {}),
    ...(input.unchained ? { unchained: input.unchained } : {}),
    breaks,
    brokenStreams: input.breaks.filter((b) => b.kind !== 'anchor-mismatch').length,
    firstBreak: breaks[0] ?? null,
    durationMs: Math.round(input.durationMs),
  };
}
