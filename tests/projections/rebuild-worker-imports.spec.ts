/**
 * A rebuild's worker thread loads its modules before it reads a single event, on the rebuild's longest thread. It
 * needs the embedded store, the fixed read models and the event registry; the workflows (loaded by the application's
 * command handler and by the research model) cost it about 500 ms from the sources and 300 ms from the build, for
 * nothing. This walks the modules the worker loads at run time (type-only imports are erased; with
 * verbatimModuleSyntax every other import stays) and checks that none of them is the workflows' or the whole
 * application package.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { moduleGraph, relative, root } from '../support/module-graph.js';

describe('a rebuild worker thread', () => {
  const graph = relative(moduleGraph(join(root, 'projections/src/rebuild/worker.ts')));

  it('loads the store, the fixed read models and the event registry', () => {
    // The walk itself follows imports across packages: these are what the worker needs.
    expect(graph).toContain('infra/src/eventstore/sqlite/sqlite-event-store.ts');
    expect(graph).toContain('projections/src/stats/projection.ts');
    expect(graph).toContain('projections/src/timers/projection.ts');
    expect(graph).toContain('events/src/index.ts');
    expect(graph).toContain('application/src/log.ts');
  });

  it('loads neither the workflows nor the whole application package', () => {
    expect(graph.filter((file) => file.startsWith('workflows/'))).toEqual([]);
    expect(graph).not.toContain('application/src/index.ts');
    expect(graph.filter((file) => file.startsWith('application/src/commands/'))).toEqual([]);
    // Nor the read models a worker never builds (their configuration stays on the main thread).
    expect(graph.filter((file) => /projections\/src\/(research|alerts|case-search)\//.test(file))).toEqual([]);
  });
});
