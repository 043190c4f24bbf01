/**
 * MAPPA (Criminal Justice Act 2003 ss325–327): a case is referred at a category (1–3) and level (1–3), accepted or
 * declined, reviewed at meetings on a cadence set by its level, and exited. "MAPPA cases supported" (DOMAIN.md §5)
 * counts cases with an accepted, not yet exited, MAPPA link.
 */
import { setup } from 'xstate';
import type { MappaStep } from '@hru/events';
import { defineMeasureKind } from './measure-kind.js';

type MappaEvent = { type: MappaStep['step'] };

export const mappaMachine = setup({ types: { events: {} as MappaEvent } }).createMachine({
  id: 'mappa',
  initial: 'none',
  states: {
    none: { on: { referred: 'referred' } },
    referred: { on: { accepted: 'active', declined: 'declined' } },
    active: { on: { reviewed: 'active', exited: 'exited' } },
    declined: { type: 'final' },
    exited: { type: 'final' },
  },
});

const reviewClock = (level: number | undefined) => `mappa_review_level_${level ?? 1}`;

export const mappa = defineMeasureKind({
  kind: 'mappa',
  title: 'MAPPA',
  machine: mappaMachine,
  clockSteps: [],
  facts: (before, step) => {
    if (step.step === 'referred') return { ...before, category: step.category, level: step.level };
    if (step.step === 'reviewed' && step.level !== undefined) return { ...before, level: step.level };
    return before;
  },
  effects: ({ step, at, measure }) => {
    switch (step.step) {
      case 'accepted':
        return [{ type: 'set', kind: 'mappa_review', clock: reviewClock(measure?.facts.level), trigger: at }];
      case 'reviewed':
        // Each meeting meets the review that was due and sets the next, at the cadence of the level it decided.
        return [
          { type: 'close', kind: 'mappa_review', outcome: 'met' },
          { type: 'set', kind: 'mappa_review', clock: reviewClock(step.level ?? measure?.facts.level), trigger: at },
        ];
      case 'exited':
        return [{ type: 'close-all' }];
      default:
        return [];
    }
  },
});
