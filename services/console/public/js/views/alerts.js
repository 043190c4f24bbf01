// @ts-check
/**
 * The live alert list, drawn from the alert monitor (alert-monitor.js), which keeps the open alerts addressed to the
 * user on every page: escalated first, then overdue, then soonest due; each with the case's context, what raised it,
 * a live countdown to its next escalation ("due in 11 min", "OVERDUE 4 min") and the tier it is now addressed to.
 * Acknowledge with a note in two clicks; focus then moves to the next alert.
 */
import { h, humanise, replace, timeSince, refreshTimes } from '../dom.js';
import { session } from '../api.js';
import { ackCountdown, acknowledgeForm, alertHeadline, alertRoles, connectionState, openAlerts, startAlertMonitor, subscribe } from '../alert-monitor.js';
import { caseBlock } from '../case-context.js';
import { showError } from './common.js';

/** @typedef {import('../alert-monitor.js').Alert} Alert */

/** @param {HTMLElement} main @param {AbortSignal} signal */
export async function alertsView(main, signal) {
  /** @type {Map<string, HTMLElement>} */
  const rows = new Map();
  const list = h('ul', { class: 'alerts', id: 'alert-list', 'aria-label': 'Open alerts, escalated and overdue first' });
  const connection = h('span', { class: 'badge', id: 'stream-state' }, 'Connecting…');
  const count = h('span', { id: 'alert-count' });
  const empty = h('p', { class: 'muted', id: 'no-alerts', hidden: true }, 'No open alerts.');
  const errorBox = h('div');
  replace(
    main,
    h('h1', null, 'Urgent alerts'),
    h('div', { class: 'status-line' }, h('span', null, 'Live updates: ', connection), count, h('span', { class: 'muted small' }, 'Sound: the switch at the top of every page')),
    errorBox,
    empty,
    list,
  );

  const showState = (/** @type {string} */ state, /** @type {Error | undefined} */ error) => {
    connection.textContent = /** @type {Record<string, string>} */ ({ connecting: 'Connecting…', live: 'Live', reconnecting: 'Reconnecting…', stopped: 'Stopped' })[state] ?? state;
    connection.className = `badge ${state === 'live' ? 'age-ok' : state === 'stopped' ? 'age-over' : 'age-near'}`;
    if (error) {
      showError(errorBox, error);
      // Refused or unreachable: say so once, not "no open alerts" as well.
      empty.hidden = true;
    } else if (state === 'live') errorBox.replaceChildren();
  };

  let loaded = false;
  /** Where each alert was last drawn: the acknowledged one has left the list by the time focus moves on. */
  /** @type {Map<string, number>} */
  const lastIndex = new Map();
  const render = () => {
    const now = Date.now();
    const open = openAlerts(now);
    for (const [id, row] of rows) {
      if (!open.some((a) => a.alertId === id)) {
        row.remove();
        rows.delete(id);
      }
    }
    open.forEach((alert, index) => {
      let row = rows.get(alert.alertId);
      if (!row) {
        row = alertRow(alert, (done) => focusAfter(done));
        rows.set(alert.alertId, row);
      } else if (/** @type {any} */ (row).alert !== alert) updateRow(row, alert, now);
      else refreshCountdown(row, alert, now);
      if (list.children[index] !== row) list.insertBefore(row, list.children[index] ?? null);
      lastIndex.set(alert.alertId, index);
    });
    empty.hidden = !loaded || open.length > 0 || errorBox.childElementCount > 0;
    count.textContent = `${open.length} open`;
    refreshTimes(list);
  };

  /** After an acknowledgement, focus goes to the alert that took its place (or the list's end), not to the top. */
  /** @param {string} done */
  function focusAfter(done) {
    const at = lastIndex.get(done) ?? 0;
    render();
    const next = [...list.children][Math.min(at, list.children.length - 1)];
    const target = next?.querySelector('button.ack') ?? empty;
    if (target === empty) empty.setAttribute('tabindex', '-1');
    /** @type {HTMLElement} */ (target).focus();
  }

  const unsubscribe = subscribe((event) => {
    if (event.kind === 'state') showState(event.state, event.error);
    else render();
  });
  signal.addEventListener('abort', () => unsubscribe());
  if (!session.hasRole(...alertRoles)) {
    replace(main, h('h1', null, 'Urgent alerts'), h('p', null, 'Alerts are addressed to caseworkers and supervisors; none are addressed to your role.'));
    return;
  }
  await startAlertMonitor();
  if (signal.aborted) return;
  const now = connectionState();
  if (now.error && now.state === 'stopped') return showState(now.state, now.error);
  showState(now.state === 'stopped' ? 'connecting' : now.state, undefined);
  loaded = true;
  render();
  performance.mark('hru:alerts-rendered');
  document.body.dataset.alertsReady = 'true';
}

/** @param {Alert} alert @param {number} now */
function rowContent(alert, now) {
  const level = alert.escalationLevel;
  const due = ackCountdown(alert.ackDueAt, now);
  return [
    h('h2', null, alertHeadline(alert)),
    caseBlock({ referralId: alert.referralId, ...(alert.context ?? {}) }),
    h(
      'p',
      { class: 'meta' },
      h('span', { class: `badge ${due.overdue ? 'age-over' : 'age-near'}`, 'data-countdown': '' }, `Acknowledge ${due.words}`),
      h('span', { class: `badge ${level > 0 ? 'age-over' : 'age-done'}` }, level > 0 ? `Escalated: level ${level}` : 'Not escalated'),
      alert.tier ? h('span', { class: 'tier' }, `Now addressed to: ${humanise(alert.tier).toLowerCase()}`) : null,
      h('span', null, 'Raised ', timeSince(alert.raisedAt)),
    ),
  ];
}

/** The same alert, later: only its countdown moves (the store replaces an alert's object when anything else changes). */
/** @param {HTMLElement} row @param {Alert} alert @param {number} now */
function refreshCountdown(row, alert, now) {
  const badge = row.querySelector('[data-countdown]');
  if (!badge) return;
  const due = ackCountdown(alert.ackDueAt, now);
  badge.textContent = `Acknowledge ${due.words}`;
  badge.className = `badge ${due.overdue ? 'age-over' : 'age-near'}`;
}

/** @param {HTMLElement} row @param {Alert} alert @param {number} now */
function updateRow(row, alert, now) {
  row.className = `alert level-${Math.min(alert.escalationLevel, 3)}`;
  const summary = row.querySelector('.alert-summary');
  if (summary) replace(summary, rowContent(alert, now));
  // The row's acknowledgement acts on the alert as it now stands (its level may have moved).
  /** @type {any} */ (row).alert = alert;
}

/** @param {Alert} alert @param {(alertId: string) => void} onAcknowledged */
function alertRow(alert, onAcknowledged) {
  const summary = h('div', { class: 'alert-summary' }, rowContent(alert, Date.now()));
  const actions = h('div');
  const row = h('li', { class: `alert level-${Math.min(alert.escalationLevel, 3)}`, 'data-alert-id': alert.alertId }, summary, actions);
  /** @type {any} */ (row).alert = alert;
  const openButton = h('button', { type: 'button', class: 'primary ack', 'aria-expanded': 'false' }, 'Acknowledge');
  openButton.addEventListener('click', () => {
    // One form per alert: the button is gone while its form is open.
    if (actions.querySelector('form')) return;
    openButton.hidden = true;
    openButton.setAttribute('aria-expanded', 'true');
    actions.append(
      acknowledgeForm(
        /** @type {any} */ (row).alert,
        () => {
          openButton.hidden = false;
          openButton.setAttribute('aria-expanded', 'false');
          openButton.focus();
        },
        () => onAcknowledged(alert.alertId),
      ),
    );
  });
  actions.append(openButton);
  return row;
}
