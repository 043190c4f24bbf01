// @ts-check
/** The stage queues: each row's age against the stage's target, in words and colour; filters by behaviour and owner. */
import { api, downloadCsv } from '../api.js';
import { formatTime, h, humanise, replace } from '../dom.js';
import { field, showError } from './common.js';

const queues = ['triage', 'screening', 'awaiting_case_discussion', 'reviews_due'];
const behaviours = ['stalking', 'serial_domestic_abuse', 'sexual_violence', 'querulance'];
/** A row past this share of its target is "near" the target. */
const NEAR = 0.75;

/** @param {HTMLElement} main @param {AbortSignal} signal @param {string} [queue] */
export async function queuesView(main, signal, queue = 'triage') {
  if (!queues.includes(queue)) queue = 'triage';
  const params = new URLSearchParams(location.hash.split('?')[1] ?? '');
  const behaviour = h('select', { name: 'problemBehaviour' }, h('option', { value: '' }, 'All'), behaviours.map((b) => h('option', { value: b, selected: params.get('problemBehaviour') === b }, humanise(b))));
  const owner = h('input', { name: 'owner', value: params.get('owner') ?? '', placeholder: 'staff user name', size: '16' });
  const results = h('div', { 'aria-live': 'polite' });
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
    h('nav', { 'aria-label': 'Queues' }, h('ul', { class: 'actions' }, queues.map((name) => h('li', null, h('a', { class: `button${name === queue ? ' primary' : ''}`, href: `#/queues/${name}`, 'aria-current': name === queue ? 'page' : undefined }, humanise(name)))))),
    h(
      'form',
      {
        class: 'row panel',
        onsubmit: (/** @type {SubmitEvent} */ e) => {
          e.preventDefault();
          void load();
        },
      },
      field('Problem behaviour', behaviour),
      field('Owner', owner),
      h('div', { class: 'field' }, h('button', { type: 'submit', class: 'primary' }, 'Filter')),
      h('div', { class: 'field' }, h('button', { type: 'button', onclick: () => downloadCsv(`/v1/queues/${queue}?format=csv&${query()}`, `queue-${queue}.csv`).catch((e) => showError(results, e)) }, 'Download CSV')),
    ),
    results,
  );

  async function load() {
    try {
      const reply = await api(`/v1/queues/${queue}?${query()}`, { signal });
      render(reply.items ?? []);
    } catch (error) {
      if (!signal.aborted) showError(results, error);
    }
  }

  /** @param {any[]} items */
  function render(items) {
    if (items.length === 0) return replace(results, h('p', { id: 'queue-empty' }, `Nothing waiting in ${humanise(queue).toLowerCase()}.`));
    replace(
      results,
      h('p', null, `${items.length} waiting, urgent first, then oldest first.`),
      h(
        'div',
        { class: 'table-wrap' },
        h(
          'table',
          { id: 'queue' },
          h('caption', { class: 'visually-hidden' }, `${humanise(queue)} queue`),
          h('thead', null, h('tr', null, ['Referral', 'Problem behaviour', 'Owner', 'Urgent', 'Waiting since', 'Age against target'].map((t) => h('th', { scope: 'col' }, t)))),
          h('tbody', null, items.map(row)),
        ),
      ),
    );
  }

  void load();
}

/** @param {any} item */
function row(item) {
  const share = item.targetDays > 0 ? item.daysWaiting / item.targetDays : item.daysWaiting > 0 ? Infinity : 0;
  const state = item.overTarget ? 'over' : share >= NEAR ? 'near' : 'ok';
  const words = { over: 'Over target', near: 'Near target', ok: 'Within target' }[state];
  const days = (/** @type {number} */ n) => `${n} ${n === 1 ? 'day' : 'days'}`;
  return h(
    'tr',
    { 'data-referral-id': item.referralId },
    h('td', null, h('a', { href: `#/referral/${item.referralId}` }, item.referralId)),
    h('td', null, humanise(item.problemBehaviour)),
    h('td', null, item.ownerSub ?? 'unassigned'),
    h('td', null, item.urgent ? h('strong', null, 'Urgent') : 'no'),
    h('td', null, formatTime(item.waitingSince)),
    h('td', null, h('span', { class: `badge age-${state}` }, `${words}: ${days(item.daysWaiting)} of ${days(item.targetDays)}`)),
  );
}
