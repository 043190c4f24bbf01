/**
 * Stalking Protection Order (Stalking Protection Act 2019; DOMAIN.md §4): considered → advised → applied (interim
 * or full) → granted | refused | withdrawn → served → notification due → notified | notification missed → active →
 * varied | renewed | discharged | expired. An interim order in force may be followed by the full order (granted
 * again, served again). Breaches are recorded against a served order and page the supervisors.
 */
import { setup } from 'xstate';
import type { SpoStep } from '@hru/events';
import { addDays } from '../calendar/local-day.js';
import { defineMeasureKind, type Effect } from './measure-kind.js';

type SpoEvent = { type: SpoStep['step'] };

/** Steps an order in force takes in any of its states; a breach, variation or renewal leaves it where it is. */
const inForce = <S extends string>(self: S) =>
  ({ breached: self, varied: self, renewed: self, discharged: 'discharged', expired: 'expired' }) as const;

export const spoMachine = setup({ types: { events: {} as SpoEvent } }).createMachine({
  id: 'spo',
  initial: 'none',
  states: {
    none: { on: { considered: 'considered', advised: 'advised', applied: 'applied', granted: 'granted' } },
    considered: { on: { advised: 'advised', applied: 'applied', withdrawn: 'withdrawn' } },
    advised: { on: { applied: 'applied', withdrawn: 'withdrawn' } },
    applied: { on: { granted: 'granted', refused: 'refused', withdrawn: 'withdrawn' } },
    // Granted but not yet served: not yet enforceable, so no breach; the court may still discharge it.
    granted: { on: { served: 'notification_due', discharged: 'discharged', expired: 'expired', varied: 'granted' } },
    notification_due: { on: { ...inForce('notification_due'), notified: 'active', notification_missed: 'notification_missed' } },
    notification_missed: { on: { ...inForce('notification_missed'), notified: 'active' } },
    active: { on: { ...inForce('active'), granted: 'granted' } },
    refused: { type: 'final' },
    withdrawn: { type: 'final' },
    discharged: { type: 'final' },
    expired: { type: 'final' },
  },
});

/** A full order lasts at least 2 years, or until further order (Stalking Protection Act 2019 s2; check the subsection). */
const FULL_ORDER_MIN_YEARS = 2;

function orderEnd(endsOn: string | null | undefined, trigger: string): Effect[] {
  // An order "until further order" has no end clock; a changed end moves the one it had.
  return endsOn ? [{ type: 'set', kind: 'order_end', clock: 'order_end', trigger, dueOn: endsOn, moves: true }] : [{ type: 'close', kind: 'order_end', outcome: 'cancelled' }];
}

export const spo = defineMeasureKind({
  kind: 'spo',
  title: 'Stalking Protection Order',
  machine: spoMachine,
  clockSteps: ['notification_missed', 'expired'],
  check: ({ step, at, measure, meta }) => {
    if (step.step === 'granted') {
      if (step.order === 'interim' && measure?.status === 'active' && measure.facts.order === 'full') return 'A full order is in force: an interim order cannot follow it';
      if (step.order === 'full' && step.endsOn !== null) {
        const day = meta.options.clocks.localDay(at);
        const least = `${Number(day.slice(0, 4)) + FULL_ORDER_MIN_YEARS}${day.slice(4)}`;
        if (step.endsOn < addDays(least, -1)) return `A full SPO lasts at least ${FULL_ORDER_MIN_YEARS} years (to ${addDays(least, -1)} or later) or until further order`;
      }
    }
    if ((step.step === 'varied' || step.step === 'renewed') && step.endsOn && step.endsOn < meta.options.clocks.localDay(at)) return 'The new end date is before the variation';
    return undefined;
  },
  facts: (before, step) => {
    switch (step.step) {
      case 'applied':
        return { ...before, order: step.order };
      case 'granted':
        return { ...before, order: step.order, endsOn: step.endsOn };
      case 'varied':
        return step.endsOn === undefined ? before : { ...before, endsOn: step.endsOn };
      case 'renewed':
        return { ...before, endsOn: step.endsOn };
      default:
        return before;
    }
  },
  effects: ({ step, at }) => {
    switch (step.step) {
      case 'granted':
        // A new order (the full one after an interim) replaces the end of the last.
        return [...orderEnd(step.endsOn, at), { type: 'victim-contact' }];
      case 'refused':
        return [{ type: 'victim-contact' }];
      case 'served':
        // The subject must notify within 3 days beginning with the day of service (s9(1)).
        return [{ type: 'set', kind: 'spo_notification', clock: 'spo_notification', trigger: at, moves: true }];
      case 'notified':
        return [{ type: 'close', kind: 'spo_notification', outcome: 'met' }];
      case 'varied':
        return step.endsOn === undefined ? [{ type: 'victim-contact' }] : [...orderEnd(step.endsOn, at), { type: 'victim-contact' }];
      case 'renewed':
        return [...orderEnd(step.endsOn, at), { type: 'victim-contact' }];
      case 'discharged':
        return [{ type: 'close-all' }, { type: 'victim-contact' }];
      case 'expired':
        return [{ type: 'close', kind: 'order_end', outcome: 'expired' }, { type: 'close-all' }];
      case 'breached':
        return [{ type: 'alert', rule: 'spo_breach', reason: `Stalking Protection Order breached on ${step.breachOn} (crime ${step.crimeReference})`, addressedTo: 'supervisor' }];
      default:
        return [];
    }
  },
});
