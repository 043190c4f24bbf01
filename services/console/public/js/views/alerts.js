// @ts-check
/**
 * The supervisor's live alert list: the open alerts from the read model, then the live stream from that
 * list's log position, so nothing raised in between is missed. Newest first; sound and a browser
 * notification on a new or escalated alert (once the user allows them); acknowledge with a note in two clicks.
 */
import { api } from '../api.js';
import { announce, h, refreshTimes, replace, timeSince, formatTime, uid } from '../dom.js';
import { openEventStream } from '../sse.js';
import { showError } from './common.js';

/**
 * @typedef {{ alertId: string, referralId: string, raisedBy: string | null, rules?: string[], raisedAt: string, status: string, escalationLevel: number, ackDueAt?: string | null }} Alert
 */

const PREFS_KEY = 'hru.console.alertSignals';

/**
 * An alert's heading. The list and the stream carry no reason (staff write it as free text, so it is personal
 * data): the referral page shows it, behind a justification. The rules an intake alert matched are its category.
 * @param {{ raisedBy?: string | null, rules?: string[], referralId: string }} alert
 */
function headline(alert) {
  const rules = alert.rules?.length ? ` (${alert.rules.join(', ')})` : '';
  if (alert.raisedBy === 'deadline') return `A deadline was missed${rules}`;
  if (alert.raisedBy === 'breach') return `An order was breached${rules}`;
  const by = alert.raisedBy === 'intake_rule' ? `raised by intake rules${rules}` : alert.raisedBy === 'person' ? 'raised by staff' : '';
  return `Urgent action ${by}`.trim();
}

/** @param {HTMLElement} main @param {AbortSignal} signal */
export async function alertsView(main, signal) {
  /** @type {Map<string, Alert>} */
  const alerts = new Map();
  /** @type {Map<string, HTMLElement>} */
  const rows = new Map();
  const list = h('ul', { class: 'alerts', id: 'alert-list', 'aria-label': 'Open alerts, newest first' });
  const connection = h('span', { class: 'badge', id: 'stream-state' }, 'Connecting…');
  const count = h('span', { id: 'alert-count' });
  const empty = h('p', { class: 'muted', id: 'no-alerts' }, 'No open alerts.');
  const errorBox = h('div');
  const signals = signalControls();
  replace(
    main,
    h('h1', null, 'Urgent alerts'),
    h('div', { class: 'status-line' }, h('span', null, 'Live updates: ', connection), count, signals.control),
    errorBox,
    empty,
    list,
  );

  const render = () => {
    const open = [...alerts.values()].filter((a) => a.status === 'open' || a.status === 'escalated');
    open.sort((a, b) => b.raisedAt.localeCompare(a.raisedAt));
    for (const [id, row] of rows) {
      if (!open.some((a) => a.alertId === id)) {
        row.remove();
        rows.delete(id);
      }
    }
    open.forEach((alert, index) => {
      let row = rows.get(alert.alertId);
      if (!row) {
        row = alertRow(alert, acknowledge);
        rows.set(alert.alertId, row);
      } else {
        updateRow(row, alert);
      }
      if (list.children[index] !== row) list.insertBefore(row, list.children[index] ?? null);
    });
    empty.hidden = open.length > 0;
    count.textContent = `${open.length} open`;
  };

  /** @param {Alert} alert @param {string} note */
  async function acknowledge(alert, note) {
    await api(`/v1/alerts/${encodeURIComponent(alert.alertId)}/acknowledge`, { method: 'POST', body: { note } });
    alerts.set(alert.alertId, { ...alert, status: 'acknowledged' });
    render();
    announce(`Alert acknowledged: ${alert.alertId}`);
  }

  let position;
  try {
    const first = await api('/v1/alerts?status=open', { signal });
    for (const item of first.items) alerts.set(item.alertId, item);
    position = first.position;
  } catch (error) {
    if (signal.aborted) return;
    showError(errorBox, error);
    connection.textContent = 'Not connected';
    return;
  }
  render();
  performance.mark('hru:alerts-rendered');
  document.body.dataset.alertsReady = 'true';

  const stream = openEventStream({
    url: '/v1/alerts/stream',
    after: position,
    onState: (state, error) => {
      connection.textContent = { connecting: 'Connecting…', live: 'Live', reconnecting: 'Reconnecting…', stopped: 'Stopped' }[state];
      connection.className = `badge ${state === 'live' ? 'age-ok' : state === 'stopped' ? 'age-over' : 'age-near'}`;
      if (error) showError(errorBox, error);
      else if (state === 'live') errorBox.replaceChildren();
    },
    onMessage: (message) => {
      /** @type {{ alertId: string, referralId: string, kind: string, level: number, raisedBy: string | null, rules?: string[], raisedAt: string | null, at: string }} */
      const m = JSON.parse(message.data);
      const known = alerts.get(m.alertId);
      if (m.kind === 'raised') {
        if (known) return;
        alerts.set(m.alertId, { alertId: m.alertId, referralId: m.referralId, raisedBy: m.raisedBy, rules: m.rules ?? [], raisedAt: m.raisedAt ?? m.at, status: 'open', escalationLevel: 0 });
        signals.fire('New urgent alert', `${headline(m)}: referral ${m.referralId.slice(0, 12)}…`);
      } else if (m.kind === 'escalated') {
        const base = known ?? { alertId: m.alertId, referralId: m.referralId, raisedBy: m.raisedBy, rules: m.rules ?? [], raisedAt: m.raisedAt ?? m.at, status: 'open', escalationLevel: 0 };
        if (base.status === 'escalated' && base.escalationLevel >= m.level) return;
        alerts.set(m.alertId, { ...base, status: 'escalated', escalationLevel: m.level });
        signals.fire(`Alert escalated to level ${m.level}`, `${headline(m)}: referral ${m.referralId.slice(0, 12)}…`);
      } else if (m.kind === 'acknowledged' || m.kind === 'resolved') {
        if (known) alerts.set(m.alertId, { ...known, status: m.kind });
      }
      render();
    },
  });
  const ticker = setInterval(() => refreshTimes(list), 15_000);
  signal.addEventListener('abort', () => {
    stream.close();
    clearInterval(ticker);
  });
}

/** @param {Alert} alert */
function rowContent(alert) {
  const level = alert.escalationLevel;
  return [
    h('h2', null, headline(alert)),
    h(
      'p',
      { class: 'meta' },
      h('span', null, 'Raised ', timeSince(alert.raisedAt)),
      h('span', { class: `badge ${level > 0 ? 'age-over' : 'age-near'}` }, level > 0 ? `Escalated: level ${level}` : 'Not escalated (level 0)'),
      alert.ackDueAt ? h('span', null, 'Acknowledge by ', formatTime(alert.ackDueAt)) : null,
      h('a', { href: `#/referral/${alert.referralId}` }, `Referral ${alert.referralId.slice(0, 12)}…`),
    ),
  ];
}

/** @param {HTMLElement} row @param {Alert} alert */
function updateRow(row, alert) {
  row.className = `alert level-${Math.min(alert.escalationLevel, 3)}`;
  const summary = row.querySelector('.alert-summary');
  if (summary) replace(summary, rowContent(alert));
}

/** @param {Alert} alert @param {(alert: Alert, note: string) => Promise<void>} acknowledge */
function alertRow(alert, acknowledge) {
  const summary = h('div', { class: 'alert-summary' }, rowContent(alert));
  const actions = h('div');
  const row = h('li', { class: `alert level-${Math.min(alert.escalationLevel, 3)}`, 'data-alert-id': alert.alertId }, summary, actions);
  const openButton = h('button', { type: 'button', class: 'primary', 'aria-expanded': 'false', onclick: () => openForm() }, 'Acknowledge');
  actions.append(openButton);

  function openForm() {
    const noteId = uid('ack-note');
    const note = h('textarea', { id: noteId, name: 'note', required: true, maxlength: '4000', rows: '2' }, '');
    /** @type {HTMLTextAreaElement} */ (note).value = 'Seen; taking action now.';
    const error = h('div');
    const confirm = h('button', { type: 'submit', class: 'primary' }, 'Confirm acknowledgement');
    const form = h(
      'form',
      {
        onsubmit: async (/** @type {SubmitEvent} */ event) => {
          event.preventDefault();
          const text = /** @type {HTMLTextAreaElement} */ (note).value.trim();
          if (!text) {
            showError(error, new Error('Write a note: it goes on the record with your acknowledgement.'));
            return;
          }
          confirm.setAttribute('disabled', '');
          try {
            await acknowledge(alert, text);
          } catch (e) {
            showError(error, e);
            confirm.removeAttribute('disabled');
          }
        },
      },
      h('label', { for: noteId }, 'Note (recorded with the acknowledgement)'),
      note,
      error,
      h('div', { class: 'actions' }, confirm, h('button', { type: 'button', onclick: closeForm }, 'Cancel')),
    );
    openButton.hidden = true;
    openButton.setAttribute('aria-expanded', 'true');
    actions.append(form);
    // The note is prefilled: the second click is "Confirm"; focus goes there, and typing is one Tab back.
    confirm.focus();

    function closeForm() {
      form.remove();
      openButton.hidden = false;
      openButton.setAttribute('aria-expanded', 'false');
      openButton.focus();
    }
  }
  return row;
}

/** Sound and browser notifications: off until the user switches them on (browsers need the gesture anyway). */
function signalControls() {
  /** @type {AudioContext | undefined} */
  let audio;
  const enabled = () => localStorage.getItem(PREFS_KEY) === 'on';
  const button = h('button', { type: 'button', 'aria-pressed': String(enabled()) });
  const label = () => (button.textContent = enabled() ? 'Sound and notifications: on' : 'Turn on sound and notifications');
  label();
  button.addEventListener('click', async () => {
    if (enabled()) {
      localStorage.setItem(PREFS_KEY, 'off');
    } else {
      localStorage.setItem(PREFS_KEY, 'on');
      audio ??= new AudioContext();
      if ('Notification' in window && Notification.permission === 'default') await Notification.requestPermission();
    }
    button.setAttribute('aria-pressed', String(enabled()));
    label();
  });
  return {
    control: button,
    /** @param {string} title @param {string} body */
    fire(title, body) {
      announce(`${title}: ${body}`);
      if (!enabled()) return;
      try {
        audio ??= new AudioContext();
        const osc = audio.createOscillator();
        const gain = audio.createGain();
        osc.frequency.value = 880;
        gain.gain.setValueAtTime(0.2, audio.currentTime);
        gain.gain.exponentialRampToValueAtTime(0.001, audio.currentTime + 0.6);
        osc.connect(gain).connect(audio.destination);
        osc.start();
        osc.stop(audio.currentTime + 0.6);
      } catch {
        // No audio device: the visible list and the notification still tell the user.
      }
      if ('Notification' in window && Notification.permission === 'granted') new Notification(title, { body, tag: title + body });
    },
  };
}
