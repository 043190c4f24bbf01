/**
 * A rebuild's heap kept near what it holds. V8 lets its old generation grow to up to four times what survived the
 * last full collection before it collects again (its heap growing factor). A rebuild promotes a steady stream of
 * objects that live a little while and then die (the row caches' rows, a page's events), so its heap fills with
 * garbage up to that limit: over the bench's 1,000,000-event log a one-thread rebuild grew 118–127 MB of RSS with
 * about 33 MB live (its last full collection came 1.8 s in, then none for 10 s), a two-thread one 57–88 MB. With
 * the factor held at 1.5 while it runs, 67–74 and 36–53 MB, and no more CPU than the runs’ spread.
 *
 * The flag is the process's (every isolate's, the workers' too) and V8 reads it only when it sets the next limit
 * after a collection, so it is set while at least one rebuild runs and set back to V8's own (0: the dynamic factor)
 * after the last. A process started with its own `--heap-growing-percent` keeps it.
 */
import { setFlagsFromString } from 'node:v8';

/** The old generation may grow by this much over what the last full collection left, while a rebuild runs. */
export const REBUILD_HEAP_GROWING_PERCENT = 50;

let running = 0;

export interface LeanHeapOptions {
  /** How V8's flags are set (tests count the calls). */
  setFlags?: (flags: string) => void;
  /** The process's own flags, where one of ours would be overridden. */
  startedWith?: readonly string[];
}

export async function withLeanHeap<T>(work: () => Promise<T>, options: LeanHeapOptions = {}): Promise<T> {
  const setFlags = options.setFlags ?? setFlagsFromString;
  const startedWith = options.startedWith ?? [...process.execArgv, process.env.NODE_OPTIONS ?? ''];
  if (startedWith.some((flag) => /heap[-_]growing[-_]percent/.test(flag))) return work();
  if (running++ === 0) setFlags(`--heap-growing-percent=${REBUILD_HEAP_GROWING_PERCENT}`);
  try {
    return await work();
  } finally {
    if (--running === 0) setFlags('--heap-growing-percent=0');
  }
}
