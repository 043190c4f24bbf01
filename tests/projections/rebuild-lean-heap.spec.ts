/**
 * While a rebuild runs, V8's heap growing factor is held down (rebuild/lean-heap.ts), and given back after the last
 * rebuild of the process, whatever happens to it; a process started with its own factor keeps it.
 */
import { describe, expect, it } from 'vitest';
import { REBUILD_HEAP_GROWING_PERCENT, withLeanHeap } from '@hru/projections';

const lean = `--heap-growing-percent=${REBUILD_HEAP_GROWING_PERCENT}`;
const v8Own = '--heap-growing-percent=0';

function recorder() {
  const calls: string[] = [];
  return { calls, options: { setFlags: (flags: string) => void calls.push(flags), startedWith: ['--max-semi-space-size=32'] } };
}

describe('a rebuild’s lean heap', () => {
  it('holds the factor down while the work runs and gives it back after', async () => {
    const { calls, options } = recorder();
    const result = await withLeanHeap(async () => {
      expect(calls).toEqual([lean]);
      return 42;
    }, options);
    expect(result).toBe(42);
    expect(calls).toEqual([lean, v8Own]);
  });

  it('gives it back after the last of overlapping rebuilds, not the first', async () => {
    const { calls, options } = recorder();
    let release!: () => void;
    const long = withLeanHeap(() => new Promise<void>((resolve) => (release = resolve)), options);
    await withLeanHeap(async () => undefined, options);
    expect(calls).toEqual([lean]);
    release();
    await long;
    expect(calls).toEqual([lean, v8Own]);
  });

  it('gives it back when the rebuild fails', async () => {
    const { calls, options } = recorder();
    await expect(withLeanHeap(() => Promise.reject(new Error('bad event')), options)).rejects.toThrow('bad event');
    expect(calls).toEqual([lean, v8Own]);
    // And the next one sets it again.
    await withLeanHeap(async () => undefined, options);
    expect(calls).toEqual([lean, v8Own, lean, v8Own]);
  });

  it.each([['--heap-growing-percent=20'], ['--heap_growing_percent=35'], ['--inspect --heap-growing-percent=10']])(
    'leaves a factor the process was started with (%s) alone',
    async (flag) => {
      const calls: string[] = [];
      await withLeanHeap(async () => undefined, { setFlags: (f) => void calls.push(f), startedWith: ['--max-semi-space-size=32', flag] });
      expect(calls).toEqual([]);
    },
  );
});
