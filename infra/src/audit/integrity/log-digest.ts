/**
 * The log digest an auditor anchors: a digest over every event's hash in log order, chained by blocks of
 * DIGEST_BLOCK events: `D0 = GENESIS_HASH`, `Dk = SHA-256(Dk-1 ‖ SHA-256(hashes of block k))`, and the digest
 * after n events is `Dk` when n ends a block, else `SHA-256(Dk ‖ SHA-256(hashes so far in block k+1))`.
 *
 * Why blocks rather than one SHA-256 over the whole log: Node cannot save a hash's running state, so a
 * single digest could only be continued by reading the log again from the start. A block boundary is a
 * 64-character state that can be kept in a file, so scheduled verification and anchoring resume from it and
 * cost only the events since (plus at most one block). Blocks count events, not positions, so the same
 * definition serves KurrentDB, whose positions are not dense.
 */
import { createHash, type Hash } from 'node:crypto';
import { GENESIS_HASH } from './chain.js';

export const DIGEST_BLOCK = 256;

/** The digest state at a block boundary: after `events` events, the last at `position`. */
export interface DigestBoundary {
  events: number;
  position: string;
  digest: string;
}

const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');

export class LogDigest {
  events: number;
  private chained: string;
  private block: Hash = createHash('sha256');
  private inBlock = 0;

  /** Starts at the beginning of the log, or resumes at a boundary kept earlier. */
  constructor(from?: { events: number; digest: string }) {
    if (from && from.events % DIGEST_BLOCK !== 0) throw new Error(`a digest resumes at a block boundary, not after ${from.events} events`);
    this.events = from?.events ?? 0;
    this.chained = from?.digest ?? GENESIS_HASH;
  }

  /** Adds the next event's hash; returns true when it completed a block (a boundary worth keeping). */
  update(hash: string): boolean {
    this.block.update(hash);
    this.events++;
    if (++this.inBlock < DIGEST_BLOCK) return false;
    this.chained = sha256(this.chained + this.block.digest('hex'));
    this.block = createHash('sha256');
    this.inBlock = 0;
    return true;
  }

  /** The digest after the events added so far. */
  value(): string {
    return this.inBlock === 0 ? this.chained : sha256(this.chained + this.block.copy().digest('hex'));
  }
}
