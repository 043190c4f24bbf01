/**
 * Events that live subscriptions have read lately, parsed once and shared. Every live projection (and the outbox,
 * the alert stream) reads each new event through its own subscription; without this each of them parsed the same
 * row's JSON again. The shared copies are frozen, deeply, so that a reader that tried to change one would fail
 * loudly instead of changing what the others see. A stored event never changes once committed (positions are
 * never reused), so an entry is never stale; the oldest are dropped past the bound.
 */
import type { RecordedEvent } from '@hru/application';

export function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const key of Object.keys(value)) deepFreeze((value as Record<string, unknown>)[key]);
  }
  return value;
}

export class RecentEvents {
  private readonly byPosition = new Map<number, RecordedEvent>();

  constructor(private readonly max = 4_096) {}

  /** The event at `position`, parsed by `parse` and frozen the first time it is asked for. */
  get(position: number, parse: () => RecordedEvent): RecordedEvent {
    let event = this.byPosition.get(position);
    if (!event) {
      event = deepFreeze(parse());
      this.byPosition.set(position, event);
      // A Map iterates in insertion order: the first key is the oldest entry.
      if (this.byPosition.size > this.max) this.byPosition.delete(this.byPosition.keys().next().value!);
    }
    return event;
  }

  get size(): number {
    return this.byPosition.size;
  }
}
