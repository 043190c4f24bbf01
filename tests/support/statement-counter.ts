import Database from 'better-sqlite3';
import { vi } from 'vitest';

type Method = 'run' | 'get' | 'all';

export interface StatementCounts {
  /** Statements run, by their SQL text. */
  readonly counts: Map<string, number>;
  /** How many of them start with `prefix`. */
  startingWith(prefix: string): number;
  /** Puts the methods back (`vi.restoreAllMocks()` does too). */
  restore(): void;
}

/**
 * Counts the statements run through `methods` on every better-sqlite3 connection of this process, by their SQL:
 * every statement shares one prototype, and better-sqlite3 runs its transactions' BEGIN, SAVEPOINT and RELEASE as
 * statements too.
 */
export function countStatements(methods: readonly Method[] = ['run', 'get', 'all']): StatementCounts {
  const probe = new Database(':memory:');
  const prototype = Object.getPrototypeOf(probe.prepare('SELECT 1')) as Record<Method, (...args: unknown[]) => unknown>;
  probe.close();
  const counts = new Map<string, number>();
  const spies = methods.map((method) => {
    const original = prototype[method];
    return vi.spyOn(prototype, method).mockImplementation(function (this: { source: string }, ...args: unknown[]) {
      counts.set(this.source, (counts.get(this.source) ?? 0) + 1);
      return original.apply(this, args);
    });
  });
  return {
    counts,
    startingWith: (prefix) => [...counts].reduce((n, [sql, count]) => (sql.startsWith(prefix) ? n + count : n), 0),
    restore: () => spies.forEach((spy) => spy.mockRestore()),
  };
}
