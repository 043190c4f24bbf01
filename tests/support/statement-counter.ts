import Database from 'better-sqlite3';

/**
 * Counts the statements run (`run` only) on every better-sqlite3 connection whose SQL starts with one of `prefixes`:
 * better-sqlite3 runs its transactions' BEGIN, SAVEPOINT and RELEASE as statements too. `restore` puts `run` back.
 */
export function countStatements(...prefixes: string[]): { counts: Map<string, number>; restore: () => void } {
  const probe = new Database(':memory:');
  const prototype = Object.getPrototypeOf(probe.prepare('SELECT 1')) as { run: (...args: unknown[]) => unknown };
  probe.close();
  const run = prototype.run;
  const counts = new Map(prefixes.map((p) => [p, 0]));
  prototype.run = function (this: { source: string }, ...args: unknown[]) {
    for (const prefix of prefixes) if (this.source.startsWith(prefix)) counts.set(prefix, counts.get(prefix)! + 1);
    return run.apply(this, args);
  };
  return { counts, restore: () => void (prototype.run = run) };
}
