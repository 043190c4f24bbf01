/** `hru projections rebuild [name]`: rebuild some or all read models while they keep serving. */
import type Database from 'better-sqlite3';
import type { EventStore } from '@hru/infra';
import { allProjections } from './all-projections.js';
import type { RebuildProgress } from './framework/progress.js';
import { rebuildProjectionsInto, type RebuildOptions, type RebuildReport } from './framework/rebuild.js';

export function projectionsNamed(names: readonly string[] = []): typeof allProjections {
  if (names.length === 0) return allProjections;
  const unknown = names.filter((n) => !allProjections.some((p) => p.name === n));
  if (unknown.length > 0) {
    throw new Error(`Unknown projection(s) ${unknown.join(', ')}; known: ${allProjections.map((p) => p.name).join(', ')}`);
  }
  return allProjections.filter((p) => names.includes(p.name));
}

export function rebuildProjections(
  store: EventStore,
  db: Database.Database,
  names?: readonly string[],
  onProgress?: (progress: RebuildProgress) => void,
  options: Omit<RebuildOptions, 'onProgress'> = {},
): Promise<RebuildReport> {
  return rebuildProjectionsInto(store, db, projectionsNamed(names), { ...options, ...(onProgress ? { onProgress } : {}) });
}
