// @ts-check
/**
 * The referral page's "Legal measures" section: each measure with its status in words, its facts, its steps
 * (times on the London clock, labelled so) and breaches; then the referral's clocks with their countdowns,
 * unmet ones first. The data is the referral's own state (GET /v1/referrals/:id), so it is as current as the page.
 */
import { h, humanise, plain } from '../dom.js';
import { calendarDay, countdown, countdownBadge, deadlineKindName, londonTimeElement, measureKindName, LONDON } from '../clocks.js';

/**
 * @typedef {{ step: string, at: string, recordedAt: string, note: string | null }} StepItem
 * @typedef {{ measureId: string, kind: string, status: string, facts: Record<string, unknown>, steps: StepItem[],
 *   breaches: { breachOn: string, crimeReference: string, at: string }[] }} MeasureItem
 * @typedef {{ deadlineId: string, kind: string, clock: string, measureId: string | null, owner: string, triggerAt: string,
 *   dueAt: string, warnAt: string | null, status: string, warnedAt: string | null, missedAt: string | null,
 *   closedAt: string | null, late: boolean, version: number }} DeadlineItem
 */

/** Machine states whose words alone would mislead (`none` before the first step). @type {Record<string, string>} */
const statusWords = {
  none: 'Not started',
  notification_due: 'Served: the subject must notify the police',
  notification_missed: 'Served: the subject did not notify in time',
};

/** @param {string} status */
export function measureStatusWords(status) {
  return statusWords[status] ?? humanise(status);
}

/** @param {any} referral */
export function measuresSection(referral) {
  /** @type {MeasureItem[]} */
  const measures = referral.measures ?? [];
  /** @type {DeadlineItem[]} */
  const deadlines = referral.deadlines ?? [];
  const now = Date.now();
  return h(
    'section',
    { 'aria-labelledby': 'measures-h', id: 'measures' },
    h('h2', { id: 'measures-h' }, 'Legal measures'),
    h('p', { class: 'muted' }, `Times are ${LONDON} (UK local time: GMT in winter, BST in summer).`),
    measures.length === 0
      ? h('p', { id: 'no-measures' }, 'None recorded. Record one with the measure commands below (for example “Record SPO”).')
      : measures.map((m) => measureCard(m, deadlines.filter((d) => d.measureId === m.measureId), now)),
    h('h3', { id: 'clocks-h' }, 'Clocks'),
    deadlines.length === 0 ? h('p', { id: 'no-clocks' }, 'No clocks running or run on this referral.') : clockTable(deadlines, now),
  );
}

/** @param {MeasureItem} m @param {DeadlineItem[]} clocks @param {number} now */
function measureCard(m, clocks, now) {
  const facts = Object.entries(m.facts ?? {}).filter(([, v]) => v !== undefined);
  const open = clocks.filter((d) => d.status === 'open' || d.status === 'missed');
  const headingId = `measure-${m.measureId}-h`;
  return h(
    'article',
    { class: 'measure panel', 'aria-labelledby': headingId, 'data-measure-id': m.measureId, 'data-kind': m.kind },
    h('h3', { id: headingId }, `${measureKindName(m.kind)} `, h('span', { class: 'muted' }, `(${m.measureId})`)),
    h(
      'dl',
      { class: 'facts' },
      h('dt', null, 'Status'), h('dd', { class: 'measure-status' }, measureStatusWords(m.status)),
      facts.map(([k, v]) => [h('dt', null, humanise(k)), h('dd', null, factWords(k, v))]),
      open.length ? [h('dt', null, 'Open clocks'), h('dd', null, open.map((d) => h('span', { class: 'clock-inline' }, `${deadlineKindName(d.kind)}: `, countdownBadge(d, now))))] : null,
    ),
    h('h4', null, 'Steps'),
    h(
      'ol',
      { class: 'steps' },
      m.steps.map((s) =>
        h(
          'li',
          null,
          h('strong', null, humanise(s.step)),
          ' on ',
          londonTimeElement(s.at),
          s.recordedAt && s.recordedAt !== s.at ? h('span', { class: 'muted' }, ' (recorded ', londonTimeElement(s.recordedAt), ')') : null,
          s.note ? h('p', { class: 'note' }, 'Note: ', s.note) : null,
        ),
      ),
    ),
    m.breaches?.length
      ? [
          h('h4', null, 'Breaches'),
          h('ul', { class: 'breaches' }, m.breaches.map((b) => h('li', null, `Breached on ${calendarDay(b.breachOn)}, crime ${b.crimeReference} (recorded `, londonTimeElement(b.at), ')'))),
        ]
      : null,
  );
}

/** @param {string} key @param {unknown} value */
function factWords(key, value) {
  if (key === 'endsOn' && value === null) return 'Until further order';
  if (typeof value === 'string' && /^[a-z_]+$/.test(value)) return humanise(value);
  if (typeof value === 'string' && /^\d{4}-\d{2}-\d{2}T/.test(value)) return londonTimeElement(value);
  if (typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value)) return calendarDay(value);
  return plain(value);
}

/** Unmet first (soonest due at the top), then the rest, latest first. @param {DeadlineItem[]} deadlines @param {number} now */
function clockTable(deadlines, now) {
  const unmet = deadlines.filter((d) => d.status === 'open' || d.status === 'missed').sort((a, b) => Date.parse(a.dueAt) - Date.parse(b.dueAt));
  const done = deadlines.filter((d) => !unmet.includes(d)).sort((a, b) => Date.parse(b.dueAt) - Date.parse(a.dueAt));
  return h(
    'div',
    { class: 'table-wrap', 'aria-label': 'Clocks' },
    h(
      'table',
      { id: 'clocks' },
      h('caption', { class: 'visually-hidden' }, 'Clocks of this referral: unmet first'),
      h('thead', null, h('tr', null, ['State', 'Clock', 'Measure', 'Started', 'Due at', 'Owner'].map((t) => h('th', { scope: 'col' }, t)))),
      h(
        'tbody',
        null,
        [...unmet, ...done].map((d) =>
          h(
            'tr',
            { 'data-deadline-id': d.deadlineId, class: countdown(d, now).overdue ? 'overdue' : undefined },
            h('td', null, countdownBadge(d, now), d.warnedAt && (d.status === 'open') ? h('span', { class: 'muted small' }, h('br'), 'Owner warned') : null),
            h('td', null, deadlineKindName(d.kind), h('span', { class: 'muted small' }, h('br'), `${d.deadlineId}${d.version > 1 ? `, moved (version ${d.version})` : ''}`)),
            h('td', null, d.measureId ?? 'The case'),
            h('td', null, londonTimeElement(d.triggerAt)),
            h('td', null, londonTimeElement(d.dueAt)),
            h('td', null, humanise(d.owner)),
          ),
        ),
      ),
    ),
  );
}
