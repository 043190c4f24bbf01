/**
 * A rebuild of the statistics into an empty shadow writes the fact and step rows many to a statement
 * (rebuild/row-batch.ts), holding up to a statement's worth between events. It must leave exactly the rows `apply`
 * writes one by one: over more rows than one statement takes, with a step corrected while it is still held (the
 * correction updates the stored row, so the held ones are written first), a step recorded twice at one position (the
 * upsert's DO NOTHING, within one statement too), and the load ending with rows held (`finish` writes them before it
 * counts).
 */
import type { NewEvent } from '@hru/application';
import { describe, expect, it } from 'vitest';
import { statsProjection } from '@hru/projections';
import { measure } from './support/deadline-history.js';
import { given, received, referralId } from './support/history.js';
import { projected } from './support/projected-events.js';
import { emptyShadow, loadAsRebuild, rowsOf } from './support/shadow-paths.js';

const at = (day: number, hour = 10) => `${new Date(Date.UTC(2026, 0, 1) + day * 86_400_000).toISOString().slice(0, 10)}T${String(hour).padStart(2, '0')}:00:00Z`;
const on = (day: number) => at(day).slice(0, 10);

function history(): NewEvent[] {
  const out: NewEvent[] = [];
  for (let n = 0; n < 30; n++) {
    const id = referralId(0x400 + n);
    out.push(
      received(id, at(n), 'stalking'),
      given.intervention(id, 1, on(n + 1), { kind: 'victim_advocate_contact', outcome: 'engaged' }),
      given.intervention(id, 2, on(n + 2), { kind: 'tactical_review' }),
      given.intervention(id, 3, on(n + 3), { kind: 'spo_advised' }),
      measure.bail(id, `m${n}`, at(n + 4), { step: 'granted', withConditions: true }),
    );
    // A step corrected a few events after it was recorded: still held when the correction comes.
    if (n % 7 === 3) out.push(measure.corrected(id, `m${n}`, 'granted', at(n + 5, 9), at(n + 4), at(n + 6)));
    out.push(given.directed(id, at(n + 7), 'health_pathway'));
  }
  return out;
}

describe('the statistics rebuilt into an empty shadow, rows many to a statement', () => {
  const events = projected(history());
  // A step recorded twice at one position: the second is ignored, by `apply` and within a batch alike.
  const twice = events.find((e) => e.type === 'BailStepRecorded')!;
  const withRepeat = [...events.slice(0, 5), twice, ...events.slice(5)];
  const live = emptyShadow(statsProjection);
  for (const e of withRepeat) statsProjection.apply(live, e as never);
  const kept = rowsOf(live, statsProjection);

  it('the history writes more rows than one statement takes, and moves corrected steps', () => {
    expect((kept.stats_facts as unknown[]).length).toBeGreaterThan(64);
    expect((kept.stats_measure_steps as unknown[]).length).toBeGreaterThan(32);
    const corrected = (kept.stats_measure_steps as { measure_id: string | null; at: string | null }[]).filter((s) => s.measure_id === 'm3');
    expect(corrected.map((s) => s.at)).toEqual([at(8, 9)]);
  });

  it('leaves exactly the rows and counts apply keeps, with rows still held when the load ends', () => {
    const shadow = emptyShadow(statsProjection);
    const applier = statsProjection.shadowApplier!(shadow);
    loadAsRebuild(applier, withRepeat);
    expect(rowsOf(shadow, statsProjection)).toEqual(kept);
  });
});
