/**
 * The lifecycles of issue 17, written out by hand as transition tables (from, step, to), apart from the machines:
 * the specs check the machines against these, so a machine that drifts from the issue fails. A `@pass:<kind>` step
 * is the clock of that kind passing (the timer's pass-deadline), `@warn:<kind>` its warning.
 */
import type { MeasureKind } from '@hru/events';

export interface Lifecycle {
  kind: MeasureKind;
  command: 'record-spo' | 'record-dvpo' | 'record-bail' | 'record-mappa' | 'record-disclosure-scheme';
  /** Steps staff send, with a valid payload each. */
  steps: Record<string, Record<string, unknown>>;
  /** Steps only a clock takes, and the clock (deadline kind) that takes each. */
  clockSteps: Record<string, string>;
  transitions: readonly (readonly [from: string, step: string, to: string])[];
  /** How to reach each state from nothing (staff steps and `@pass:<kind>`). */
  paths: Record<string, readonly string[]>;
}

const breach = { breachOn: '2026-11-19', crimeReference: 'CC/26/000999' };

export const spoLifecycle: Lifecycle = {
  kind: 'spo',
  command: 'record-spo',
  steps: {
    considered: {},
    advised: {},
    applied: { order: 'full' },
    // An interim order with an end date, so its end clock can pass in a spec.
    granted: { order: 'interim', endsOn: '2026-12-20' },
    refused: {},
    withdrawn: {},
    served: {},
    notified: {},
    varied: { endsOn: '2027-01-20' },
    renewed: { endsOn: '2027-02-20' },
    discharged: {},
    breached: breach,
  },
  clockSteps: { notification_missed: 'spo_notification', expired: 'order_end' },
  transitions: [
    ['none', 'considered', 'considered'],
    ['none', 'advised', 'advised'],
    ['none', 'applied', 'applied'],
    ['none', 'granted', 'granted'],
    ['considered', 'advised', 'advised'],
    ['considered', 'applied', 'applied'],
    ['considered', 'withdrawn', 'withdrawn'],
    ['advised', 'applied', 'applied'],
    ['advised', 'withdrawn', 'withdrawn'],
    ['applied', 'granted', 'granted'],
    ['applied', 'refused', 'refused'],
    ['applied', 'withdrawn', 'withdrawn'],
    ['granted', 'served', 'notification_due'],
    ['granted', 'varied', 'granted'],
    ['granted', 'discharged', 'discharged'],
    ['granted', 'expired', 'expired'],
    ['notification_due', 'notified', 'active'],
    ['notification_due', 'notification_missed', 'notification_missed'],
    ['notification_due', 'breached', 'notification_due'],
    ['notification_due', 'varied', 'notification_due'],
    ['notification_due', 'renewed', 'notification_due'],
    ['notification_due', 'discharged', 'discharged'],
    ['notification_due', 'expired', 'expired'],
    ['notification_missed', 'notified', 'active'],
    ['notification_missed', 'breached', 'notification_missed'],
    ['notification_missed', 'varied', 'notification_missed'],
    ['notification_missed', 'renewed', 'notification_missed'],
    ['notification_missed', 'discharged', 'discharged'],
    ['notification_missed', 'expired', 'expired'],
    ['active', 'varied', 'active'],
    ['active', 'renewed', 'active'],
    ['active', 'breached', 'active'],
    ['active', 'discharged', 'discharged'],
    ['active', 'expired', 'expired'],
    ['active', 'granted', 'granted'],
  ],
  paths: {
    none: [],
    considered: ['considered'],
    advised: ['advised'],
    applied: ['applied'],
    granted: ['applied', 'granted'],
    notification_due: ['applied', 'granted', 'served'],
    notification_missed: ['applied', 'granted', 'served', '@pass:spo_notification'],
    active: ['applied', 'granted', 'served', 'notified'],
    refused: ['applied', 'refused'],
    withdrawn: ['considered', 'withdrawn'],
    discharged: ['applied', 'granted', 'discharged'],
    expired: ['applied', 'granted', 'served', 'notified', '@pass:order_end'],
  },
};

export const dvpoLifecycle: Lifecycle = {
  kind: 'dvpo',
  command: 'record-dvpo',
  steps: {
    notice_issued: { authorisedBy: 'superintendent' },
    order_granted: { days: 14 },
    order_refused: {},
    breached: breach,
  },
  clockSteps: { hearing_missed: 'dvpo_hearing', expired: 'order_end' },
  transitions: [
    ['none', 'notice_issued', 'hearing_due'],
    ['hearing_due', 'order_granted', 'order_active'],
    ['hearing_due', 'order_refused', 'refused'],
    ['hearing_due', 'breached', 'hearing_due'],
    ['hearing_due', 'hearing_missed', 'hearing_missed'],
    ['hearing_missed', 'order_granted', 'order_active'],
    ['hearing_missed', 'order_refused', 'refused'],
    ['order_active', 'breached', 'order_active'],
    ['order_active', 'expired', 'expired'],
  ],
  paths: {
    none: [],
    hearing_due: ['notice_issued'],
    hearing_missed: ['notice_issued', '@pass:dvpo_hearing'],
    order_active: ['notice_issued', 'order_granted'],
    refused: ['notice_issued', 'order_refused'],
    expired: ['notice_issued', 'order_granted', '@pass:order_end'],
  },
};

export const bailLifecycle: Lifecycle = {
  kind: 'bail',
  command: 'record-bail',
  steps: {
    granted: { withConditions: true },
    extended: { authority: 'court', until: '2027-09-30' },
    answered: {},
    released_under_investigation: {},
    charged: {},
  },
  clockSteps: { lapsed: 'bail_expiry' },
  transitions: [
    ['none', 'granted', 'on_bail'],
    ['on_bail', 'extended', 'on_bail'],
    ['on_bail', 'answered', 'answered'],
    ['on_bail', 'released_under_investigation', 'released_under_investigation'],
    ['on_bail', 'charged', 'charged'],
    ['on_bail', 'lapsed', 'lapsed'],
    ['lapsed', 'answered', 'answered'],
    ['lapsed', 'released_under_investigation', 'released_under_investigation'],
    ['lapsed', 'charged', 'charged'],
  ],
  paths: {
    none: [],
    on_bail: ['granted'],
    lapsed: ['granted', '@pass:bail_expiry'],
    answered: ['granted', 'answered'],
    released_under_investigation: ['granted', 'released_under_investigation'],
    charged: ['granted', 'charged'],
  },
};

export const mappaLifecycle: Lifecycle = {
  kind: 'mappa',
  command: 'record-mappa',
  steps: { referred: { category: 1, level: 2 }, accepted: {}, declined: {}, reviewed: { level: 3 }, exited: {} },
  clockSteps: {},
  transitions: [
    ['none', 'referred', 'referred'],
    ['referred', 'accepted', 'active'],
    ['referred', 'declined', 'declined'],
    ['active', 'reviewed', 'active'],
    ['active', 'exited', 'exited'],
  ],
  paths: { none: [], referred: ['referred'], active: ['referred', 'accepted'], declined: ['referred', 'declined'], exited: ['referred', 'accepted', 'exited'] },
};

export const disclosureSchemeLifecycle: Lifecycle = {
  kind: 'disclosure_scheme',
  command: 'record-disclosure-scheme',
  steps: { applied: { route: 'right_to_ask' }, checks_completed: {}, disclosed: {}, not_disclosed: {} },
  clockSteps: {},
  transitions: [
    ['none', 'applied', 'checks'],
    ['checks', 'checks_completed', 'decision_due'],
    ['checks', 'disclosed', 'disclosed'],
    ['checks', 'not_disclosed', 'not_disclosed'],
    ['decision_due', 'disclosed', 'disclosed'],
    ['decision_due', 'not_disclosed', 'not_disclosed'],
  ],
  paths: {
    none: [],
    checks: ['applied'],
    decision_due: ['applied', 'checks_completed'],
    disclosed: ['applied', 'disclosed'],
    not_disclosed: ['applied', 'not_disclosed'],
  },
};

export const lifecycles = [spoLifecycle, dvpoLifecycle, bailLifecycle, mappaLifecycle, disclosureSchemeLifecycle];
