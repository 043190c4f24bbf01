import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LruCache } from './lru-cache.js';

describe('LruCache', () => {
  it('forgets the least recently used entry when full', () => {
    const cache = new LruCache<string, number>(2);
    cache.set('a', 1);
    cache.set('b', 2);
    expect(cache.get('a')).toBe(1); // a is now the most recent
    cache.set('c', 3);
    expect(cache.get('b')).toBeUndefined();
    expect(cache.get('a')).toBe(1);
    expect(cache.get('c')).toBe(3);
    expect(cache.size).toBe(2);
  });

  it('keeps nothing at capacity 0', () => {
    const cache = new LruCache<string, number>(0);
    cache.set('a', 1);
    expect(cache.get('a')).toBeUndefined();
  });
});

describe('LruCache against a plain model', () => {
  /** The obvious LRU: an array, most recent last. */
  class ModelLru {
    readonly order: [string, number][] = [];
    constructor(private readonly capacity: number) {}
    get(key: string) {
      const i = this.order.findIndex(([k]) => k === key);
      if (i < 0) return undefined;
      const [entry] = this.order.splice(i, 1);
      this.order.push(entry!);
      return entry![1];
    }
    set(key: string, value: number) {
      if (this.capacity === 0) return;
      const i = this.order.findIndex(([k]) => k === key);
      if (i >= 0) this.order.splice(i, 1);
      this.order.push([key, value]);
      while (this.order.length > this.capacity) this.order.shift();
    }
    delete(key: string) {
      const i = this.order.findIndex(([k]) => k === key);
      if (i >= 0) this.order.splice(i, 1);
    }
  }

  it('keeps and forgets exactly what the model does over long mixed runs (evictions, re-reads, deletes)', () => {
    const operation = fc.record({ op: fc.constantFrom('get', 'set', 'set', 'delete'), key: fc.integer({ min: 0, max: 15 }), value: fc.integer() });
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10 }), fc.array(operation, { minLength: 50, maxLength: 600, size: 'max' }), (capacity, operations) => {
        const cache = new LruCache<string, number>(capacity);
        const model = new ModelLru(capacity);
        for (const { op, key, value } of operations) {
          const k = `k${key}`;
          if (op === 'get') expect(cache.get(k)).toBe(model.get(k));
          else if (op === 'set') {
            cache.set(k, value);
            model.set(k, value);
          } else {
            cache.delete(k);
            model.delete(k);
          }
          expect(cache.size).toBe(model.order.length);
        }
        for (let key = 0; key <= 15; key++) expect(cache.get(`k${key}`)).toBe(model.get(`k${key}`));
      }),
      { numRuns: 300 },
    );
  });
});
