// @ts-check
/**
 * The tasking meeting: the top of the RFG(V) ranking for a meeting date, with what happened since the last meeting
 * and the last decision; the chair records the meeting's decision per perpetrator (adopt, not adopt, defer) with the
 * reason and who attended. The score informs the meeting and decides nothing: an adopted perpetrator's plan is agreed
 * on their referral. CSV of the list for the meeting pack. Party ids only: open a perpetrator to see more (justified).
 */
import { api, downloadCsv, session } from '../api.js';
import { h, humanise, replace } from '../dom.js';
import { field, showError } from './common.js';

const behaviours = ['stalking', 'serial_domestic_abuse', 'sexual_violence', 'querulance'];
const decisions = ['adopt', 'not_adopt', 'defer'];

/**
 * @typedef {{ partyId: string, linkedPartyIds: string[], score: number, recency: number, frequency: number, gravity: number, victims: number,
 *   referrals: number, distinctVictims: number, lastIncidentOn: string | null, problemBehaviours: string[], areas: string[], newIncidentsSinceLastMeeting: number,
 *   lastDecision: { meetingOn: string, decision: string } | null, decision: string | null, openAlerts: number }} TaskingItem
 */

/** "police:2, probation:1" → [{agency, count}]; throws on anything else. @param {string} text */
export function parseAttendees(text) {
  const rows = text.split(',').map((s) => s.trim()).filter(Boolean).map((part) => {
    const m = /^([^:]+):\s*(\d+)$/.exec(part);
    if (!m) throw new Error(`Attendees: "${part}" is not agency:count`);
    return { agency: m[1].trim(), count: Number(m[2]) };
  });
  if (rows.length === 0) throw new Error('Attendees: name at least one agency, as agency:count');
  return rows;
}

/** @param {HTMLElement} main @param {AbortSignal} signal */
export async function taskingView(main, signal) {
  const today = new Date().toISOString().slice(0, 10);
  const meeting = h('input', { type: 'date', name: 'meeting', value: today, required: true });
  const behaviour = h('select', { name: 'behaviour' }, h('option', { value: '' }, 'All'), behaviours.map((b) => h('option', { value: b }, humanise(b))));
  const area = h('input', { type: 'text', name: 'area', maxlength: '60', autocomplete: 'off' });
  const limit = h('select', { name: 'limit' }, [10, 20, 50, 100].map((n) => h('option', { value: String(n), selected: n === 20 }, String(n))));
  const results = h('div', { id: 'tasking-results', 'aria-live': 'polite' });
  const chair = session.hasRole('supervisor');
  replace(
    main,
    h('h1', null, 'Tasking meeting'),
    h('p', null, 'Perpetrators ranked by Recency, Frequency, Gravity and Victims (RFG(V)). The score supports the meeting’s decision; it decides nothing.'),
    h(
      'form',
      { class: 'row panel', 'aria-label': 'Choose the meeting', onsubmit: (/** @type {SubmitEvent} */ e) => { e.preventDefault(); void load(); } },
      field('Meeting date', meeting),
      field('Problem behaviour', behaviour),
      field('Area', area, 'The policing area a referral was recorded in; empty for every area.'),
      field('Top', limit),
      h('div', { class: 'field' }, h('button', { type: 'submit', class: 'primary' }, 'Show the list')),
      h('div', { class: 'field' }, h('button', { type: 'button', onclick: () => csv() }, 'Download the meeting pack (CSV)')),
    ),
    results,
  );

  function query() {
    const q = new URLSearchParams({ meeting: /** @type {HTMLInputElement} */ (meeting).value || today, limit: /** @type {HTMLSelectElement} */ (limit).value });
    const b = /** @type {HTMLSelectElement} */ (behaviour).value;
    if (b) q.set('behaviour', b);
    const a = /** @type {HTMLInputElement} */ (area).value.trim();
    if (a) q.set('area', a);
    return q;
  }

  function csv() {
    const q = query();
    q.set('format', 'csv');
    downloadCsv(`/v1/tasking?${q}`, `tasking-${q.get('meeting')}.csv`).catch((e) => showError(results, e));
  }

  async function load() {
    try {
      const list = await api(`/v1/tasking?${query()}`, { signal });
      render(list);
    } catch (error) {
      if (!signal.aborted) showError(results, error);
    }
  }

  /** @param {{ meetingOn: string, previousMeetingOn: string, configVersion: string, items: TaskingItem[] }} list */
  function render(list) {
    replace(
      results,
      h('p', { class: 'muted', id: 'tasking-summary' }, `Meeting of ${list.meetingOn}; since the last meeting (${list.previousMeetingOn}). Scoring configuration ${list.configVersion}.`),
      list.items.length === 0
        ? h('p', null, 'No perpetrators to rank.')
        : h(
            'div',
            { class: 'table-wrap' },
            h(
              'table',
              { id: 'tasking-table' },
              h('caption', { class: 'visually-hidden' }, 'Perpetrators ranked by RFG(V) score'),
              h('thead', null, h('tr', null, ['#', 'Perpetrator', 'Score', 'R / F / G / V', 'Referrals', 'Victims', 'Areas', 'Last incident', 'New since last meeting', 'Open alerts', 'Last decision', 'This meeting'].map((c) => h('th', { scope: 'col' }, c)))),
              h('tbody', null, list.items.map((item, i) => row(item, i + 1, list))),
            ),
          ),
    );
  }

  /** @param {TaskingItem} item @param {number} rank @param {{ meetingOn: string, configVersion: string }} list */
  function row(item, rank, list) {
    return h(
      'tr',
      { 'data-party': item.partyId },
      h('td', { 'data-label': '#' }, String(rank)),
      h('td', { 'data-label': 'Perpetrator' }, h('a', { href: `#/perpetrator/${item.partyId}` }, item.partyId), item.linkedPartyIds.length ? h('span', { class: 'muted small' }, ` (+${item.linkedPartyIds.length} linked)`) : null),
      h('td', { 'data-label': 'Score' }, h('strong', null, String(item.score))),
      h('td', { 'data-label': 'R / F / G / V' }, `${item.recency} / ${item.frequency} / ${item.gravity} / ${item.victims}`),
      h('td', { 'data-label': 'Referrals' }, String(item.referrals)),
      h('td', { 'data-label': 'Victims' }, String(item.distinctVictims)),
      h('td', { 'data-label': 'Areas' }, item.areas?.length ? item.areas.join(', ') : '—'),
      h('td', { 'data-label': 'Last incident' }, item.lastIncidentOn ?? '—'),
      h('td', { 'data-label': 'New since last meeting' }, String(item.newIncidentsSinceLastMeeting)),
      h('td', { 'data-label': 'Open alerts' }, String(item.openAlerts)),
      h('td', { 'data-label': 'Last decision' }, item.lastDecision ? `${humanise(item.lastDecision.decision)} (${item.lastDecision.meetingOn})` : '—'),
      h('td', { 'data-label': 'This meeting' }, item.decision ? h('span', { class: 'badge' }, humanise(item.decision)) : chair ? decisionForm(item, list) : '—'),
    );
  }

  /** @param {TaskingItem} item @param {{ meetingOn: string, configVersion: string }} list */
  function decisionForm(item, list) {
    const decision = h('select', { name: 'decision' }, decisions.map((d) => h('option', { value: d }, humanise(d))));
    const reason = h('textarea', { name: 'reason', required: true, rows: '2', maxlength: '4000' });
    const attendees = h('input', { name: 'attendees', required: true, value: 'police:1', size: '24' });
    const error = h('div');
    return h(
      'form',
      {
        class: 'decision',
        'aria-label': `Decision about ${item.partyId}`,
        onsubmit: async (/** @type {SubmitEvent} */ e) => {
          e.preventDefault();
          try {
            await api('/v1/tasking/decisions', {
              method: 'POST',
              body: {
                meetingOn: list.meetingOn,
                partyId: item.partyId,
                decision: /** @type {HTMLSelectElement} */ (decision).value,
                reason: /** @type {HTMLTextAreaElement} */ (reason).value,
                attendees: parseAttendees(/** @type {HTMLInputElement} */ (attendees).value),
                score: item.score,
                configVersion: list.configVersion,
              },
              signal,
            });
            await new Promise((r) => setTimeout(r, 300));
            await load();
          } catch (err) {
            if (!signal.aborted) showError(error, err);
          }
        },
      },
      field('Decision', decision),
      field('Reason', reason, 'Kept under personal data; erasable.'),
      field('Attendees', attendees, 'agency:count, comma-separated'),
      error,
      h('button', { type: 'submit', class: 'primary' }, 'Record the decision'),
    );
  }

  await load();
}
