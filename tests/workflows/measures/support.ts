/** Drives a referral's measures through the real decider: staff steps, clock firings, and what they leave. */
import { decide, foldEvents, type DraftEvent, type ReferralSnapshot } from '@hru/workflows';
import { command, NOW, stored, type When } from '../support/decider-spec.js';
import { receive } from '../support/referral-commands.js';
import type { Lifecycle } from './lifecycles.js';

/** When the steps of the specs happened: an hour before the command's `now`. */
export const AT = '2026-11-20T09:00:00.000Z';
/** A `now` after every clock of the specs has run out. */
export const LATER = '2028-01-01T00:00:00.000Z';

export class Life {
  snapshot: ReferralSnapshot = foldEvents([]);
  readonly events: DraftEvent[] = [];

  constructor(...start: When[]) {
    for (const c of start.length > 0 ? start : [receive()]) this.run(c);
  }

  run(c: When): DraftEvent[] {
    const drafts = decide(this.snapshot, command(c));
    this.snapshot = foldEvents(stored(drafts, c.now ?? NOW), this.snapshot);
    this.events.push(...drafts);
    return drafts;
  }

  get state() {
    return this.snapshot.context;
  }

  /** The staff command of a lifecycle's step, on the referral's latest measure of the kind (or a new one). */
  stepCommand(lifecycle: Lifecycle, step: string, extra: Record<string, unknown> = {}, at = AT, now = NOW): When {
    const measure = this.state.measures.findLast((m) => m.kind === lifecycle.kind);
    return {
      name: lifecycle.command,
      payload: { ...(measure ? { measureId: measure.measureId } : {}), at, step: { step, ...(lifecycle.steps[step] ?? {}), ...extra } },
      now,
    };
  }

  /** The unmet clock of a deadline kind (the latest), if any. */
  unmet(kind: string) {
    return this.state.deadlines.findLast((d) => d.kind === kind && (d.status === 'open' || d.status === 'missed'));
  }

  pass(kind: string, now = LATER): DraftEvent[] {
    const d = this.state.deadlines.findLast((x) => x.kind === kind && x.status === 'open');
    if (!d) throw new Error(`no open ${kind} clock to pass`);
    return this.run({ name: 'pass-deadline', payload: { deadlineId: d.deadlineId, version: d.version }, now });
  }

  /** Walks a path of a lifecycle (staff steps and `@pass:<kind>`). */
  walk(lifecycle: Lifecycle, path: readonly string[]): this {
    for (const step of path) {
      if (step.startsWith('@pass:')) this.pass(step.slice('@pass:'.length));
      else this.run(this.stepCommand(lifecycle, step));
    }
    return this;
  }

  measure(kind: string) {
    return this.state.measures.findLast((m) => m.kind === kind);
  }
}
