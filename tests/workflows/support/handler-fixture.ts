/** A command handler over a real SQLite event store in a temporary folder. */
import { type EventStore, ReferralCommandHandler, type CommandContext } from '@hru/application';
import { join } from 'node:path';
import { SqliteEventStore } from '@hru/infra';
import { ConcurrencyError, type Actor } from '@hru/events';
import { tempDir } from '../../support/temp-dir.js';

export const SLA_MS = 15 * 60_000;

export const sourceSystem: Actor = { kind: 'system', system: 'niche' };
export const timer: Actor = { kind: 'system', system: 'alert-timer' };
export const supervisor: Actor = { kind: 'person', sub: 'u-sup', name: 'Sgt S', roles: ['supervisor'], agency: 'police' };
export const officer: Actor = { kind: 'person', sub: 'u-off', name: 'PC O', roles: ['officer'], agency: 'police' };
export const advocate: Actor = { kind: 'person', sub: 'u-adv', name: 'A A', roles: ['victim_advocate'], agency: 'advocacy' };

export function ctx(actor: Actor, extra: Partial<CommandContext> = {}): CommandContext {
  return { actor, correlationId: 'spec', now: '2026-11-20T10:00:00.000Z', ...extra };
}

export async function openStore(): Promise<{ file: string; store: SqliteEventStore; handler: ReferralCommandHandler; another(): ReferralCommandHandler; cleanup(): Promise<void> }> {
  const { dir, cleanup } = tempDir('hru-wf-');
  const file = join(dir, 'events.sqlite');
  const store = new SqliteEventStore(file, { pollIntervalMs: 20 });
  const others: SqliteEventStore[] = [];
  return {
    file,
    store,
    handler: new ReferralCommandHandler(store, { alertAckSlaMs: SLA_MS }),
    /** A second handler on its own connection to the same file: another API node, with its own cache. */
    another() {
      const other = new SqliteEventStore(file, { pollIntervalMs: 20 });
      others.push(other);
      return new ReferralCommandHandler(other, { alertAckSlaMs: SLA_MS });
    },
    async cleanup() {
      await Promise.all([store, ...others].map((s) => s.close()));
      cleanup();
    },
  };
}

/** The real store, with a hook run before each append: lets a test put another writer in between. */
export function withBeforeAppend(store: EventStore, beforeAppend: () => Promise<void>): EventStore {
  return new Proxy(store, {
    get(target, property, receiver) {
      if (property === 'appendToStream') {
        return async (...args: Parameters<EventStore['appendToStream']>) => {
          await beforeAppend();
          return target.appendToStream(...args);
        };
      }
      const value = Reflect.get(target, property, receiver) as unknown;
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
}

/** The real store, counting the conflicts its appends report: proves a test really raced. */
export function countingConflicts(store: EventStore): { store: EventStore; conflicts(): number } {
  let conflicts = 0;
  const counted = new Proxy(store, {
    get(target, property, receiver) {
      if (property === 'appendToStream') {
        return async (...args: Parameters<EventStore['appendToStream']>) => {
          try {
            return await target.appendToStream(...args);
          } catch (error) {
            if (error instanceof ConcurrencyError) conflicts++;
            throw error;
          }
        };
      }
      const value = Reflect.get(target, property, receiver) as unknown;
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
  return { store: counted, conflicts: () => conflicts };
}
