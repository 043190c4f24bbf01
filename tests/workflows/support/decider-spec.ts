/**
 * Given events → when command → then events (or a named rejection), in the spirit of Emmett's
 * DeciderSpecification, over the real machine: given events are folded with `foldEvents`, the command
 * is validated with its real schema and decided with `decide`.
 */
import { randomUUID } from 'node:crypto';
import { expect } from 'vitest';
import { HruError, type Actor, type ReferralEvent, type Role } from '@hru/events';
import {
  commandSchemas,
  decide,
  defaultIntakeRules,
  foldEvents,
  type CommandEvent,
  type CommandName,
  type DecisionOptions,
  type DraftEvent,
  type ReferralSnapshot,
} from '@hru/workflows';
import { standardClocks } from '@hru/workflows';

export const NOW = '2026-11-20T10:00:00.000Z';
export const SLA_MS = 15 * 60_000;
export const options: DecisionOptions = { intakeRules: defaultIntakeRules, alertAckSlaMs: SLA_MS, maxEscalationLevel: 3, clocks: standardClocks() };
const system: Actor = { kind: 'system', system: 'spec' };

/** Stamps drafted events with metadata as the handler would, so they fold like stored events. */
export function stored(drafts: readonly DraftEvent[], now = NOW): ReferralEvent[] {
  return drafts.map(
    (d) =>
      ({
        ...d,
        metadata: { eventId: randomUUID(), occurredAt: now, actor: system, correlationId: 'spec', causationId: null, schemaVersion: 1 },
      }) as ReferralEvent,
  );
}

export interface When {
  name: CommandName;
  payload: unknown;
  now?: string;
  /** The sender's roles, for the decisions that depend on who asks (default: a supervisor). */
  issuerRoles?: Role[];
}

export function command({ name, payload, now = NOW, issuerRoles = ['supervisor'] }: When): CommandEvent {
  const parsed = commandSchemas[name].parse(payload);
  return { type: name, payload: parsed, meta: { now, options, issuerRoles } } as CommandEvent;
}

/** Runs commands one after another from nothing and returns every event they produced. */
export function history(...commands: When[]): DraftEvent[] {
  const all: DraftEvent[] = [];
  let snapshot: ReferralSnapshot = foldEvents([]);
  for (const c of commands) {
    const drafts = decide(snapshot, command(c));
    snapshot = foldEvents(stored(drafts, c.now), snapshot);
    all.push(...drafts);
  }
  return all;
}

export function given(...events: DraftEvent[][]) {
  const snapshot = foldEvents(stored(events.flat()));
  return {
    snapshot,
    when(c: When) {
      const run = () => decide(snapshot, command(c));
      return {
        /** The decided events match these (partially: each expected object is a subset of the actual one). */
        then(...expected: { type: string; data?: Record<string, unknown> }[]) {
          const events = run();
          expect(events.map((e) => e.type)).toEqual(expected.map((e) => e.type));
          expected.forEach((e, i) => {
            if (e.data) expect(events[i]!.data).toMatchObject(e.data);
          });
          return events;
        },
        thenNothing() {
          expect(run()).toEqual([]);
        },
        /** Rejected with this error class, and a message matching `why` when given. */
        thenRejected(errorName: string, why?: RegExp) {
          let caught: unknown;
          try {
            run();
          } catch (error) {
            caught = error;
          }
          expect(caught, 'the command was accepted').toBeInstanceOf(HruError);
          expect((caught as HruError).name).toBe(errorName);
          if (why) expect((caught as HruError).message).toMatch(why);
          return caught as HruError;
        },
      };
    },
  };
}
