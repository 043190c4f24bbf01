/**
 * Domestic Violence Disclosure Scheme ("Clare's Law": Right to Ask, Right to Know): an application, the checks, and a
 * decision due within the scheme's period of the application. A disclosure itself (to whom, under which gateway) is
 * recorded through the disclosure log (`POST /v1/referrals/:id/disclosures`), like every other disclosure.
 */
import { setup } from 'xstate';
import type { DisclosureSchemeStep } from '@hru/events';
import { defineMeasureKind } from './measure-kind.js';

type DisclosureEvent = { type: DisclosureSchemeStep['step'] };

export const disclosureSchemeMachine = setup({ types: { events: {} as DisclosureEvent } }).createMachine({
  id: 'disclosure_scheme',
  initial: 'none',
  states: {
    none: { on: { applied: 'checks' } },
    checks: { on: { checks_completed: 'decision_due', disclosed: 'disclosed', not_disclosed: 'not_disclosed' } },
    decision_due: { on: { disclosed: 'disclosed', not_disclosed: 'not_disclosed' } },
    disclosed: { type: 'final' },
    not_disclosed: { type: 'final' },
  },
});

export const disclosureScheme = defineMeasureKind({
  kind: 'disclosure_scheme',
  title: 'Domestic Violence Disclosure Scheme',
  machine: disclosureSchemeMachine,
  clockSteps: [],
  facts: (before, step) => (step.step === 'applied' ? { ...before, route: step.route } : before),
  effects: ({ step, at }) => {
    switch (step.step) {
      case 'applied':
        return [{ type: 'set', kind: 'disclosure_decision', clock: 'disclosure_decision', trigger: at }];
      case 'disclosed':
      case 'not_disclosed':
        return [{ type: 'close', kind: 'disclosure_decision', outcome: 'met' }];
      default:
        return [];
    }
  },
});
