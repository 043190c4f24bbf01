/**
 * Domestic Violence Protection Notice and Order (Crime and Security Act 2010 ss24–33): a superintendent or above
 * issues the notice (s24); the hearing of the application for an order must begin within 48 hours of its service,
 * Sundays and bank holidays disregarded (s27); an order lasts 14 to 28 days beginning with the day it is made (s28).
 */
import { setup } from 'xstate';
import { rankAtLeast, type DvpoStep } from '@hru/events';
import { addDays } from '../calendar/local-day.js';
import { defineMeasureKind } from './measure-kind.js';

type DvpoEvent = { type: DvpoStep['step'] };

export const dvpoMachine = setup({ types: { events: {} as DvpoEvent } }).createMachine({
  id: 'dvpo',
  initial: 'none',
  states: {
    none: { on: { notice_issued: 'hearing_due' } },
    hearing_due: { on: { order_granted: 'order_active', order_refused: 'refused', hearing_missed: 'hearing_missed', breached: 'hearing_due' } },
    // The notice's protection has lapsed; a court may still hear the application late.
    hearing_missed: { on: { order_granted: 'order_active', order_refused: 'refused' } },
    order_active: { on: { breached: 'order_active', expired: 'expired' } },
    refused: { type: 'final' },
    expired: { type: 'final' },
  },
});

export const dvpo = defineMeasureKind({
  kind: 'dvpo',
  title: 'Domestic Violence Protection Notice/Order',
  machine: dvpoMachine,
  clockSteps: ['hearing_missed', 'expired'],
  check: ({ step }) =>
    step.step === 'notice_issued' && !rankAtLeast(step.authorisedBy, 'superintendent')
      ? 'A DVPN is issued by a superintendent or above (Crime and Security Act 2010 s24(1))'
      : undefined,
  facts: (before, step) => {
    if (step.step === 'notice_issued') return { ...before, authorisedBy: step.authorisedBy };
    // The end date is the order_end clock's (it needs the local calendar, which folding does not use).
    if (step.step === 'order_granted') return { ...before, days: step.days };
    return before;
  },
  effects: ({ step, at, meta }) => {
    switch (step.step) {
      case 'notice_issued':
        return [{ type: 'set', kind: 'dvpo_hearing', clock: 'dvpo_hearing', trigger: at, moves: true }];
      case 'order_granted': {
        // 14 to 28 days beginning with the day the order is made: its last day is day (days - 1) after that one.
        const lastDay = addDays(meta.options.clocks.localDay(at), step.days - 1);
        return [
          { type: 'close', kind: 'dvpo_hearing', outcome: 'met' },
          { type: 'set', kind: 'order_end', clock: 'order_end', trigger: at, dueOn: lastDay, moves: true },
          { type: 'victim-contact' },
        ];
      }
      case 'order_refused':
        return [{ type: 'close', kind: 'dvpo_hearing', outcome: 'met' }, { type: 'victim-contact' }];
      case 'expired':
        return [{ type: 'close', kind: 'order_end', outcome: 'expired' }, { type: 'close-all' }];
      case 'breached':
        return [{ type: 'alert', rule: 'dvpo_breach', reason: `DVPN/DVPO breached on ${step.breachOn} (crime ${step.crimeReference})`, addressedTo: 'supervisor' }];
      default:
        return [];
    }
  },
});
