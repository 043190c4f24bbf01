// @ts-check
/**
 * "Due and overdue": the statutory and plan deadlines across the caseload, overdue first (most overdue at the
 * top), then those due soonest; each with its countdown in words and colour. Refreshed when the alert stream
 * says something happened (a missed deadline raises an alert) and every 30 s in any case, which also keeps the
 * countdowns current. The stream is the alert monitor's (alerts addressed to the user's roles).
 */
import { api, downloadCsv, session } from '../api.js';
import { h, humanise, replace } from '../dom.js';
import { countdown, countdownBadge, deadlineKindName, deadlineKindNames, londonTimeElement, measureKindName, LONDON } from '../clocks.js';
import { alertRoles, connectionState, subscribe } from '../alert-monitor.js';
import { caseSummary, caseTitle } from '../case-context.js';
import { field, showError } from './common.js';

const REFRESH_MS = 30_000;
/** Rows fetched per page, and pages followed, per status: beyond that the filters narrow the list. */
const PAGE = 200;
const MAX_PAGES = 5;
const owners = ['officer', 'supervisor', 'victim_advocate', 'probation', 'psychologist', 'clinician'];
const horizons = [
  { value: 'P1D', label: '1 day' },
  { value: 'P3D', label: '3 days' },
  { value: 'P7D', label: '7 days' },
  { value: 'P14D', label: '14 days' },
  { value: 'P28D', label: '28 days' },
];

/**
 * @typedef {{ referralId: string, deadlineId: string, kind: string, clock: string, measureId: string | null, measureKind?: string | null,
 *   owner: string, triggerAt: string, dueAt: string, warnAt: string | null, warnedAt?: string | null, status: string,
 *   missedAt?: string | null, closedAt?: string | null, late?: boolean, version: number, crimeReference?: string | null,
 *   principalOffence?: string | null, offenceCode?: string | null, dashYesCount?: number | null, indicators?: string[],
 *   problemBehaviour?: string | null, stage?: string | null, assigneeSub?: string | null }} DeadlineItem
 */

/** @param {HTMLElement} main @param {AbortSignal} signal */
export async function dueView(main, signal) {
  const kind = h('select', { name: 'kind' }, h('option', { value: '' }, 'All kinds'), Object.keys(deadlineKindNames).map((k) => h('option', { value: k }, deadlineKindName(k))));
  const owner = h('select', { name: 'owner' }, h('option', { value: '' }, 'Any role'), owners.map((o) => h('option', { value: o }, humanise(o))));
  const within = h('select', { name: 'within' }, horizons.map((x) => h('option', { value: x.value, selected: x.value === 'P7D' }, x.label)));
  const results = h('div', { id: 'due-results' });
  const updated = h('span', { id: 'due-updated', class: 'muted' });
  const live = h('span', { class: 'badge age-near', id: 'due-live' }, 'Refreshes every 30 s');
  replace(
    main,
    h('h1', null, 'Due and overdue'),
    h('p', null, `Statutory and plan deadlines across the caseload: overdue first, then due soonest. Times are ${LONDON} (UK local time).`),
    h(
      'form',
      {
        class: 'row panel',
        'aria-label': 'Filter the deadlines',
        onsubmit: (/** @type {SubmitEvent} */ e) => {
          e.preventDefault();
          void load();
        },
        onchange: () => void load(),
      },
      field('Kind', kind),
      field('Owner', owner),
      field('Due within', within),
      h('div', { class: 'field' }, h('button', { type: 'submit', class: 'primary' }, 'Refresh')),
    ),
    h(
      'div',
      { class: 'status-line' },
      live,
      updated,
      h('button', { type: 'button', onclick: () => csv('overdue') }, 'Download overdue (CSV)'),
      h('button', { type: 'button', onclick: () => csv('due') }, 'Download due (CSV)'),
    ),
    results,
  );

  /** The filters as query parameters. @param {string} status */
  function query(status) {
    const q = new URLSearchParams({ status });
    const k = /** @type {HTMLSelectElement} */ (kind).value;
    const o = /** @type {HTMLSelectElement} */ (owner).value;
    if (k) q.set('kind', k);
    if (o) q.set('owner', o);
    if (status === 'due') q.set('within', /** @type {HTMLSelectElement} */ (within).value);
    return q;
  }

  /** @param {string} status */
  function csv(status) {
    const q = query(status);
    q.set('format', 'csv');
    downloadCsv(`/v1/deadlines?${q}`, `deadlines-${status}.csv`).catch((e) => showError(results, e));
  }

  /** @param {string} status */
  async function fetchAll(status) {
    /** @type {DeadlineItem[]} */
    const items = [];
    const q = query(status);
    q.set('limit', String(PAGE));
    let more = false;
    for (let page = 0; page < MAX_PAGES; page++) {
      const reply = await api(`/v1/deadlines?${q}`, { signal });
      items.push(...reply.items);
      more = Boolean(reply.nextCursor);
      if (!more) break;
      q.set('cursor', reply.nextCursor);
    }
    return { items, more };
  }

  let loading = false;
  let again = false;
  async function load() {
    // One load at a time; a trigger during one (a filter change, an alert) asks for one more after it.
    if (loading) {
      again = true;
      return;
    }
    loading = true;
    try {
      const [overdue, due] = await Promise.all([fetchAll('overdue'), fetchAll('due')]);
      render(overdue, due);
      updated.textContent = `Updated ${new Date().toLocaleTimeString('en-GB', { timeZone: LONDON, hour: '2-digit', minute: '2-digit', second: '2-digit' })}`;
    } catch (error) {
      if (!signal.aborted) showError(results, error);
    } finally {
      loading = false;
      if (again && !signal.aborted) {
        again = false;
        void load();
      }
    }
  }

  /** @param {{ items: DeadlineItem[], more: boolean }} overdue @param {{ items: DeadlineItem[], more: boolean }} due */
  function render(overdue, due) {
    const now = Date.now();
    // A deadline may fall due between the two reads: each appears once, in the group its time puts it in now.
    const seen = new Set();
    const all = [...overdue.items, ...due.items].filter((d) => {
      const key = `${d.referralId}/${d.deadlineId}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
    const late = all.filter((d) => countdown(d, now).overdue).sort(byDue);
    const coming = all.filter((d) => !countdown(d, now).overdue).sort(byDue);
    const truncated = overdue.more || due.more;
    if (late.length + coming.length === 0) {
      replace(results, h('p', { id: 'due-empty' }, 'Nothing overdue, and nothing due in that time.'));
      return;
    }
    replace(
      results,
      h('p', { id: 'due-count' }, `${late.length} overdue, ${coming.length} due within ${/** @type {HTMLSelectElement} */ (within).selectedOptions[0]?.textContent ?? ''}.`),
      truncated ? h('p', { class: 'warning' }, `Showing the first ${PAGE * MAX_PAGES} of each; choose a kind or an owner to see the rest.`) : null,
      h(
        'div',
        { class: 'table-wrap' },
        h(
          'table',
          { id: 'due-list' },
          h('caption', { class: 'visually-hidden' }, 'Deadlines: overdue first, then due soonest'),
          h('thead', null, h('tr', null, ['When', 'Kind', 'Due at', 'Owner', 'Case', 'Referral'].map((t) => h('th', { scope: 'col' }, t)))),
          h('tbody', null, [...late, ...coming].map((d) => row(d, now))),
        ),
      ),
    );
  }

  void load();
  const timer = setInterval(() => void load(), REFRESH_MS);
  // The alert monitor's stream (one per tab, open on every page): a new alert may be a deadline missed.
  const showLive = (/** @type {string} */ state) => {
    live.textContent = state === 'live' ? 'Live: refreshes on each alert, and every 30 s' : 'Refreshes every 30 s';
    live.className = `badge ${state === 'live' ? 'age-ok' : 'age-near'}`;
  };
  if (session.hasRole(...alertRoles)) showLive(connectionState().state);
  const unsubscribe = subscribe((event) => {
    if (event.kind === 'state') showLive(event.state);
    else if (event.kind === 'signal') void load();
  });
  signal.addEventListener('abort', () => {
    clearInterval(timer);
    unsubscribe();
  });
}

/** @param {DeadlineItem} a @param {DeadlineItem} b */
function byDue(a, b) {
  return Date.parse(a.dueAt) - Date.parse(b.dueAt) || a.referralId.localeCompare(b.referralId);
}

/**
 * The case a deadline belongs to, as the list carries it: its crime reference where the API gives one, then its
 * problem behaviour, stage and assignee (ids and categories only: the list carries no personal data).
 * @param {DeadlineItem} d
 */
function caseWords(d) {
  const c = { ...d, ownerSub: d.assigneeSub };
  const facts = [d.stage ? humanise(d.stage) : null, d.assigneeSub ? `assigned to ${d.assigneeSub}` : 'unassigned'].filter(Boolean).join(' · ');
  return [h('a', { href: `#/referral/${d.referralId}` }, h('strong', null, caseTitle(c))), h('br'), caseSummary(c), caseSummary(c) ? h('br') : null, facts];
}

/** @param {DeadlineItem} d @param {number} now */
function row(d, now) {
  const c = countdown(d, now);
  const measure = d.measureKind ? `${measureKindName(d.measureKind)}${d.measureId ? ` (${d.measureId})` : ''}` : null;
  return h(
    'tr',
    { class: c.overdue ? 'overdue' : undefined, 'data-referral-id': d.referralId, 'data-deadline-id': d.deadlineId, 'data-state': c.overdue ? 'overdue' : 'due' },
    // data-label: on a phone-sized screen each row stacks, its cells named by their column (app.css).
    h('td', { 'data-label': 'When' }, countdownBadge(d, now)),
    h('td', { 'data-label': 'Kind' }, h('div', null, deadlineKindName(d.kind), measure ? h('span', { class: 'muted small' }, h('br'), measure) : null)),
    h('td', { 'data-label': 'Due at' }, londonTimeElement(d.dueAt)),
    h('td', { 'data-label': 'Owner' }, humanise(d.owner)),
    h('td', { 'data-label': 'Case' }, h('div', { class: 'case' }, caseWords(d))),
    h('td', { 'data-label': 'Referral' }, h('span', { class: 'case-id muted small' }, d.referralId)),
  );
}
