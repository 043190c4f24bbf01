// @ts-check
/**
 * The stage queues: a tab per queue with how many wait in it, each row the case in words (crime reference, offence,
 * DASH, indicators, owner) and its age against the stage's target; filters by behaviour and owner. The list reloads
 * when the alert stream says a case changed (ids only, once the caseload has applied it) or an alert came, and
 * every 30 s for whoever has no stream.
 */
import { api, downloadCsv } from '../api.js';
import { formatTime, h, humanise, replace } from '../dom.js';
import { subscribe } from '../alert-monitor.js';
import { ageBadge, caseBlock } from '../case-context.js';
import { field, showError } from './common.js';

const queues = ['triage', 'screening', 'awaiting_case_discussion', 'reviews_due'];
const behaviours = ['stalking', 'serial_domestic_abuse', 'sexual_violence', 'querulance'];
const REFRESH_MS = 30_000;

/** @param {HTMLElement} main @param {AbortSignal} signal @param {string} [queue] */
export async function queuesView(main, signal, queue = 'triage') {
  if (!queues.includes(queue)) queue = 'triage';
  const params = new URLSearchParams(location.hash.split('?')[1] ?? '');
  const behaviour = h('select', { name: 'problemBehaviour' }, h('option', { value: '' }, 'All'), behaviours.map((b) => h('option', { value: b, selected: params.get('problemBehaviour') === b }, humanise(b))));
  const owner = h('input', { name: 'owner', value: params.get('owner') ?? '', placeholder: 'staff user name', size: '16' });
  const results = h('div');
  const status = h('p', { class: 'visually-hidden', 'aria-live': 'polite' });
  /** @type {Map<string, HTMLElement>} */
  const counts = new Map(queues.map((name) => [name, h('span', { class: 'count', 'data-queue-count': name }, '…')]));
  const query = () => {
    const q = new URLSearchParams();
    const b = /** @type {HTMLSelectElement} */ (behaviour).value;
    const o = /** @type {HTMLInputElement} */ (owner).value.trim();
    if (b) q.set('problemBehaviour', b);
    if (o) q.set('owner', o);
    return q.toString();
  };
  replace(
    main,
    h('h1', null, 'Queues'),
    h('nav', { 'aria-label': 'Queues' }, h('ul', { class: 'actions' }, queues.map((name) => h('li', null, h('a', { class: `button${name === queue ? ' primary' : ''}`, href: `#/queues/${name}`, 'aria-current': name === queue ? 'page' : undefined }, humanise(name), ' ', counts.get(name)))))),
    h(
      'form',
      {
        class: 'row panel',
        onsubmit: (/** @type {SubmitEvent} */ e) => {
          e.preventDefault();
          // The filters go in the address, so a reload or a shared link shows the same list.
          history.replaceState(null, '', `#/queues/${queue}${query() ? `?${query()}` : ''}`);
          void load();
        },
      },
      field('Problem behaviour', behaviour),
      field('Owner', owner),
      h('div', { class: 'field' }, h('button', { type: 'submit', class: 'primary' }, 'Filter')),
      h('div', { class: 'field' }, h('button', { type: 'button', onclick: () => downloadCsv(`/v1/queues/${queue}?format=csv&${query()}`, `queue-${queue}.csv`).catch((e) => showError(results, e)) }, 'Download CSV')),
    ),
    status,
    results,
  );

  let first = true;
  async function load() {
    try {
      const reply = await api(`/v1/queues/${queue}?${query()}`, { signal });
      for (const [name, el] of counts) {
        const n = reply.counts?.[name];
        el.textContent = n === undefined ? '' : String(n);
        el.setAttribute('aria-label', `${n} waiting`);
      }
      render(reply.items ?? [], reply.counts?.[queue] ?? reply.items.length, reply.nextCursor ?? null);
      if (!first) status.textContent = `Queue updated: ${reply.counts?.[queue] ?? reply.items.length} waiting.`;
      first = false;
      document.body.dataset.queueReady = 'true';
    } catch (error) {
      if (!signal.aborted) showError(results, error);
    }
  }

  /**
   * The queue's first page (the API pages it); a long queue reads on page by page into the same table.
   * @param {any[]} items @param {number} waiting @param {string | null} nextCursor
   */
  function render(items, waiting, nextCursor) {
    if (items.length === 0) return replace(results, h('p', { id: 'queue-empty' }, `Nothing waiting in ${humanise(queue).toLowerCase()}.`));
    const body = h('tbody', null, items.map(row));
    const shown = h('p', { id: 'queue-shown' }, `${waiting} waiting, urgent first, then oldest first.${nextCursor ? ` Showing the first ${items.length}.` : ''}`);
    let cursor = nextCursor;
    const more = h('button', {
      type: 'button',
      id: 'queue-more',
      hidden: cursor ? undefined : '',
      onclick: async () => {
        try {
          const reply = await api(`/v1/queues/${queue}?${query()}${query() ? '&' : ''}cursor=${encodeURIComponent(cursor ?? '')}`, { signal });
          for (const item of reply.items ?? []) body.append(row(item));
          cursor = reply.nextCursor ?? null;
          const count = body.children.length;
          shown.textContent = `${waiting} waiting, urgent first, then oldest first.${cursor ? ` Showing the first ${count}.` : ''}`;
          status.textContent = `${reply.items?.length ?? 0} more shown.`;
          if (!cursor) more.hidden = true;
        } catch (error) {
          if (!signal.aborted) showError(results, error);
        }
      },
    }, 'Show more');
    replace(
      results,
      shown,
      h(
        'div',
        { class: 'table-wrap', tabindex: '0', role: 'region', 'aria-label': `${humanise(queue)} queue` },
        h(
          'table',
          { id: 'queue', class: 'cases' },
          h('caption', { class: 'visually-hidden' }, `${humanise(queue)} queue`),
          h('thead', null, h('tr', null, ['Case', 'Urgent', 'Age against target', 'Waiting since'].map((t) => h('th', { scope: 'col' }, t)))),
          body,
        ),
      ),
      more,
    );
  }

  // Live: an alert event can make a case urgent (it moves to the top); the rest is read every 30 s.
  let pending = /** @type {ReturnType<typeof setTimeout> | undefined} */ (undefined);
  const unsubscribe = subscribe((event) => {
    if (event.kind !== 'signal' && event.kind !== 'changed') return;
    clearTimeout(pending);
    pending = setTimeout(() => void load(), 300);
  });
  const timer = setInterval(() => void load(), REFRESH_MS);
  signal.addEventListener('abort', () => {
    unsubscribe();
    clearInterval(timer);
    clearTimeout(pending);
  });
  await load();
}

/** @param {any} item */
function row(item) {
  return h(
    'tr',
    { 'data-referral-id': item.referralId, class: item.urgent ? 'urgent' : undefined },
    h('td', { 'data-label': 'Case' }, caseBlock(item)),
    h('td', { 'data-label': 'Urgent' }, item.urgent ? h('strong', { class: 'badge age-over' }, 'Urgent') : 'no'),
    h('td', { 'data-label': 'Age against target' }, ageBadge({ ...item, daysInStage: item.daysWaiting })),
    h('td', { 'data-label': 'Waiting since' }, formatTime(item.waitingSince)),
  );
}
