/**
 * Every transition of every measure kind, against the lifecycles written out by hand (lifecycles.ts): each
 * listed step is accepted and lands where the issue says; every other step, in every state, is refused; the
 * steps only clocks take are refused to staff everywhere.
 */
import { describe, expect, it } from 'vitest';
import { HruError } from '@hru/events';
import { lifecycles, type Lifecycle } from './lifecycles.js';
import { Life } from './support.js';

function transitionOf(lifecycle: Lifecycle, from: string, step: string): string | undefined {
  return lifecycle.transitions.find(([f, s]) => f === from && s === step)?.[2];
}

function refusal(run: () => unknown): HruError | undefined {
  try {
    run();
  } catch (error) {
    if (error instanceof HruError) return error;
    throw error;
  }
  return undefined;
}

describe.each(lifecycles.map((l) => [l.kind, l] as const))('%s', (_kind, lifecycle) => {
  const states = Object.keys(lifecycle.paths);

  it('the table reaches every state it names, by its path', () => {
    for (const state of states) {
      const life = new Life().walk(lifecycle, lifecycle.paths[state]!);
      expect(life.measure(lifecycle.kind)?.status ?? 'none', `path to ${state}`).toBe(state);
    }
  });

  describe.each(states)('from %s', (from) => {
    for (const step of Object.keys(lifecycle.steps)) {
      const to = transitionOf(lifecycle, from, step);
      it(to ? `${step} → ${to}` : `${step} is refused`, () => {
        const life = new Life().walk(lifecycle, lifecycle.paths[from]!);
        const send = () => life.run(life.stepCommand(lifecycle, step));
        if (!to) {
          const error = refusal(send);
          expect(error?.name, `${step} from ${from} was accepted`).toBe('CommandNotAllowedError');
          return;
        }
        const events = send();
        expect(events[0]).toMatchObject({ data: { step: { step } } });
        expect(life.measure(lifecycle.kind)!.status).toBe(to);
      });
    }

    for (const [step, clock] of Object.entries(lifecycle.clockSteps)) {
      const to = transitionOf(lifecycle, from, step);
      it(`${step} is refused to staff${to ? `; its clock (${clock}) takes it to ${to}` : ''}`, () => {
        const life = new Life().walk(lifecycle, lifecycle.paths[from]!);
        expect(refusal(() => life.run(life.stepCommand(lifecycle, step)))?.name).toBe('CommandNotAllowedError');
        const unmet = life.unmet(clock);
        if (to) {
          expect(unmet?.status, `an open ${clock} clock in ${from}`).toBe('open');
          life.pass(clock);
          expect(life.measure(lifecycle.kind)!.status).toBe(to);
        } else if (unmet?.status === 'open') {
          life.pass(clock);
          expect(life.measure(lifecycle.kind)!.status).toBe(from);
        }
      });
    }
  });
});
