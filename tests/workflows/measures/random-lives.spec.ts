/**
 * Random lives of each measure kind (fast-check): staff steps, clocks passing, warnings and corrections in any
 * order. The decider must agree with the hand-written lifecycle at every step (accept exactly what the table
 * allows, land where it says), and the clocks must stay coherent: a clock is missed at most once per version, no
 * clock of an ended measure is left running (but the victim's contacts, which are still owed), and every unmet
 * clock's version is the one its last DeadlineSet wrote.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { HruError } from '@hru/events';
import { lifecycles, type Lifecycle } from './lifecycles.js';
import { LATER, Life } from './support.js';

type Action = { type: 'step'; step: string } | { type: 'pass'; clock: string } | { type: 'warn' } | { type: 'correct'; minutesEarlier: number };

function actions(lifecycle: Lifecycle) {
  const steps = [...Object.keys(lifecycle.steps), ...Object.keys(lifecycle.clockSteps)];
  const clocks = ['victim_contact', 'mappa_review', 'disclosure_decision', 'bail_expiry', 'order_end', 'spo_notification', 'dvpo_hearing'];
  return fc.array(
    fc.oneof(
      { weight: 6, arbitrary: fc.constantFrom(...steps).map((step): Action => ({ type: 'step', step })) },
      { weight: 2, arbitrary: fc.constantFrom(...clocks).map((clock): Action => ({ type: 'pass', clock })) },
      { weight: 1, arbitrary: fc.constant<Action>({ type: 'warn' }) },
      { weight: 1, arbitrary: fc.integer({ min: 1, max: 20_000 }).map((m): Action => ({ type: 'correct', minutesEarlier: m })) },
    ),
    { minLength: 1, maxLength: 25 },
  );
}

const finals: Record<string, readonly string[]> = {
  spo: ['refused', 'withdrawn', 'discharged', 'expired'],
  dvpo: ['refused', 'expired'],
  bail: ['answered', 'released_under_investigation', 'charged'],
  mappa: ['declined', 'exited'],
  disclosure_scheme: ['disclosed', 'not_disclosed'],
};

function accepted(run: () => unknown): boolean {
  try {
    run();
    return true;
  } catch (error) {
    if (error instanceof HruError) return false;
    throw error;
  }
}

describe.each(lifecycles.map((l) => [l.kind, l] as const))('random lives of %s', (kind, lifecycle) => {
  it('agree with the lifecycle table and keep the clocks coherent', () => {
    let runs = 0;
    fc.assert(
      fc.property(actions(lifecycle), (plan) => {
        runs++;
        const life = new Life();
        let model = 'none';
        for (const action of plan) {
          const before = life.measure(kind);
          const logged = life.events.length;
          if (action.type === 'step') {
            const to = lifecycle.transitions.find(([f, s]) => f === model && s === action.step)?.[2];
            const staff = action.step in lifecycle.steps;
            const ok = accepted(() => life.run(life.stepCommand(lifecycle, action.step)));
            expect(ok, `${action.step} from ${model}`).toBe(staff && to !== undefined);
          } else if (action.type === 'pass') {
            const open = life.state.deadlines.findLast((d) => d.kind === action.clock && d.status === 'open');
            if (open) life.pass(action.clock);
          } else if (action.type === 'warn') {
            const open = life.state.deadlines.find((d) => d.status === 'open' && d.warnedAt === null);
            if (open) life.run({ name: 'warn-deadline', payload: { deadlineId: open.deadlineId, version: open.version } });
          } else if (before && before.steps.length > 0) {
            const step = before.steps[0]!;
            const at = new Date(Date.parse(step.at) - action.minutesEarlier * 60_000).toISOString();
            life.run({ name: 'correct-measure-step', payload: { measureId: before.measureId, step: step.step, at, reason: 'entered wrongly' } });
          }
          // Every step the decision recorded for this measure (staff's, or a clock's: a correction back past a due
          // time misses it at once) must be one the lifecycle table allows from where the model is.
          for (const event of life.events.slice(logged)) {
            const data = event.data as { measureId?: string; step?: { step: string } };
            if (!event.type.endsWith('StepRecorded') || data.step === undefined) continue;
            if (before && data.measureId !== before.measureId) {
              model = 'none'; // a new measure of the kind (the last one had ended)
            }
            const to = lifecycle.transitions.find(([f, s]) => f === model && s === data.step!.step)?.[2];
            expect(to, `${data.step.step} from ${model}`).toBeDefined();
            model = to!;
          }
          const measure = life.measure(kind);
          expect(measure?.status ?? 'none').toBe(model);
          coherent(life, kind);
        }
      }),
      { numRuns: 150, seed: 17 },
    );
    expect(runs).toBe(150);
  });
});

function coherent(life: Life, kind: string): void {
  const missed = new Map<string, number>();
  const lastSet = new Map<string, number>();
  for (const event of life.events) {
    if (event.type === 'DeadlineMissed') {
      const key = `${event.data.deadlineId}@${event.data.version}`;
      missed.set(key, (missed.get(key) ?? 0) + 1);
    }
    if (event.type === 'DeadlineSet') lastSet.set(event.data.deadlineId, event.data.version);
  }
  for (const [key, count] of missed) expect(count, `${key} missed`).toBe(1);
  for (const d of life.state.deadlines) expect(d.version).toBe(lastSet.get(d.deadlineId));
  const measure = life.measure(kind);
  if (measure && finals[kind]!.includes(measure.status)) {
    const running = life.state.deadlines.filter((d) => d.measureId === measure.measureId && d.kind !== 'victim_contact' && (d.status === 'open' || d.status === 'missed'));
    expect(running, `clocks of ${measure.status} ${kind}`).toEqual([]);
  }
}
