/**
 * Every read model the engine keeps, rebuilt from the log as `hru projections rebuild` does: the ones that read the
 * log sealed first (in parallel over the embedded store), then the case search's blind index, the one model that must
 * see names to key them and so reads the intake events opened through the data dir's keys.
 *
 * Why the second pass belongs here and not to the engine's first start: left to the engine, a rebuilt data dir
 * starts with the blind index empty and `/readyz` waits while the projector opens every intake in the log beside live
 * traffic (759 s on a national year's log before the index had a rebuild path of its own; minutes since, still the
 * rebuild's longest pass). Opening them here, before start, keeps start-up to a checkpoint check.
 */
import type Database from 'better-sqlite3';
import { eventStoreSettings, loadOrCreateBlindIndexKey, loadOrCreatePseudonymKey, openEventStore, type Config } from '@hru/infra';
import { engineProjections, openedProjections, OpenedIntakeStore, projectionsNamed, rebuildProjections, type RebuildProgress, type RebuildReport } from '@hru/projections';
import { openStore } from './engine.js';

export interface ReadModelsRebuild {
  /** Names to rebuild; every read model when empty. An unknown name throws before anything is read. */
  names?: readonly string[];
  /** Threads for the sealed pass (the opened pass reads on one: its keys live in this process). */
  threads?: number;
  onProgress?: (progress: RebuildProgress) => void;
}

/** The engine's read models in the two groups they are rebuilt in. */
export function readModelGroups(config: Config) {
  return {
    sealed: engineProjections({ webhookTargets: config.alertWebhookUrls, pseudonymKey: loadOrCreatePseudonymKey(config) }),
    opened: openedProjections({ blindIndexKey: loadOrCreateBlindIndexKey(config) }),
  };
}

/** Rebuilds the named (or every) read model into `db`; one report per pass that ran. */
export async function rebuildReadModels(config: Config, db: Database.Database, options: ReadModelsRebuild = {}): Promise<RebuildReport[]> {
  const groups = readModelGroups(config);
  const names = options.names ?? [];
  const chosen = projectionsNamed(names, [...groups.sealed, ...groups.opened]);
  const sealed = chosen.filter((p) => groups.sealed.includes(p));
  const opened = chosen.filter((p) => groups.opened.includes(p));
  const reports: RebuildReport[] = [];
  if (sealed.length > 0) {
    const store = await openEventStore(eventStoreSettings(config));
    try {
      reports.push(await rebuildProjections(store, db, sealed.map((p) => p.name), options.onProgress, { known: sealed, ...(options.threads ? { threads: options.threads } : {}) }));
    } finally {
      await store.close();
    }
  }
  if (opened.length > 0) {
    const store = await openStore(config);
    try {
      reports.push(await rebuildProjections(new OpenedIntakeStore(store), db, opened.map((p) => p.name), options.onProgress, { known: opened, threads: 1 }));
    } finally {
      await store.close();
    }
  }
  return reports;
}
