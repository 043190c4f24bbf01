/**
 * Pre-charge bail (PACE 1984 ss47ZA–47ZG, as amended by the Police, Crime, Sentencing and Courts Act 2022): the
 * applicable bail period is 3 months from the bail start date; an inspector or above may extend it to 6 months, a
 * superintendent or above to 9, and a magistrates' court beyond. It ends answered, released under investigation or
 * charged; if the period runs out with none of these, bail has lapsed (and with it any conditions protecting the victim).
 */
import { setup } from 'xstate';
import { rankAtLeast, type BailStep } from '@hru/events';
import { defineMeasureKind } from './measure-kind.js';

type BailEvent = { type: BailStep['step'] };

export const bailMachine = setup({ types: { events: {} as BailEvent } }).createMachine({
  id: 'bail',
  initial: 'none',
  states: {
    none: { on: { granted: 'on_bail' } },
    on_bail: {
      on: { extended: 'on_bail', answered: 'answered', released_under_investigation: 'released_under_investigation', charged: 'charged', lapsed: 'lapsed' },
    },
    lapsed: { on: { answered: 'answered', released_under_investigation: 'released_under_investigation', charged: 'charged' } },
    answered: { type: 'final' },
    released_under_investigation: { type: 'final' },
    charged: { type: 'final' },
  },
});

/** Who may set which period, and its clock (months from the bail start date). */
const extensions = {
  inspector: { least: 'inspector', clock: 'bail_6_months', after: ['initial'] },
  superintendent: { least: 'superintendent', clock: 'bail_9_months', after: ['initial', 'inspector'] },
} as const;

export const bail = defineMeasureKind({
  kind: 'bail',
  title: 'Pre-charge bail',
  machine: bailMachine,
  clockSteps: ['lapsed'],
  check: ({ step, measure }) => {
    if (step.step !== 'extended') return undefined;
    const current = measure?.facts.bailAuthority ?? 'initial';
    if (step.authority === 'court') return step.until ? undefined : 'A court’s extension names the date bail runs to (until)';
    const rule = extensions[step.authority];
    if (step.until) return `An ${step.authority}’s extension runs to the end of the period the rank may set: no until`;
    if (!step.authorisedBy || !rankAtLeast(step.authorisedBy, rule.least)) return `This extension needs a ${rule.least} or above (authorisedBy)`;
    if (!(rule.after as readonly string[]).includes(current)) return `Bail already runs to a period set by a ${current}: a further extension needs a ${current === 'inspector' ? 'superintendent' : 'court'}`;
    return undefined;
  },
  facts: (before, step, at) => {
    if (step.step === 'granted') return { ...before, bailStart: at, bailAuthority: 'initial', withConditions: step.withConditions };
    if (step.step === 'extended') return { ...before, bailAuthority: step.authority };
    return before;
  },
  effects: ({ step, at, measure }) => {
    const start = measure?.facts.bailStart ?? at;
    switch (step.step) {
      case 'granted':
        return [{ type: 'set', kind: 'bail_expiry', clock: 'bail_3_months', trigger: at, moves: true }, { type: 'victim-contact' }];
      case 'extended':
        return [
          step.authority === 'court'
            ? { type: 'set', kind: 'bail_expiry', clock: 'bail_court', trigger: at, dueOn: step.until!, moves: true }
            : { type: 'set', kind: 'bail_expiry', clock: extensions[step.authority].clock, trigger: start, startedBy: 'granted', moves: true },
          { type: 'victim-contact' },
        ];
      case 'answered':
        return [{ type: 'close', kind: 'bail_expiry', outcome: 'met' }];
      case 'released_under_investigation':
      case 'charged':
        return [{ type: 'close', kind: 'bail_expiry', outcome: 'met' }, { type: 'victim-contact' }];
      default:
        return [];
    }
  },
});
