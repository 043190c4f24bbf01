// @ts-check
/** The unit's headline statistics and crime outcomes for a period: numbers, simple charts, CSV downloads. */
import { api, downloadCsv } from '../api.js';
import { barChart } from '../charts.js';
import { append, h, humanise, replace } from '../dom.js';
import { field, showError, sectionError } from './common.js';
import { caseStudyPanel } from '../value-for-money.js';

const day = (/** @type {Date} */ d) => d.toISOString().slice(0, 10);

/** @param {HTMLElement} main @param {AbortSignal} signal */
export async function statsView(main, signal) {
  const today = new Date();
  const from = h('input', { type: 'date', name: 'from', required: true, value: day(new Date(Date.UTC(today.getUTCFullYear() - 1, today.getUTCMonth(), today.getUTCDate() + 1))) });
  const to = h('input', { type: 'date', name: 'to', required: true, value: day(today) });
  const headline = h('section', { 'aria-labelledby': 'headline-h' });
  const outcomes = h('section', { 'aria-labelledby': 'outcomes-h' });
  const period = () => `from=${/** @type {HTMLInputElement} */ (from).value}&to=${/** @type {HTMLInputElement} */ (to).value}`;
  replace(
    main,
    h('h1', null, 'Statistics'),
    h(
      'form',
      {
        class: 'row panel',
        onsubmit: (/** @type {SubmitEvent} */ e) => {
          e.preventDefault();
          void load();
        },
      },
      field('From (first day)', from),
      field('To (last day)', to),
      h('div', { class: 'field' }, h('button', { type: 'submit', class: 'primary' }, 'Show')),
    ),
    headline,
    outcomes,
    caseStudyPanel(signal),
  );

  async function load() {
    const p = period();
    const [head, out] = await Promise.allSettled([api(`/v1/stats/headline?${p}`, { signal }), api(`/v1/stats/outcomes?${p}`, { signal })]);
    if (signal.aborted) return;
    const title = (/** @type {string} */ id, /** @type {string} */ text, /** @type {string} */ csv) =>
      h('div', { class: 'row' }, h('h2', { id }, text), h('button', { type: 'button', onclick: (/** @type {MouseEvent} */ e) => downloadCsv(`${csv}?${p}&format=csv`, `${csv.split('/').pop()}-${p.replace(/[^0-9-]+/g, '_')}.csv`).catch((err) => showError(/** @type {HTMLElement} */ (e.target).parentElement ?? main, err)) }, 'Download CSV'));
    replace(headline, title('headline-h', 'Headline statistics', '/v1/stats/headline'));
    if (head.status === 'fulfilled') renderHeadline(headline, head.value);
    else sectionError(headline, null, head.reason);
    replace(outcomes, title('outcomes-h', 'Crime outcomes', '/v1/stats/outcomes'));
    if (out.status === 'fulfilled') renderOutcomes(outcomes, out.value);
    else sectionError(outcomes, null, out.reason);
  }
  void load();
}


/** Every number in the reply, labelled by its path: new statistics appear without a console change. */
function flatten(/** @type {any} */ value, prefix = '') {
  /** @type {[string, unknown][]} */
  const out = [];
  for (const [k, v] of Object.entries(value ?? {})) {
    const label = prefix ? `${prefix} › ${humanise(k)}` : humanise(k);
    if (v !== null && typeof v === 'object' && !Array.isArray(v)) out.push(...flatten(v, label));
    else out.push([label, v]);
  }
  return out;
}

/** @param {HTMLElement} section @param {any} stats */
function renderHeadline(section, stats) {
  const rows = flatten(stats).filter(([k]) => k !== 'From' && k !== 'To');
  const byBehaviour = Object.entries(stats.activeCaseload?.byProblemBehaviour ?? {});
  append(section, [
    h('div', { class: 'table-wrap' }, h('table', { id: 'headline' }, h('thead', null, h('tr', null, h('th', { scope: 'col' }, 'Statistic'), h('th', { scope: 'col' }, 'Value'))), h('tbody', null, rows.map(([k, v]) => h('tr', null, h('th', { scope: 'row' }, k), h('td', null, v === null ? 'n/a' : String(v))))))),
    byBehaviour.length ? [h('h3', null, 'Active caseload by problem behaviour'), barChart('Active caseload by problem behaviour', byBehaviour.map(([k, n]) => ({ label: humanise(k), values: [Number(n)] })))] : null,
  ]);
}

/** @param {HTMLElement} section @param {any} stats */
function renderOutcomes(section, stats) {
  const groups = [{ problemBehaviour: 'All', ...stats.overall }, ...(stats.byProblemBehaviour ?? [])];
  const pct = (/** @type {number | null | undefined} */ v) => (v === null || v === undefined ? 'n/a' : `${v}%`);
  append(section, [
    h(
      'div',
      { class: 'table-wrap' },
      h(
        'table',
        { id: 'outcomes' },
        h('thead', null, h('tr', null, ['Group', 'Crimes with an outcome', 'Charged or summonsed', 'Cautioned', 'Victim withdrawal'].map((t) => h('th', { scope: 'col' }, t)))),
        h('tbody', null, groups.map((g) => h('tr', null, h('th', { scope: 'row' }, humanise(String(g.problemBehaviour))), h('td', null, String(g.crimes ?? 0)), h('td', null, `${g.chargedOrSummonsed ?? 0} (${pct(g.chargedPct)})`), h('td', null, `${g.cautioned ?? 0} (${pct(g.cautionedPct)})`), h('td', null, `${g.victimWithdrawal ?? 0} (${pct(g.victimWithdrawalPct)})`)))),
      ),
    ),
    stats.comparator ? h('p', null, `Comparator: ${Object.entries(stats.comparator).map(([k, v]) => `${humanise(k)} ${v}`).join(', ')}`) : null,
    h('h3', null, 'Charged and cautioned, % of crimes'),
    h('p', { class: 'legend' }, h('span', null, h('span', { class: 'swatch' }), 'Charged or summonsed'), h('span', null, h('span', { class: 'swatch second' }), 'Cautioned')),
    barChart('Charged or summonsed and cautioned, percent of crimes with an outcome', groups.map((g) => ({ label: humanise(String(g.problemBehaviour)), values: [g.chargedPct ?? null, g.cautionedPct ?? null] })), { unit: '%', max: 100 }),
  ]);
}
