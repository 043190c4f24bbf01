/**
 * A decision built step by step: each drafted event is folded into a running state at once, so a later step of the
 * same decision sees it (the next deadline id, the alert a breach supersedes, the clock a step just set). A command
 * whose consequences chain (a backdated service whose notification clock has already run out: served, clock set,
 * clock missed, measure moved, alert raised) is decided in one pass, in the order the events will be stored.
 */
import type { ReferralEvent } from '@hru/events';
import type { CommandMeta, DraftEvent } from '../referral/decision.js';
import { evolveState } from '../referral/evolve-state.js';
import type { ReferralState } from '../referral/referral-state.js';

export class Decided {
  readonly events: DraftEvent[] = [];

  constructor(
    public state: ReferralState,
    readonly meta: CommandMeta,
  ) {}

  add(event: DraftEvent): void {
    this.events.push(event);
    // The fold reads only the time from the metadata; the handler stamps the stored event with the same `now`.
    this.state = evolveState(this.state, { ...event, metadata: { occurredAt: this.meta.now } } as unknown as ReferralEvent);
  }
}
