// @ts-check
/**
 * One perpetrator across their referrals, after the user states why (sent as X-Justification and written to the
 * access log of each referral): the RFG(V) score with each incident's contribution, the referrals (victims as V1,
 * V2… never names), incidents by month, measures' clocks, tasking decisions; and, for police roles, linking another
 * party id as the same person or taking a link back (reversible and recorded).
 */
import { api, session } from '../api.js';
import { h, humanise, replace } from '../dom.js';
import { askWhy, field, showError } from './common.js';

/** Reasons per perpetrator for this tab: stated once, sent with every read. */
const reasons = new Map();

/** @type {import('./common.js').WhyQuestion} */
const perpetratorQuestion = {
  store: reasons,
  title: 'Why do you need this perpetrator’s history?',
  text: 'It joins their referrals across cases. Your reason is recorded in the access log of each referral (Data Protection Act 2018, section 62).',
  hint: 'For example: preparing the tasking meeting.',
  button: 'Show the perpetrator',
};

/** @param {string} caption @param {string[]} headers @param {unknown[][]} rows */
function table(caption, headers, rows) {
  if (rows.length === 0) return h('p', { class: 'muted' }, 'None.');
  return h(
    'div',
    { class: 'table-wrap' },
    h('table', null, h('caption', { class: 'visually-hidden' }, caption), h('thead', null, h('tr', null, headers.map((c) => h('th', { scope: 'col' }, c)))),
      h('tbody', null, rows.map((cells) => h('tr', null, cells.map((c, i) => h('td', { 'data-label': headers[i] }, /** @type {any} */ (c))))))),
  );
}

/** @param {HTMLElement} main @param {AbortSignal} signal @param {string} partyId */
export async function perpetratorView(main, signal, partyId) {
  const gate = h('div');
  const body = h('div', { id: 'perpetrator-body' });
  replace(main, h('h1', null, `Perpetrator ${partyId}`), gate, body);
  const justification = await askWhy(gate, partyId, perpetratorQuestion);
  if (signal.aborted) return;
  /** @type {any} */
  let p;
  try {
    p = await api(`/v1/perpetrators/${partyId}`, { justification, signal });
  } catch (error) {
    if (!signal.aborted) showError(body, error);
    return;
  }
  const s = p.score;
  replace(
    body,
    p.linkedPartyIds.length ? h('p', null, `Also recorded as: ${p.linkedPartyIds.join(', ')}`) : null,
    h('section', { 'aria-labelledby': 'rfg-h' },
      h('h2', { id: 'rfg-h' }, 'RFG(V) score'),
      s
        ? h('p', { id: 'rfg-score' }, h('strong', null, String(s.score)), ` — recency ${s.recency}, frequency ${s.frequency}, gravity ${s.gravity}, victims ${s.victims} (configuration ${p.configVersion}). ${s.incidentsInWindow} incidents in the window, ${s.distinctVictims} victims.`)
        : h('p', null, 'Not scored.'),
      s ? table('What each incident contributed', ['Referral', 'Crime on', 'In window', 'Gravity', 'Parts'], s.explanation.map((/** @type {any} */ c) => [
        h('a', { href: `#/referral/${c.referralId}` }, c.referralId), c.on, c.inWindow ? 'yes' : 'no', String(c.gravity),
        [`behaviour ${c.parts.behaviour}`, ...Object.entries(c.parts.indicators).map(([k, v]) => `${humanise(k)} ${v}`), c.parts.offence ? `offence ${c.parts.offence.code} ${c.parts.offence.points}` : ''].filter(Boolean).join(', '),
      ])) : null),
    h('section', { 'aria-labelledby': 'refs-h' },
      h('h2', { id: 'refs-h' }, `Referrals (${p.referrals.length}), ${p.distinctVictims} victims`),
      table('Referrals', ['Referral', 'Crime on', 'Behaviour', 'Victims', 'Indicators', 'Risk', 'Formulation', 'Plan', 'Charged', 'Open alerts', 'Closed'], p.referrals.map((/** @type {any} */ r) => [
        h('a', { href: `#/referral/${r.referralId}` }, r.referralId), r.crimeOn, humanise(r.problemBehaviour), r.victims.join(', '), r.indicators.map(humanise).join(', ') || '—',
        r.latestRisk ? `${r.latestRisk.assessmentId} ${r.latestRisk.assessedOn ?? ''}` : '—', r.latestFormulation ? humanise(r.latestFormulation.stalkerType ?? '') : '—',
        r.planAgreedOn ?? '—', r.chargedOn ?? '—', String(r.openAlerts), r.closed ? 'yes' : 'no',
      ]))),
    h('section', { 'aria-labelledby': 'months-h' }, h('h2', { id: 'months-h' }, 'Incidents by month'),
      table('Incidents by month', ['Month', 'Behaviour', 'Incidents'], p.incidentsByMonth.map((/** @type {any} */ m) => [m.month, humanise(m.problemBehaviour), String(m.count)]))),
    h('section', { 'aria-labelledby': 'measures-h' }, h('h2', { id: 'measures-h' }, 'Measures and their clocks'),
      table('Open clocks', ['Referral', 'Clock', 'Measure', 'Due', 'Status'], p.activeMeasures.map((/** @type {any} */ m) => [m.referralId, humanise(m.kind), m.measureKind ?? '—', m.dueAt, m.status]))),
    h('section', { 'aria-labelledby': 'outcomes-h' }, h('h2', { id: 'outcomes-h' }, 'Outcomes'),
      h('p', null, `Charged in ${p.outcomes.charged} referral(s). ${p.outcomes.reoffendedAfterFirstPlan === null ? 'No management plan yet.' : p.outcomes.reoffendedAfterFirstPlan ? 'A crime was recorded after the first plan.' : 'No crime recorded since the first plan.'} Open alerts: ${p.openAlerts}.`)),
    h('section', { 'aria-labelledby': 'decisions-h' }, h('h2', { id: 'decisions-h' }, 'Tasking decisions'),
      p.decisions.at(-1)?.decision === 'adopt' && !p.referrals.some((/** @type {any} */ r) => r.planAgreedOn)
        ? h('p', { class: 'warning', id: 'plan-hint' }, 'Adopted for targeting, and no plan yet: agree one on a referral (its Agree management plan command). The decision does not act on its own.')
        : null,
      table('Tasking decisions', ['Meeting', 'Decision', 'Score shown', 'Configuration', 'Attendees'], p.decisions.map((/** @type {any} */ d) => [
        d.meetingOn, humanise(d.decision), String(d.score), d.configVersion, d.attendees.map((/** @type {any} */ a) => `${a.agency} ${a.count}`).join(', '),
      ]))),
    session.hasRole('supervisor', 'officer') ? linkForms(p) : null,
  );

  /** @param {any} p */
  function linkForms(p) {
    const other = h('input', { name: 'samePersonAs', required: true, pattern: 'pty-[0-9a-f]{24}', size: '30', placeholder: 'pty-…' });
    const why = h('textarea', { name: 'reason', required: true, rows: '2', maxlength: '4000' });
    const status = h('div', { 'aria-live': 'polite' });
    /** @param {'link' | 'unlink'} what */
    const send = async (what) => {
      try {
        await api(`/v1/perpetrators/commands/${what}-parties`, {
          method: 'POST',
          body: { partyId: p.partyId, samePersonAs: /** @type {HTMLInputElement} */ (other).value.trim(), reason: /** @type {HTMLTextAreaElement} */ (why).value },
          signal,
        });
        replace(status, h('p', { class: 'success' }, what === 'link' ? 'Linked: the ranking counts them as one person.' : 'Link taken back.'));
      } catch (error) {
        if (!signal.aborted) showError(status, error);
      }
    };
    return h('section', { 'aria-labelledby': 'link-h' },
      h('h2', { id: 'link-h' }, 'Same person under another id'),
      h('form', { class: 'panel', onsubmit: (/** @type {SubmitEvent} */ e) => { e.preventDefault(); void send('link'); } },
        field('Party id', other, 'The other id (from another source system) of this same person'),
        field('Why', why, 'Recorded, with who and when; kept under personal data.'),
        h('div', { class: 'row' },
          h('button', { type: 'submit', class: 'primary' }, 'Link as the same person'),
          h('button', { type: 'button', onclick: () => void send('unlink') }, 'Take a link back')),
        status));
  }
}
