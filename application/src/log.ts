/**
 * The event-store port and the timers' pure helpers alone (`@hru/application/log`), without the command handler,
 * the workflows it folds with, or the audit and personal-data services: what the embedded store and the read models
 * need at run time. A rebuild's worker thread imports only these, not the whole package, whose workflows alone take
 * about 300 ms to load (measured from the build; twice that from the sources), all of it on the rebuild's longest
 * thread.
 */
export * from './ports/event-store.js';
export * from './timers/timers.js';
