// @ts-check
/**
 * Alerts on every page. Once a caseworker signs in, this keeps the open alerts addressed to them (GET /v1/alerts,
 * then the live stream from that list's log position, so nothing raised in between is missed) whatever page is
 * open: the count in the navigation and the tab title, and on a new or escalated alert a tone (once the user has
 * switched sound on: browsers need that gesture), a polite screen-reader message, a browser notification (if
 * allowed) and a notice on the page with its own Acknowledge button. The Alerts page draws from the same store.
 */
import { api, session } from './api.js';
import { announce, h, humanise, replace, uid } from './dom.js';
import { openEventStream } from './sse.js';
import { caseSummary, caseTitle, ruleInWords } from './case-context.js';

/** The roles alerts are addressed to (GET /v1/alerts and its stream admit exactly these). */
export const alertRoles = ['supervisor', 'officer', 'psychologist', 'clinician', 'victim_advocate', 'probation'];

const PREFS_KEY = 'hru.console.alertSignals';

/**
 * @typedef {{ crimeReference?: string | null, principalOffence?: string | null, offenceCode?: string | null, dashYesCount?: number | null,
 *   indicators?: string[], problemBehaviour?: string | null, stage?: string | null, ownerSub?: string | null }} AlertContext
 * @typedef {{ alertId: string, referralId: string, raisedBy: string | null, rules?: string[], raisedAt: string, status: string,
 *   escalationLevel: number, tier?: string, addressedTo?: string | null, ackDueAt?: string | null, context?: AlertContext | null }} Alert
 * @typedef {{ kind: 'alerts' } | { kind: 'state', state: string, error?: Error } | { kind: 'signal', alert: Alert, title: string }
 *   | { kind: 'changed', referralId: string }} MonitorEvent
 */

/** @type {Map<string, Alert>} */
const alerts = new Map();
/** @type {Set<(e: MonitorEvent) => void>} */
const listeners = new Set();
/** @type {{ close(): void } | undefined} */
let stream;
let started = false;
let streamState = 'stopped';
/** @type {Error | undefined} */
let lastError;
let baseTitle = 'HRU console';
/** @type {ReturnType<typeof setInterval> | undefined} */
let ticker;

/** The order of the alert list: escalated first (highest level), then overdue, then soonest due, then newest. */
export function byUrgency(/** @type {Alert} */ a, /** @type {Alert} */ b, now = Date.now()) {
  const overdue = (/** @type {Alert} */ x) => (x.ackDueAt && Date.parse(x.ackDueAt) <= now ? 1 : 0);
  const due = (/** @type {Alert} */ x) => (x.ackDueAt ? Date.parse(x.ackDueAt) : Infinity);
  return b.escalationLevel - a.escalationLevel || overdue(b) - overdue(a) || due(a) - due(b) || b.raisedAt.localeCompare(a.raisedAt);
}

/** The open alerts, in the list's order (`byUrgency`). */
export function openAlerts(now = Date.now()) {
  return [...alerts.values()].filter((a) => a.status === 'open' || a.status === 'escalated').sort((a, b) => byUrgency(a, b, now));
}

/** "due in 11 min", "due in 2 h 5 min", "OVERDUE 4 min": whole minutes, rounded down. */
export function ackCountdown(/** @type {string | null | undefined} */ ackDueAt, now = Date.now()) {
  if (!ackDueAt) return { words: 'no further escalation', overdue: false };
  const ms = Date.parse(ackDueAt) - now;
  const minutes = Math.floor(Math.abs(ms) / 60_000);
  const span = minutes < 60 ? `${minutes} min` : minutes < 48 * 60 ? `${Math.floor(minutes / 60)} h ${minutes % 60} min` : `${Math.floor(minutes / 1440)} days`;
  return ms >= 0 ? { words: `due in ${span}`, overdue: false } : { words: `OVERDUE ${span}`, overdue: true };
}

/** An alert's heading: what raised it, in words (the free-text reason is personal data, read on the referral). */
export function alertHeadline(/** @type {{ raisedBy?: string | null, rules?: string[] }} */ alert) {
  const rules = alert.rules?.length ? `: ${alert.rules.map(ruleInWords).join(', ')}` : '';
  if (alert.raisedBy === 'deadline') return `A deadline was missed${rules}`;
  if (alert.raisedBy === 'breach') return `An order was breached${rules}`;
  if (alert.raisedBy === 'intake_rule') return `Urgent at intake${rules}`;
  if (alert.raisedBy === 'person') return 'Urgent action raised by staff';
  return 'Urgent action';
}

export function subscribe(/** @type {(e: MonitorEvent) => void} */ listener) {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function connectionState() {
  return { state: streamState, error: lastError };
}

function emit(/** @type {MonitorEvent} */ event) {
  for (const listener of listeners) listener(event);
  if (event.kind === 'alerts') showCount();
}

/** The view's name for the tab title; the open count goes in front of it. */
export function setViewTitle(/** @type {string} */ name) {
  baseTitle = name ? `${name} – HRU console` : 'HRU console';
  showCount();
}

function showCount() {
  const n = started ? openAlerts().length : 0;
  document.title = n > 0 ? `(${n}) ${baseTitle}` : baseTitle;
  const badge = document.getElementById('nav-alert-count');
  if (badge) {
    badge.textContent = String(n);
    badge.hidden = n === 0;
    badge.className = `count${openAlerts().some((a) => a.escalationLevel > 0 || ackCountdown(a.ackDueAt).overdue) ? ' urgent' : ''}`;
  }
}

/** The navigation's count, for the chrome to place in the Alerts link. */
export function countBadge() {
  const n = started ? openAlerts().length : 0;
  return h('span', { id: 'nav-alert-count', class: 'count', hidden: n === 0, 'aria-label': `${n} open` }, String(n));
}

/** @type {Promise<void> | undefined} */
let starting;

/** Starts (once per sign-in) for the roles alerts are addressed to; resolves once the open alerts are in. */
export function startAlertMonitor() {
  if (!session.hasRole(...alertRoles)) return Promise.resolve();
  starting ??= begin();
  return starting;
}

async function begin() {
  started = true;
  let position;
  try {
    const first = await api('/v1/alerts?status=open');
    for (const item of first.items) alerts.set(item.alertId, item);
    position = first.position;
  } catch (error) {
    started = false;
    starting = undefined;
    lastError = error instanceof Error ? error : new Error(String(error));
    streamState = 'stopped';
    emit({ kind: 'state', state: 'stopped', error: lastError });
    return;
  }
  emit({ kind: 'alerts' });
  stream = openEventStream({
    // `changes`: the same stream says which cases changed (ids only), for live queues and caseloads.
    url: '/v1/alerts/stream?changes=true',
    after: position,
    onState: (state, error) => {
      // Back after a drop: changes made meanwhile are not replayed, so the open lists read themselves again.
      if (state === 'live' && streamState === 'reconnecting') emit({ kind: 'changed', referralId: '*' });
      streamState = state;
      lastError = error;
      emit({ kind: 'state', state, ...(error ? { error } : {}) });
    },
    onMessage: (message) => {
      const data = JSON.parse(message.data);
      if (message.event === 'changed') emit({ kind: 'changed', referralId: data.referralId });
      else onMessage(data);
    },
  });
  // Countdowns move on their own: redraw the count's colour and the pages' words each 15 s.
  ticker = setInterval(() => emit({ kind: 'alerts' }), 15_000);
}

export function stopAlertMonitor() {
  stream?.close();
  stream = undefined;
  clearInterval(ticker);
  alerts.clear();
  started = false;
  starting = undefined;
  showCount();
  // A signed-out page shows nothing of the last user's alerts.
  const box = document.getElementById('alert-notice');
  if (box) (box.hidden = true), replace(box);
  noticeFor = undefined;
}

/** @param {any} m a stream message: alertId, referralId, kind, level, tier, raisedBy, rules, raisedAt, ackDueAt, context */
function onMessage(m) {
  const known = alerts.get(m.alertId);
  const base = known ?? {
    alertId: m.alertId,
    referralId: m.referralId,
    raisedBy: m.raisedBy,
    rules: m.rules ?? [],
    raisedAt: m.raisedAt ?? m.at,
    status: 'open',
    escalationLevel: 0,
    addressedTo: m.addressedTo,
  };
  const update = { tier: m.tier, ackDueAt: m.ackDueAt ?? null, ...(m.context ? { context: m.context } : {}) };
  if (m.kind === 'raised') {
    if (known) return;
    const alert = { ...base, ...update };
    alerts.set(m.alertId, alert);
    emit({ kind: 'alerts' });
    signal(alert, 'New urgent alert');
  } else if (m.kind === 'escalated') {
    if (base.status === 'escalated' && base.escalationLevel >= m.level) return;
    const alert = { ...base, ...update, status: 'escalated', escalationLevel: m.level };
    alerts.set(m.alertId, alert);
    emit({ kind: 'alerts' });
    signal(alert, `Alert escalated to level ${m.level}${m.tier ? ` (${humanise(m.tier).toLowerCase()})` : ''}`);
  } else if ((m.kind === 'acknowledged' || m.kind === 'resolved') && known) {
    alerts.set(m.alertId, { ...known, status: m.kind, ackDueAt: null });
    emit({ kind: 'alerts' });
    dismissNotice(m.alertId);
  }
}

/** Acknowledges with a note; the store changes at once (the stream's echo then changes nothing). */
export async function acknowledgeAlert(/** @type {Alert} */ alert, /** @type {string} */ note) {
  await api(`/v1/alerts/${encodeURIComponent(alert.alertId)}/acknowledge`, { method: 'POST', body: { note } });
  const known = alerts.get(alert.alertId) ?? alert;
  alerts.set(alert.alertId, { ...known, status: 'acknowledged', ackDueAt: null });
  emit({ kind: 'alerts' });
  dismissNotice(alert.alertId);
  announce(`Alert acknowledged: ${caseTitle({ referralId: alert.referralId, ...(alert.context ?? {}) })}`);
}

function describe(/** @type {Alert} */ alert) {
  const c = { referralId: alert.referralId, ...(alert.context ?? {}) };
  return `${caseTitle(c)}. ${alertHeadline(alert)}. ${caseSummary(c)}`.replace(/\. $/, '.');
}

/** Everything that tells the user, wherever they are. */
function signal(/** @type {Alert} */ alert, /** @type {string} */ title) {
  announce(`${title}: ${describe(alert)}`);
  if (soundOn()) playTone(alert.escalationLevel > 0 ? 2 : 1);
  if (soundOn() && 'Notification' in window && Notification.permission === 'granted') {
    try {
      const n = new Notification(title, { body: describe(alert), tag: alert.alertId });
      n.onclick = () => {
        window.focus();
        location.hash = '#/alerts';
      };
    } catch {
      // Some browsers allow notifications only from a service worker: the page's own notice still shows.
    }
  }
  showNotice(alert, title);
  for (const listener of listeners) listener({ kind: 'signal', alert, title });
}

// Sound: the preference is stored per browser; the AudioContext is made (and resumed) on the click that turns it on.
/** @type {AudioContext | undefined} */
let audio;
const soundOn = () => localStorage.getItem(PREFS_KEY) === 'on';

function playTone(/** @type {number} */ beeps) {
  try {
    audio ??= new AudioContext();
    for (let i = 0; i < beeps; i++) {
      const start = audio.currentTime + i * 0.35;
      const osc = audio.createOscillator();
      const gain = audio.createGain();
      osc.frequency.value = 880;
      gain.gain.setValueAtTime(0.2, start);
      gain.gain.exponentialRampToValueAtTime(0.001, start + 0.3);
      osc.connect(gain).connect(audio.destination);
      osc.start(start);
      osc.stop(start + 0.3);
    }
  } catch {
    // No audio device: the count, the notice and the screen-reader message still tell the user.
  }
}

/** The header's switch for sound and notifications (asks the browser's permission on the click that turns it on). */
export function soundSwitch() {
  const button = h('button', { type: 'button', id: 'sound-switch', 'aria-pressed': String(soundOn()) });
  const label = () => (button.textContent = soundOn() ? 'Alert sound: on' : 'Alert sound: off');
  label();
  button.addEventListener('click', async () => {
    if (soundOn()) localStorage.setItem(PREFS_KEY, 'off');
    else {
      localStorage.setItem(PREFS_KEY, 'on');
      audio ??= new AudioContext();
      void audio.resume();
      if ('Notification' in window && Notification.permission === 'default') await Notification.requestPermission();
    }
    button.setAttribute('aria-pressed', String(soundOn()));
    label();
  });
  return button;
}

// The notice on the page: the newest signalled alert, on whatever page is open, acknowledged from there.
/** @type {string | undefined} */
let noticeFor;

function noticeBox() {
  let box = document.getElementById('alert-notice');
  if (!box) {
    box = h('aside', { id: 'alert-notice', class: 'alert-notice', 'aria-label': 'New alert', hidden: true });
    document.body.append(box);
  }
  return box;
}

function dismissNotice(/** @type {string} */ alertId) {
  if (noticeFor !== alertId) return;
  const box = noticeBox();
  box.hidden = true;
  replace(box);
  noticeFor = undefined;
}

function showNotice(/** @type {Alert} */ alert, /** @type {string} */ title) {
  const box = noticeBox();
  noticeFor = alert.alertId;
  const c = { referralId: alert.referralId, ...(alert.context ?? {}) };
  const due = ackCountdown(alert.ackDueAt);
  const actions = h('div', { class: 'actions' });
  const ack = h('button', { type: 'button', class: 'primary', 'aria-expanded': 'false' }, 'Acknowledge');
  ack.addEventListener('click', () => {
    ack.hidden = true;
    ack.setAttribute('aria-expanded', 'true');
    actions.append(acknowledgeForm(alert, () => {
      ack.hidden = false;
      ack.setAttribute('aria-expanded', 'false');
      ack.focus();
    }));
  });
  replace(
    box,
    h('p', { class: 'notice-title' }, h('strong', null, title)),
    h('p', null, h('a', { href: `#/referral/${alert.referralId}` }, caseTitle(c)), ` — ${alertHeadline(alert)}`),
    caseSummary(c) ? h('p', { class: 'small' }, caseSummary(c)) : null,
    h('p', { class: 'small' }, `Acknowledge ${due.words}`, alert.tier ? ` · now addressed to ${humanise(alert.tier).toLowerCase()}` : ''),
    actions,
  );
  actions.append(ack, h('a', { class: 'button', href: '#/alerts' }, 'All alerts'), h('button', { type: 'button', onclick: () => dismissNotice(alert.alertId) }, 'Dismiss'));
  box.hidden = false;
}

/**
 * The note and confirmation of an acknowledgement (prefilled: the second click is "Confirm").
 * @param {Alert} alert @param {() => void} onCancel @param {() => void} [onDone]
 */
export function acknowledgeForm(alert, onCancel, onDone) {
  const noteId = uid('ack-note');
  const note = /** @type {HTMLTextAreaElement} */ (h('textarea', { id: noteId, name: 'note', required: true, maxlength: '4000', rows: '2' }));
  note.value = 'Seen; taking action now.';
  const error = h('div');
  const confirm = h('button', { type: 'submit', class: 'primary' }, 'Confirm acknowledgement');
  const form = h(
    'form',
    {
      class: 'ack-form',
      onsubmit: async (/** @type {SubmitEvent} */ event) => {
        event.preventDefault();
        const text = note.value.trim();
        if (!text) {
          replace(error, h('p', { class: 'field-error' }, 'Write a note: it goes on the record with your acknowledgement.'));
          return;
        }
        confirm.setAttribute('disabled', '');
        try {
          await acknowledgeAlert(alert, text);
          onDone?.();
        } catch (e) {
          replace(error, h('div', { class: 'error', role: 'alert' }, h('p', null, e instanceof Error ? e.message : String(e))));
          confirm.removeAttribute('disabled');
        }
      },
    },
    h('label', { for: noteId }, 'Note (recorded with the acknowledgement)'),
    note,
    error,
    h('div', { class: 'actions' }, confirm, h('button', { type: 'button', onclick: () => (form.remove(), onCancel()) }, 'Cancel')),
  );
  // Focus after the form is in the page.
  queueMicrotask(() => confirm.focus());
  return form;
}
