import type { EventStore } from '@hru/application';

/**
 * The port's methods of a store and nothing else: a store's optional capabilities (the access-log index, the
 * receipt index) are hidden, so a spec can hold a capability's answers equal to the plain path's.
 */
export function bareEventStore(inner: EventStore): EventStore {
  return {
    kind: inner.kind,
    appendToStream: (...a) => inner.appendToStream(...a),
    readStream: (...a) => inner.readStream(...a),
    streamRevision: (...a) => inner.streamRevision(...a),
    readAll: (...a) => inner.readAll(...a),
    readAllRaw: (...a) => inner.readAllRaw(...a),
    subscribeToAll: (...a) => inner.subscribeToAll(...a),
    headPosition: () => inner.headPosition(),
    ping: () => inner.ping(),
    close: () => inner.close(),
  };
}
