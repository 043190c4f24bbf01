// @ts-check
/**
 * The value-for-money case study of one referral, on the Statistics page: the seed's table ("what could have
 * happened (costs avoided)") with each ratio beside the two figures it is made of, and a CSV download.
 */
import { api, downloadCsv, session } from './api.js';
import { append, h, humanise, replace } from './dom.js';
import { field, sectionError, showError } from './views/common.js';

const readers = ['supervisor', 'officer', 'auditor'];
const money = (/** @type {number} */ v) => `£${v.toLocaleString('en-GB', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;

/** The case-study panel; empty for roles that may not read case studies. @param {AbortSignal} signal */
export function caseStudyPanel(signal) {
  const section = h('section', { 'aria-labelledby': 'case-study-h' });
  if (!session.hasRole(...readers)) return section;
  const id = h('input', { name: 'caseStudyReferralId', required: true, pattern: 'ref-[0-9a-f]{32}', title: 'ref- and 32 hexadecimal digits', size: '40', placeholder: 'ref-…' });
  const result = h('div', { 'aria-live': 'polite' });
  const referralId = () => /** @type {HTMLInputElement} */ (id).value.trim();
  const show = async () => {
    try {
      const study = await api(`/v1/referrals/${referralId()}/value-for-money`, { signal });
      if (!signal.aborted) renderCaseStudy(result, study);
    } catch (error) {
      if (!signal.aborted) sectionError(result, null, error);
    }
  };
  append(section, [
    h('h2', { id: 'case-study-h' }, 'Value for money: case study'),
    h(
      'form',
      { class: 'row panel', onsubmit: (/** @type {SubmitEvent} */ e) => (e.preventDefault(), void show()) },
      field('Case study of referral', id),
      h('div', { class: 'field' }, h('button', { type: 'submit', class: 'primary' }, 'Show')),
      h(
        'div',
        { class: 'field' },
        h('button', { type: 'button', onclick: () => downloadCsv(`/v1/referrals/${referralId()}/value-for-money?format=csv`, `value-for-money-${referralId()}.csv`).catch((err) => showError(result, err)) }, 'Download CSV'),
      ),
    ),
    result,
  ]);
  return section;
}

/** @param {HTMLElement} box @param {any} study */
function renderCaseStudy(box, study) {
  replace(
    box,
    h('p', null, `Cost of the intervention (staff time logged on the case): ${money(study.costOfIntervention)}. Costs avoided in ${study.reportingYear} prices.`),
    study.scenarios.length === 0 ? h('p', null, 'No harms are recorded for this case study yet (command: record counterfactual harm).') : null,
    study.scenarios.map((/** @type {any} */ s) => {
      const ratioOf = (/** @type {string} */ of) => s.ratios.find((/** @type {any} */ r) => r.of === of);
      const ratioText = (/** @type {any} */ r) => (r.ratio === null ? 'n/a (no time logged)' : `×${r.ratio} (${money(r.costsAvoided)} / ${money(r.costOfIntervention)})`);
      return h(
        'div',
        { class: 'table-wrap' },
        h(
          'table',
          null,
          h('caption', null, `${humanise(s.scenario)}: what could have happened (costs avoided)`),
          h('thead', null, h('tr', null, ['Harm', 'Perspective', 'Probability', '£', 'Benefit/cost ratio'].map((t) => h('th', { scope: 'col' }, t)))),
          h(
            'tbody',
            null,
            s.rows.map((/** @type {any} */ r) => h('tr', null, h('th', { scope: 'row' }, `${r.harmId} ${humanise(r.harm)}`), h('td', null, humanise(r.perspective)), h('td', null, String(r.probability)), h('td', null, money(r.value)), h('td'))),
            s.totals.map((/** @type {any} */ t) => h('tr', null, h('th', { scope: 'row' }, `Total costs to ${t.perspective}`), h('td'), h('td'), h('td', null, money(t.value)), h('td', null, ratioText(ratioOf(t.perspective))))),
            h('tr', null, h('th', { scope: 'row' }, 'Total costs'), h('td'), h('td'), h('td', null, money(s.total)), h('td', null, ratioText(ratioOf('total')))),
          ),
        ),
      );
    }),
  );
}
