// @ts-check
/**
 * The caseload: "My cases" (assigned to the user) and "All cases", urgent first then oldest, in pages of 100 (or 250, 1,000) read
 * by keyset ("Show more"). Filters by stage, problem behaviour, urgency, review due and deadlines, and the crime
 * reference, all kept in the address (`#/caseload/all?stage=…`), so a reload or a shared link shows the same list.
 * A person's name or source reference is searched apart: it is a justified read of personal data (logged), and the
 * engine compares keyed MACs, never the name itself. Reloads when the alert stream says a case changed (ids only)
 * or an alert came, and every 30 s for whoever has no stream (auditors).
 */
import { api, session } from '../api.js';
import { h, humanise, replace } from '../dom.js';
import { subscribe } from '../alert-monitor.js';
import { ageBadge, caseBlock } from '../case-context.js';
import { field, showError } from './common.js';

/** Cases per page: a supervisor reviewing the whole caseload reads 1,000 at once (first render stays under 300 ms). */
const pageSizes = ['100', '250', '1000'];
const REFRESH_MS = 30_000;
const stages = ['awaiting_triage', 'awaiting_screening', 'advice_only', 'awaiting_case_discussion', 'case_discussion_held', 'under_management'];
const behaviours = ['stalking', 'serial_domestic_abuse', 'sexual_violence', 'querulance'];
/** The filters the address may hold, and the API's name for each. */
const filterNames = ['stage', 'problemBehaviour', 'owner', 'unassigned', 'urgent', 'reviewDue', 'deadlineStatus', 'crimeReference', 'pageSize'];

/** @param {HTMLElement} main @param {AbortSignal} signal @param {string} [scope] */
export async function caseloadView(main, signal, scope = 'all') {
  const mine = scope === 'mine';
  const params = new URLSearchParams(location.hash.split('?')[1] ?? '');
  const select = (/** @type {string} */ name, /** @type {[string, string][]} */ options) =>
    h('select', { name }, h('option', { value: '' }, 'Any'), options.map(([value, label]) => h('option', { value, selected: params.get(name) === value }, label)));
  const controls = {
    stage: select('stage', stages.map((s) => [s, humanise(s)])),
    problemBehaviour: select('problemBehaviour', behaviours.map((b) => [b, humanise(b)])),
    owner: h('input', { name: 'owner', value: params.get('owner') ?? '', placeholder: 'staff user name', size: '14', maxlength: '200' }),
    unassigned: select('unassigned', [['true', 'Unassigned only']]),
    urgent: select('urgent', [['true', 'Urgent (an alert is open)'], ['false', 'Not urgent']]),
    reviewDue: select('reviewDue', [['true', 'Review due or overdue']]),
    deadlineStatus: select('deadlineStatus', [['overdue', 'A deadline is overdue'], ['due', 'A deadline is due within 7 days']]),
    crimeReference: h('input', { name: 'crimeReference', value: params.get('crimeReference') ?? '', placeholder: 'CC/26/000123', size: '16', maxlength: '64' }),
    pageSize: h('select', { name: 'pageSize' }, pageSizes.map((n) => h('option', { value: n, selected: (params.get('pageSize') ?? '100') === n }, n))),
  };
  const value = (/** @type {string} */ name) => /** @type {HTMLInputElement} */ (/** @type {any} */ (controls)[name]).value.trim();
  const results = h('div', { id: 'caseload-results' });
  const status = h('p', { class: 'visually-hidden', 'aria-live': 'polite' });
  const more = h('button', { type: 'button', hidden: true, id: 'caseload-more' }, 'Show more');

  /** The API query of the filters (and the user, for "My cases"). */
  const query = () => {
    const q = new URLSearchParams();
    for (const name of filterNames) {
      if (mine && (name === 'owner' || name === 'unassigned')) continue;
      if (value(name) && !(name === 'pageSize' && value(name) === '100')) q.set(name, value(name));
    }
    return q;
  };

  replace(
    main,
    h('h1', null, mine ? 'My cases' : 'All cases'),
    h(
      'nav',
      { 'aria-label': 'Which cases' },
      h('ul', { class: 'actions' }, [['mine', 'My cases'], ['all', 'All cases']].map(([s, label]) => h('li', null, h('a', { class: `button${s === scope ? ' primary' : ''}`, href: `#/caseload/${s}`, 'aria-current': s === scope ? 'page' : undefined }, label)))),
    ),
    h(
      'form',
      {
        class: 'row panel',
        'aria-label': 'Filters',
        onsubmit: (/** @type {SubmitEvent} */ e) => {
          e.preventDefault();
          const q = query().toString();
          history.replaceState(null, '', `#/caseload/${scope}${q ? `?${q}` : ''}`);
          void load();
        },
      },
      field('Crime reference', controls.crimeReference),
      field('Stage', controls.stage),
      field('Problem behaviour', controls.problemBehaviour),
      mine ? null : field('Owner', controls.owner),
      mine ? null : field('Assignment', controls.unassigned),
      field('Urgency', controls.urgent),
      field('Review', controls.reviewDue),
      field('Deadlines', controls.deadlineStatus),
      field('Cases per page', controls.pageSize),
      h('div', { class: 'field' }, h('button', { type: 'submit', class: 'primary' }, 'Show cases')),
    ),
    personSearch(results, signal),
    status,
    results,
    more,
  );

  /** @type {any[]} */
  let items = [];
  /** @type {string | null} */
  let nextCursor = null;

  async function page(/** @type {string | null} */ cursor) {
    const q = query();
    q.delete('pageSize');
    if (mine) q.set('owner', session.claims?.sub ?? '');
    q.set('limit', value('pageSize') || '100');
    if (cursor) q.set('cursor', cursor);
    return api(`/v1/caseload?${q}`, { signal });
  }

  /** Reads the list again from its start, as many rows as are shown (a live reload keeps the user's place). */
  async function load(keep = 0) {
    try {
      let reply = await page(null);
      items = reply.items;
      nextCursor = reply.nextCursor;
      while (nextCursor && items.length < keep) {
        reply = await page(nextCursor);
        items = items.concat(reply.items);
        nextCursor = reply.nextCursor;
      }
      render();
      document.body.dataset.caseloadReady = 'true';
      performance.mark('hru:caseload-rendered');
    } catch (error) {
      if (!signal.aborted) showError(results, error);
    }
  }

  more.addEventListener('click', async () => {
    if (!nextCursor) return;
    try {
      const reply = await page(nextCursor);
      const firstNew = items.length;
      items = items.concat(reply.items);
      nextCursor = reply.nextCursor;
      render();
      // Focus the first row that came in, so keyboard users carry on where they were.
      /** @type {HTMLElement | null} */ (results.querySelectorAll('tbody tr')[firstNew]?.querySelector('a') ?? null)?.focus();
    } catch (error) {
      showError(results, error);
    }
  });

  function render() {
    more.hidden = !nextCursor;
    status.textContent = `${items.length}${nextCursor ? '+' : ''} cases.`;
    if (items.length === 0) {
      replace(results, h('p', { id: 'caseload-empty' }, mine ? 'No cases are assigned to you with these filters.' : 'No cases match these filters.'));
      return;
    }
    const n = `${items.length} case${items.length === 1 ? '' : 's'}`;
    replace(results, h('p', null, `${n}${nextCursor ? ' shown, more below' : ''} — urgent first, then oldest.`), casesTable(items, mine ? 'My cases' : 'All cases'));
  }

  let pending = /** @type {ReturnType<typeof setTimeout> | undefined} */ (undefined);
  const unsubscribe = subscribe((event) => {
    if (event.kind !== 'signal' && event.kind !== 'changed') return;
    clearTimeout(pending);
    pending = setTimeout(() => void load(items.length), 300);
  });
  const timer = setInterval(() => void load(items.length), REFRESH_MS);
  signal.addEventListener('abort', () => {
    unsubscribe();
    clearInterval(timer);
    clearTimeout(pending);
  });
  await load();
}

/** @param {any[]} items @param {string} label */
export function casesTable(items, label) {
  return h(
    'div',
    { class: 'table-wrap', tabindex: '0', role: 'region', 'aria-label': label },
    h(
      'table',
      { id: 'caseload', class: 'cases' },
      h('caption', { class: 'visually-hidden' }, label),
      h('thead', null, h('tr', null, ['Case', 'Urgent', 'Age against target', 'Next review'].map((t) => h('th', { scope: 'col' }, t)))),
      h(
        'tbody',
        null,
        items.map((item) =>
          h(
            'tr',
            { 'data-referral-id': item.referralId, class: item.urgent ? 'urgent' : undefined },
            h('td', { 'data-label': 'Case' }, caseBlock(item)),
            h('td', { 'data-label': 'Urgent' }, item.urgent ? h('strong', { class: 'badge age-over' }, 'Urgent') : 'no'),
            h('td', { 'data-label': 'Age against target' }, ageBadge(item), h('span', { class: 'muted small' }, ` received ${item.ageDays} days ago`)),
            h('td', { 'data-label': 'Next review' }, item.nextReviewDue ?? '—'),
          ),
        ),
      ),
    ),
  );
}

/**
 * The search by a person: a justified read (the reason goes to the access log with every case found). Neither the
 * words nor the reason are kept in the address or anywhere else in the console.
 * @param {HTMLElement} results @param {AbortSignal} signal
 */
function personSearch(results, signal) {
  const by = h('select', { name: 'by' }, h('option', { value: 'name' }, 'Name'), h('option', { value: 'sourceRef' }, 'Source person reference'));
  const q = h('input', { name: 'q', required: true, maxlength: '200', size: '20', autocomplete: 'off' });
  const why = h('input', { name: 'justification', required: true, minlength: '3', maxlength: '1000', size: '28' });
  return h(
    'details',
    { class: 'panel', id: 'person-search' },
    h('summary', null, 'Find a case by a person’s name or reference (recorded in the access log)'),
    h(
      'form',
      {
        class: 'row',
        onsubmit: async (/** @type {SubmitEvent} */ e) => {
          e.preventDefault();
          const words = /** @type {HTMLInputElement} */ (q).value.trim();
          const justification = /** @type {HTMLInputElement} */ (why).value.trim();
          try {
            const reply = await api(`/v1/caseload/search?by=${/** @type {HTMLSelectElement} */ (by).value}&q=${encodeURIComponent(words)}`, { justification, signal });
            replace(
              results,
              h('p', null, `${reply.items.length} case${reply.items.length === 1 ? '' : 's'} name this person (your search was recorded in the access log).`),
              reply.items.length ? casesTable(reply.items, 'Cases naming the person') : null,
            );
          } catch (error) {
            showError(results, error);
          }
        },
      },
      field('Search by', by),
      field('Name or reference', q, 'Every word must match the same person; accents and case do not matter.'),
      field('Why you need it', why, 'For example: the victim rang the unit.'),
      h('div', { class: 'field' }, h('button', { type: 'submit', class: 'primary' }, 'Search')),
    ),
  );
}
