// @ts-check
/**
 * The manager's dashboard for a period: headline tiles (referrals received, open caseload, alerts acknowledged
 * within their deadline, queue breaches now), the trend by month, crime outcomes against the comparator,
 * re-offending and value for money, each with its definition a click away (<details>) and its own CSV; then
 * every headline figure as a table, and the value-for-money case study of one referral.
 */
import { api, downloadCsv } from '../api.js';
import { barChart } from '../charts.js';
import { append, h, humanise, replace } from '../dom.js';
import { field, showError, sectionError, tableWrap } from './common.js';
import { caseStudyPanel } from '../value-for-money.js';

const day = (/** @type {Date} */ d) => d.toISOString().slice(0, 10);
const pct = (/** @type {number | null | undefined} */ v) => (v === null || v === undefined ? 'n/a' : `${v}%`);
const money = (/** @type {number | null | undefined} */ v) => (v === null || v === undefined ? 'n/a' : `£${Math.round(v).toLocaleString('en-GB')}`);
const monthFormat = new Intl.DateTimeFormat('en-GB', { month: 'short', year: 'numeric', timeZone: 'UTC' });
const monthName = (/** @type {string} */ month) => monthFormat.format(Date.parse(`${month}-01T00:00:00Z`));

/** The statistics' sections, in page order: id, heading, CSV route (the period is appended). */
const sections = /** @type {const} */ ([
  ['trend', 'Trend by month', '/v1/stats/trend'],
  ['outcomes', 'Crime outcomes against the comparator', '/v1/stats/outcomes'],
  ['reoffending', 'Re-offending', '/v1/stats/reoffending'],
  ['vfm', 'Value for money', '/v1/stats/value-for-money'],
  ['headline', 'Every headline figure', '/v1/stats/headline'],
]);

/** @param {HTMLElement} main @param {AbortSignal} signal */
export async function statsView(main, signal) {
  const today = new Date();
  // Twelve whole months to today by default: the trend then reads as a year.
  const from = h('input', { type: 'date', name: 'from', required: true, value: day(new Date(Date.UTC(today.getUTCFullYear() - 1, today.getUTCMonth() + 1, 1))) });
  const to = h('input', { type: 'date', name: 'to', required: true, value: day(today) });
  const tiles = h('section', { 'aria-labelledby': 'tiles-h', id: 'tiles-section' }, h('h2', { id: 'tiles-h', class: 'visually-hidden' }, 'Headline'));
  /** @type {Record<string, HTMLElement>} */
  const boxes = Object.fromEntries(sections.map(([id]) => [id, h('section', { 'aria-labelledby': `${id}-h`, id: `${id}-section` })]));
  const period = () => `from=${/** @type {HTMLInputElement} */ (from).value}&to=${/** @type {HTMLInputElement} */ (to).value}`;
  replace(
    main,
    h('h1', null, 'Statistics'),
    h(
      'form',
      { class: 'row panel', onsubmit: (/** @type {SubmitEvent} */ e) => (e.preventDefault(), void load()) },
      field('From (first day)', from),
      field('To (last day)', to),
      h('div', { class: 'field' }, h('button', { type: 'submit', class: 'primary' }, 'Show')),
    ),
    tiles,
    sections.map(([id]) => boxes[id]),
    caseStudyPanel(signal),
  );

  async function load() {
    const p = period();
    const urls = [`/v1/stats/trend?${p}&by=month`, `/v1/stats/headline?${p}`, `/v1/stats/outcomes?${p}`, `/v1/stats/reoffending?${p}`, `/v1/stats/value-for-money?${p}`];
    for (const [id, text] of sections) replace(boxes[id], h('h2', { id: `${id}-h` }, text), h('p', { class: 'muted' }, 'Loading…'));
    const [trend, head, out, reoffending, vfm] = await Promise.allSettled(urls.map((u) => api(u, { signal })));
    if (signal.aborted) return;
    renderTiles(tiles, trend, head);
    /** @type {[string, PromiseSettledResult<any>, (section: HTMLElement, value: any) => void][]} */
    const parts = [
      ['trend', trend, renderTrend],
      ['outcomes', out, renderOutcomes],
      ['reoffending', reoffending, renderReoffending],
      ['vfm', vfm, renderValueForMoney],
      ['headline', head, renderHeadline],
    ];
    for (const [id, result, render] of parts) {
      const [, text, csv] = /** @type {(typeof sections)[number]} */ (sections.find((s) => s[0] === id));
      const box = boxes[id];
      replace(box, title(id, text, csv, p, box));
      if (result.status === 'fulfilled') render(box, result.value);
      else sectionError(box, null, result.reason);
    }
    document.body.dataset.dashboardReady = 'true';
  }
  void load();
}

/** A section's heading with its CSV download beside it. @param {string} id @param {string} text @param {string} csv @param {string} p @param {HTMLElement} box */
function title(id, text, csv, p, box) {
  const name = `${csv.split('/').pop()}-${p.replace(/[^0-9-]+/g, '_')}.csv`;
  const download = () => downloadCsv(`${csv}?${p}&format=csv`, name).catch((err) => showError(box.appendChild(h('div')), err));
  return h('div', { class: 'row section-head' }, h('h2', { id: `${id}-h` }, text), h('button', { type: 'button', onclick: download, 'aria-describedby': `${id}-h` }, 'Download CSV'));
}

/** @param {string} summary @param {...import('../dom.js').Child} body */
function definition(summary, ...body) {
  return h('details', { class: 'definition' }, h('summary', null, summary), ...body);
}

/** @param {HTMLElement} section @param {PromiseSettledResult<any>} trend @param {PromiseSettledResult<any>} head */
function renderTiles(section, trend, head) {
  const t = trend.status === 'fulfilled' ? trend.value : null;
  const hd = head.status === 'fulfilled' ? head.value : null;
  const acknowledged = t ? t.totals.alertsAcknowledgedInTime + t.totals.alertsAcknowledgedLate : 0;
  /** @param {string} id @param {string} value @param {string} label @param {string} meaning @param {'ok' | 'over' | null} [tone] */
  const tile = (id, value, label, meaning, tone = null) =>
    h('li', { class: `tile${tone ? ` tile-${tone}` : ''}`, id }, h('p', { class: 'tile-value' }, value), h('p', { class: 'tile-label' }, label), definition('What it counts', h('p', null, meaning)));
  replace(
    section,
    h('h2', { id: 'tiles-h', class: 'visually-hidden' }, 'Headline'),
    h(
      'ul',
      { class: 'tiles' },
      tile('tile-referrals', t ? String(t.totals.referralsReceived) : 'n/a', 'Referrals received in the period', 'Referrals first received between the two dates (a reopened case is not counted again).'),
      tile('tile-caseload', hd ? String(hd.activeCaseload.total) : 'n/a', 'Open caseload at the end of the period', 'Cases received and not closed on the last day of the period, whatever their stage.'),
      tile(
        'tile-alerts',
        t ? (acknowledged ? `${Math.round((t.totals.alertsAcknowledgedInTime / acknowledged) * 100)}%` : 'n/a') : 'n/a',
        t ? `Alerts acknowledged within their deadline (${t.totals.alertsAcknowledgedInTime} of ${acknowledged}; ${t.totals.alertsRaised} raised)` : 'Alerts acknowledged within their deadline',
        'Of the urgent alerts raised in the period and acknowledged, the share acknowledged before their first escalation fell due. An alert still open is not counted.',
        t && acknowledged ? (t.totals.alertsAcknowledgedLate ? 'over' : 'ok') : null,
      ),
      tile(
        'tile-breaches',
        t ? String(t.queueBreaches.total) : 'n/a',
        t ? `Queue breaches now (${Object.entries(t.queueBreaches.byQueue).filter(([, n]) => n).map(([q, n]) => `${humanise(q)} ${n}`).join(', ') || 'none'})` : 'Queue breaches now',
        'Referrals waiting in a stage queue (triage, screening, case discussion, reviews due) longer than that stage’s target, counted now rather than for the period.',
        t ? (t.queueBreaches.total ? 'over' : 'ok') : null,
      ),
    ),
    trend.status === 'rejected' ? h('div', null) : null,
  );
  if (trend.status === 'rejected') sectionError(/** @type {HTMLElement} */ (section.lastElementChild), null, trend.reason);
}

/** @param {HTMLElement} section @param {any} trend */
function renderTrend(section, trend) {
  /** @type {any[]} */
  const months = trend.months;
  append(section, [
    definition(
      'Definitions',
      h('p', null, 'Received: referrals first received in the month. Open at the end: cases not closed on the month’s last day. Alerts in time: acknowledged before their first escalation fell due. The first and last months are cut to the period.'),
    ),
    barChart('Referrals received and cases open at the end of each month', months.map((m) => ({ label: monthName(m.month), values: [m.referralsReceived, m.openAtEnd] })), { series: ['Received', 'Open at the end'], id: 'trend-chart' }),
    tableWrap(
      'Trend by month',
      h(
        'table',
        { id: 'trend' },
        h('thead', null, h('tr', null, ['Month', 'Received', 'Open at the end', 'Closed', 'Alerts raised', 'Acknowledged in time', 'Acknowledged late'].map((t) => h('th', { scope: 'col' }, t)))),
        h('tbody', null, months.map((m) => h('tr', null, h('th', { scope: 'row' }, monthName(m.month)), [m.referralsReceived, m.openAtEnd, m.closed, m.alertsRaised, m.alertsAcknowledgedInTime, m.alertsAcknowledgedLate].map((v) => h('td', null, String(v)))))),
      ),
    ),
  ]);
}

/** @param {HTMLElement} section @param {any} stats */
function renderOutcomes(section, stats) {
  const groups = [{ problemBehaviour: 'All', ...stats.overall }, ...(stats.byProblemBehaviour ?? [])];
  const c = stats.comparator;
  append(section, [
    definition(
      'Definitions',
      h('p', null, 'Crimes of the unit’s cases given a Home Office outcome in the period. Charged or summonsed: outcome 1; cautioned: outcomes 2 and 3; victim withdrawal: outcome 16 (the victim withdraws support). A later outcome for the same crime replaces the earlier one.'),
      c ? h('p', null, `Comparator: ${c.label}, as configured for this engine (HRU_OUTCOME_COMPARATOR).`) : h('p', null, 'No comparator is configured (HRU_OUTCOME_COMPARATOR).'),
    ),
    c
      ? barChart(
          `The unit (all crimes) against ${c.label}, % of crimes with an outcome`,
          [
            { label: 'Charged or summonsed', values: [stats.overall.chargedPct ?? null, c.chargedPct] },
            { label: 'Cautioned', values: [stats.overall.cautionedPct ?? null, c.cautionedPct] },
            ...(c.victimWithdrawalPct !== undefined ? [{ label: 'Victim withdrawal', values: [stats.overall.victimWithdrawalPct ?? null, c.victimWithdrawalPct] }] : []),
          ],
          { unit: '%', max: 100, series: ['The unit', c.label], id: 'comparator-chart' },
        )
      : null,
    tableWrap(
      'Crime outcomes by problem behaviour',
      h(
        'table',
        { id: 'outcomes' },
        h('thead', null, h('tr', null, ['Group', 'Crimes with an outcome', 'Charged or summonsed', 'Cautioned', 'Victim withdrawal'].map((t) => h('th', { scope: 'col' }, t)))),
        h(
          'tbody',
          null,
          groups.map((g) => h('tr', null, h('th', { scope: 'row' }, humanise(String(g.problemBehaviour))), h('td', null, String(g.crimes ?? 0)), h('td', null, `${g.chargedOrSummonsed ?? 0} (${pct(g.chargedPct)})`), h('td', null, `${g.cautioned ?? 0} (${pct(g.cautionedPct)})`), h('td', null, `${g.victimWithdrawal ?? 0} (${pct(g.victimWithdrawalPct)})`))),
          c ? h('tr', null, h('th', { scope: 'row' }, c.label), h('td', null, '—'), h('td', null, pct(c.chargedPct)), h('td', null, pct(c.cautionedPct)), h('td', null, pct(c.victimWithdrawalPct))) : null,
        ),
      ),
    ),
  ]);
}

/** @param {HTMLElement} section @param {any} stats */
function renderReoffending(section, stats) {
  const a = stats.afterInterventionStart;
  const t = stats.afterCompletedTherapeuticIntervention;
  const row = (/** @type {string} */ label, /** @type {any} */ r) =>
    h('tr', null, h('th', { scope: 'row' }, label), h('td', null, String(r.cohort)), h('td', null, `${r.reoffended} (${pct(r.reoffendedPct)})`), h('td', null, `${r.sameVictim} (${pct(r.sameVictimPct)})`), h('td', null, `${r.newVictim} (${pct(r.newVictimPct)})`), h('td', null, String(r.stillInFollowUp)));
  append(section, [
    h('p', { class: 'lead', id: 'reoffending-lead' }, a.cohort ? `${pct(a.reoffendedPct)} of ${a.cohort} case${a.cohort === 1 ? '' : 's'} re-offended within ${stats.windowMonths} months of the intervention starting.` : 'No intervention started in the period.'),
    definition(
      'Definitions',
      h('p', null, `The cohort: referrals whose intervention started in the period. Re-offended: the same suspect (the same pseudonymous party) is the subject of a new referral within ${stats.windowMonths} months of the start; same victim or a new victim by the first such referral. Still in follow-up: not re-offended yet and the window has not ended by ${stats.asOf}. The second row counts from a completed therapeutic intervention instead.`),
    ),
    tableWrap(
      'Re-offending',
      h(
        'table',
        { id: 'reoffending' },
        h('thead', null, h('tr', null, ['Counted from', 'Cohort', 'Re-offended', 'Same victim', 'New victim', 'Still in follow-up'].map((x) => h('th', { scope: 'col' }, x)))),
        h('tbody', null, row('Intervention start', a), (a.byProblemBehaviour ?? []).map((/** @type {any} */ r) => row(`… ${humanise(r.problemBehaviour)}`, r)), row('Completed therapy', t)),
      ),
    ),
  ]);
}

/** @param {HTMLElement} section @param {any} v */
function renderValueForMoney(section, v) {
  append(section, [
    h('p', { class: 'lead', id: 'vfm-lead' }, v.benefitCostRatio === null ? `No staff time logged for the cohort yet: no ratio (costs avoided ${money(v.costsAvoided)}).` : `Each £1 of staff time avoided about £${v.benefitCostRatio} of harm (${money(v.costsAvoided)} avoided against ${money(v.costOfIntervention)}).`),
    definition(
      'Definitions',
      h('p', null, 'Cost of the intervention: the staff time logged on the cohort’s referrals, priced per agency (other costs, such as commissioned treatment, are not in it). Costs avoided: re-offenders expected at the baseline re-offending rate, less those observed in the same window, each counted as one crime priced for its problem behaviour (which understates persistent offenders; a negative figure means more re-offending than the baseline). The best and worst cases take the low and high ends of the baseline range and the problem behaviour’s harm mix; the ratio divides costs avoided by the cost of the intervention. Prices are in the reporting year’s pounds. Every line of the CSV names its source.'),
    ),
    tableWrap(
      'Value for money by scenario',
      h(
        'table',
        { id: 'vfm' },
        h('thead', null, h('tr', null, ['Scenario', 'Baseline re-offending', 'Costs avoided', 'Benefit/cost ratio'].map((x) => h('th', { scope: 'col' }, x)))),
        h(
          'tbody',
          null,
          h('tr', null, h('th', { scope: 'row' }, 'The cohort'), h('td', null, '—'), h('td', null, money(v.costsAvoided)), h('td', null, v.benefitCostRatio === null ? 'n/a' : `×${v.benefitCostRatio}`)),
          (v.scenarios ?? []).map((/** @type {any} */ s) => {
            const total = s.ratios.find((/** @type {any} */ r) => r.of === 'total');
            return h('tr', null, h('th', { scope: 'row' }, humanise(s.scenario)), h('td', null, pct(s.baselineReoffendingPct)), h('td', null, money(s.total)), h('td', null, total?.ratio === null || total === undefined ? 'n/a' : `×${total.ratio}`));
          }),
        ),
      ),
    ),
  ]);
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
    byBehaviour.length ? barChart('Open caseload at the end of the period by problem behaviour', byBehaviour.map(([k, n]) => ({ label: humanise(k), values: [Number(n)] })), { id: 'caseload-chart' }) : null,
    h(
      'details',
      { class: 'definition' },
      h('summary', null, `All ${rows.length} headline figures`),
      tableWrap('Headline figures', h('table', { id: 'headline' }, h('thead', null, h('tr', null, h('th', { scope: 'col' }, 'Statistic'), h('th', { scope: 'col' }, 'Value'))), h('tbody', null, rows.map(([k, v]) => h('tr', null, h('th', { scope: 'row' }, k), h('td', null, v === null ? 'n/a' : String(v))))))),
    ),
  ]);
}
