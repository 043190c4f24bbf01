export { Projector, type ProjectorOptions } from './projector.js';
export { OutboxReactor, type OutboxReactorOptions } from './outbox-reactor.js';
