/**
 * Attributes a V8 CPU profile's samples to the engine's components (issue 19's list: HTTP and plugins, handler,
 * append, projections, queues, GC, plus logging, metrics and encryption apart). A sample belongs to the first frame,
 * from the innermost outwards, that a rule claims; frames of general-purpose code (zod, xstate, better-sqlite3,
 * builtins such as JSON.parse) claim nothing, so their time goes to whoever called them: zod validating a body for
 * Fastify is HTTP, zod validating an event for the handler is the handler, SQLite under a projection is the
 * projection.
 */

export interface CpuProfile {
  nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; parent?: number; children?: number[] }[];
  samples: number[];
  timeDeltas: number[];
}

/** First match wins, so the more specific paths come first. */
const rules: readonly [category: string, test: (url: string) => boolean][] = [
  ['encryption (sealing, keys)', (u) => u.includes('/personal-data/') || u.includes('/infra/src/keystore/')],
  ['queues (outbox, bullmq, workers)', (u) => u.includes('/outbox-reactor') || u.includes('/bullmq/') || u.includes('/ioredis/') || u.includes('/infra/src/queues/') || u.includes('/services/worker/') || u.includes('/infra/src/webhook/')],
  ['projections', (u) => u.includes('/projections/src/') || u.includes('/services/projector/')],
  ['append (event store, chain)', (u) => u.includes('/infra/src/eventstore/') || u.includes('/infra/src/audit/')],
  ['logging', (u) => u.includes('/pino') || u.includes('/sonic-boom/') || u.includes('/request-log') || u.includes('/infra/src/logger')],
  ['metrics', (u) => u.includes('/prom-client/') || u.includes('/plugins/metrics')],
  ['handler (command, machine, events)', (u) => u.includes('/application/src/') || u.includes('/workflows/src/') || u.includes('/events/src/') || u.includes('/services/api/src/routes/')],
  [
    'HTTP and plugins',
    (u) =>
      u.includes('/services/api/src/') ||
      u.includes('/fastify') ||
      u.includes('/@fastify/') ||
      u.includes('/find-my-way/') ||
      u.includes('/avvio/') ||
      u.includes('/light-my-request/') ||
      u.includes('/secure-json-parse/') ||
      u.includes('/fast-json-stringify/') ||
      u.includes('/toad-cache/'),
  ],
];

/**
 * Node's own HTTP, socket and stream code: used by Fastify, but also by ioredis, the webhook client and the log. It
 * claims a sample only when no rule claims a frame further out, so a socket write for Redis counts as queues.
 */
const nodeNetworking = /^node:(_http|http|net|stream|internal\/(http|streams|stream_base|net|js_stream))/;

const special = new Map([
  ['(garbage collector)', 'GC'],
  ['(program)', 'V8 and native (program)'],
  ['(idle)', 'idle'],
]);

export interface Attributed {
  category: string;
  us: number;
  /** The innermost frame, as `function (file:line)`, when asked for. */
  frame?: string;
}

export function attribute(profile: CpuProfile, options: { bySelfFrame?: boolean } = {}): Attributed[] {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parentOf = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parentOf.set(c, n.id);
  const categoryOf = new Map<number, string>();
  /** The category of the innermost frame a rule claims, at or outside `id`; '' when none does. */
  const claimed = (id: number): string => {
    const known = categoryOf.get(id);
    if (known !== undefined) return known;
    const node = byId.get(id)!;
    const url = node.callFrame.url;
    let category = special.get(node.callFrame.functionName) ?? (url === '' ? '' : (rules.find(([, test]) => test(url))?.[0] ?? ''));
    if (!category) {
      const parent = parentOf.get(id);
      const outer = parent === undefined ? '' : claimed(parent);
      category = outer || (nodeNetworking.test(url) ? 'HTTP and plugins' : '');
    }
    categoryOf.set(id, category);
    return category;
  };
  const classify = (id: number): string => claimed(id) || 'other';
  const totals = new Map<string, number>();
  for (let i = 0; i < profile.samples.length; i++) {
    const id = profile.samples[i]!;
    const category = classify(id);
    if (category === 'idle') continue;
    const frame = byId.get(id)!.callFrame;
    const key = options.bySelfFrame ? `${category}\u0000${frame.functionName || '(anonymous)'} (${frame.url.replace(/^.*node_modules\//, '').replace(/^.*\/wt-[^/]+\//, '')}:${frame.lineNumber + 1})` : category;
    totals.set(key, (totals.get(key) ?? 0) + (profile.timeDeltas[i] ?? 0));
  }
  return [...totals]
    .map(([key, us]) => {
      const [category, frame] = key.split('\u0000') as [string, string | undefined];
      return frame === undefined ? { category, us } : { category, us, frame };
    })
    .sort((a, b) => b.us - a.us);
}
