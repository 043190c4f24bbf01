// @ts-check
/**
 * The auditor's view of one referral: a slider over its revisions showing the state as of each, the changes
 * between two points, who read the referral and why (the access log), and the integrity check.
 */
import { api, session } from '../api.js';
import { caseSummary, caseTitle } from '../case-context.js';
import { formatTime, h, humanise, plain, replace } from '../dom.js';
import { londonTime, measureKindName } from '../clocks.js';
import { caseFileSections } from './case-file.js';
import { measureStatusWords } from './measures.js';
import { askJustification, field, showError, sectionError } from './common.js';
import { timelineEntry } from './timeline.js';

/** @param {HTMLElement} main @param {AbortSignal} signal @param {string} [referralId] */
export async function auditView(main, signal, referralId) {
  const idInput = h('input', { name: 'referralId', required: true, pattern: 'ref-[0-9a-f]{32}', value: referralId ?? '', size: '40' });
  replace(
    main,
    h('h1', null, 'Audit'),
    h(
      'form',
      {
        class: 'row panel',
        onsubmit: (/** @type {SubmitEvent} */ e) => {
          e.preventDefault();
          const id = /** @type {HTMLInputElement} */ (idInput).value.trim();
          if (/^ref-[0-9a-f]{32}$/.test(id)) location.hash = `#/audit/${id}`;
        },
      },
      field('Referral id', idInput),
      h('div', { class: 'field' }, h('button', { type: 'submit', class: 'primary' }, 'Audit this referral')),
    ),
  );
  // The access log and the integrity check are the auditor's alone: a supervisor is told once, not refused twice.
  const auditor = session.hasRole('auditor');
  const integrity = auditor
    ? h('section', { 'aria-labelledby': 'integrity-h' }, h('h2', { id: 'integrity-h' }, 'Integrity check'), h('p', { class: 'muted' }, 'Checking the hash chains…'))
    : h('p', { class: 'muted', id: 'auditor-only' }, 'The access log and the integrity check are open to auditors only.');
  if (!referralId) {
    main.append(casePicker(signal), integrity);
    if (auditor) void verify(integrity, undefined, signal);
    return;
  }
  const gate = h('div');
  main.append(gate);
  const justification = await askJustification(gate, referralId);
  if (signal.aborted) return;

  const revisions = h('section', { 'aria-labelledby': 'revisions-h' }, h('h2', { id: 'revisions-h' }, 'State as of a revision'));
  const diff = h('section', { 'aria-labelledby': 'diff-h' }, h('h2', { id: 'diff-h' }, 'Changes between two points'));
  const access = auditor ? h('section', { 'aria-labelledby': 'access-h' }, h('h2', { id: 'access-h' }, 'Access log'), h('p', { class: 'muted' }, 'Loading…')) : null;
  main.append(revisions, diff, ...(access ? [access] : []), integrity);
  if (auditor) void verify(integrity, referralId, signal);

  /** @type {any[]} */
  let events = [];
  try {
    for (let from = 0; ; ) {
      const page = await api(`/v1/referrals/${referralId}/history?fromRevision=${from}&limit=5000`, { justification, signal });
      events = events.concat(page.events);
      if (page.nextFromRevision === null) break;
      from = page.nextFromRevision;
    }
  } catch (error) {
    if (!signal.aborted) showError(revisions, error);
    return;
  }
  const head = events.length - 1;
  const slider = h('input', { type: 'range', id: 'revision-slider', min: '0', max: String(head), step: '1', value: String(head), 'aria-describedby': 'revision-label' });
  const label = h('p', { id: 'revision-label', 'aria-live': 'polite' });
  const state = h('div', { id: 'state-as-of' });
  revisions.append(h('label', { for: 'revision-slider' }, `Revision (0 to ${head})`), slider, label, state);

  /** @type {ReturnType<typeof setTimeout> | undefined} */
  let pending;
  let shown = -1;
  const show = async () => {
    const n = Number(/** @type {HTMLInputElement} */ (slider).value);
    const e = events[n];
    label.textContent = e ? `Revision ${n} of ${head}: ${humanise(e.type)} by ${e.actor.name}; ${londonTime(e.recordedAt) === londonTime(e.occurredAt) ? `happened and recorded ${londonTime(e.occurredAt)}` : `happened ${londonTime(e.occurredAt)}, recorded ${londonTime(e.recordedAt)}`}` : `Revision ${n}`;
    if (n === shown) return;
    try {
      const reply = await api(`/v1/referrals/${referralId}/state?revision=${n}`, { justification, signal });
      shown = n;
      replace(
        state,
        h('dl', { class: 'facts' }, h('dt', null, 'Stage then'), h('dd', { id: 'stage-as-of' }, humanise(String(reply.view.stage))), h('dt', null, 'Urgent action then'), h('dd', { id: 'urgent-as-of' }, urgentThen(reply.view)), h('dt', null, 'Commands accepted then'), h('dd', null, reply.allowedCommands.map(humanise).join(', ') || 'none')),
        // The case file as it read then, in the same words as the referral page (never a raw data tree).
        h('div', { class: 'case-file-then' }, caseFileSections(reply.view, { headingLevel: 3 }), measuresThen(reply.view)),
      );
    } catch (error) {
      showError(state, error);
    }
  };
  // Each position the slider passes is a logged read: wait until the user settles on one.
  slider.addEventListener('input', () => {
    clearTimeout(pending);
    pending = setTimeout(show, 250);
  });
  // The access log after the first read of this visit, so the auditor sees their own read recorded too.
  void show().then(() => (access ? accessLog(access, referralId, signal) : undefined));

  const fromSel = h('select', { name: 'from' }, events.map((e) => h('option', { value: String(e.revision), selected: e.revision === Math.max(0, head - 1) }, `${e.revision}: ${humanise(e.type)}`)));
  const toSel = h('select', { name: 'to' }, events.map((e) => h('option', { value: String(e.revision), selected: e.revision === head }, `${e.revision}: ${humanise(e.type)}`)));
  const diffOut = h('div', { id: 'diff' });
  diff.append(
    h(
      'form',
      {
        class: 'row',
        onsubmit: async (/** @type {SubmitEvent} */ ev) => {
          ev.preventDefault();
          const from = /** @type {HTMLSelectElement} */ (fromSel).value;
          const to = /** @type {HTMLSelectElement} */ (toSel).value;
          try {
            const reply = await api(`/v1/referrals/${referralId}/state?from=${from}&to=${to}`, { justification, signal });
            renderDiff(diffOut, reply);
          } catch (error) {
            showError(diffOut, error);
          }
        },
      },
      field('From revision', fromSel),
      field('To revision', toSel),
      h('div', { class: 'field' }, h('button', { type: 'submit', class: 'primary' }, 'Compare')),
    ),
    diffOut,
  );
}

/**
 * Picks a case to audit without pasting an id: by crime reference (closed cases too), or from the open cases
 * (the caseload carries no personal data, so choosing is not yet a read of any).
 * @param {AbortSignal} signal
 */
function casePicker(signal) {
  const crime = h('input', { name: 'crimeReference', placeholder: 'CC/26/000123', size: '16', maxlength: '64' });
  const list = h('div', { id: 'case-picker-list' });
  const show = async (/** @type {string} */ crimeReference) => {
    try {
      const q = crimeReference ? `crimeReference=${encodeURIComponent(crimeReference)}&includeClosed=true` : 'limit=20';
      const reply = await api(`/v1/caseload?${q}`, { signal });
      const items = reply.items;
      replace(
        list,
        items.length
          ? h('ul', { class: 'picker' }, items.map((c) => h('li', null, h('a', { href: `#/audit/${c.referralId}` }, caseTitle(c)), ` — ${caseSummary(c) || humanise(c.stage)}`, h('span', { class: 'case-id muted small' }, ` ${c.referralId}`))))
          : h('p', null, crimeReference ? `No case has crime reference ${crimeReference}.` : 'No cases yet.'),
      );
    } catch (error) {
      if (!signal.aborted) showError(list, error);
    }
  };
  void show('');
  return h(
    'section',
    { 'aria-labelledby': 'picker-h' },
    h('h2', { id: 'picker-h' }, 'Choose a case'),
    h(
      'form',
      {
        class: 'row',
        onsubmit: (/** @type {SubmitEvent} */ e) => {
          e.preventDefault();
          void show(/** @type {HTMLInputElement} */ (crime).value.trim());
        },
      },
      field('Crime reference', crime),
      h('div', { class: 'field' }, h('button', { type: 'submit' }, 'Find')),
    ),
    h('p', { class: 'muted' }, 'Or one of the open cases, urgent first, then the oldest (closed cases: by crime reference):'),
    list,
  );
}

/** @param {HTMLElement} out @param {any} reply */
function renderDiff(out, reply) {
  const changes = reply.changes.filter((/** @type {any} */ c) => c.path !== '/revision');
  replace(
    out,
    h('p', null, `From revision ${reply.from.revision} (${humanise(String(reply.from.view.stage))}) to ${reply.to.revision} (${humanise(String(reply.to.view.stage))}): ${changes.length} change${changes.length === 1 ? '' : 's'}.`),
    changes.length
      ? h(
          'div',
          { class: 'table-wrap', 'aria-label': 'Changes' },
          h(
            'table',
            null,
            h('thead', null, h('tr', null, h('th', { scope: 'col' }, 'What'), h('th', { scope: 'col' }, 'Before'), h('th', { scope: 'col' }, 'After'))),
            h('tbody', null, changes.map((/** @type {any} */ c) => h('tr', null, h('td', null, c.path.split('/').filter(Boolean).map(humanise).join(' › ')), h('td', null, plain(c.before)), h('td', { class: 'changed' }, plain(c.after))))),
          ),
        )
      : null,
    reply.events.length ? [h('h3', null, 'Events in between'), h('ol', { class: 'timeline' }, reply.events.map(timelineEntry))] : null,
  );
}

/** @param {HTMLElement} section @param {string} referralId @param {AbortSignal} signal */
async function accessLog(section, referralId, signal) {
  const heading = h('h2', { id: 'access-h' }, 'Access log');
  try {
    const from = new Date(Date.now() - 365 * 86_400_000).toISOString();
    const reply = await api(`/v1/audit/access-log?referralId=${referralId}&from=${encodeURIComponent(from)}&limit=500`, { signal });
    replace(
      section,
      heading,
      h('p', null, `Reads and disclosures of this referral's personal data in the last 12 months (${reply.entries.length}${reply.nextCursor ? '+' : ''}).`),
      h(
        'div',
        { class: 'table-wrap', 'aria-label': 'Access log' },
        h(
          'table',
          { id: 'access-log' },
          h('thead', null, h('tr', null, ['When', 'Who', 'What', 'Kind', 'Why'].map((t) => h('th', { scope: 'col' }, t)))),
          h('tbody', null, reply.entries.map((/** @type {any} */ e) => h('tr', null, h('td', null, formatTime(e.at)), h('td', null, `${e.actor.name} (${e.actor.roles.join(', ')})`), h('td', null, humanise(e.resource)), h('td', null, humanise(e.kind) + (e.recipients.length ? ` to ${e.recipients.join(', ')}` : '')), h('td', null, e.justification)))),
        ),
      ),
    );
  } catch (error) {
    if (signal.aborted) return;
    sectionError(section, heading, error);
  }
}

/** @param {HTMLElement} section @param {string | undefined} referralId @param {AbortSignal} signal */
async function verify(section, referralId, signal) {
  const heading = h('h2', { id: 'integrity-h' }, 'Integrity check');
  try {
    const r = await api('/v1/audit/verify', { signal });
    const mine = referralId ? r.breaks.filter((/** @type {any} */ b) => b.streamId === referralId) : [];
    replace(
      section,
      heading,
      h(
        'div',
        { class: r.ok ? 'notice' : 'error', id: 'integrity', role: 'status' },
        h('p', null, h('strong', null, r.ok ? 'Intact. ' : 'BROKEN. '), `${r.streams} streams and ${r.events} events checked in ${Math.round(r.durationMs)} ms (${r.store}).`),
        !r.ok ? h('p', null, `${r.brokenStreams} stream(s) broken; first: ${plain(r.firstBreak)}.`) : null,
        referralId ? h('p', null, mine.length ? `This referral's chain is broken: ${mine.map(plain).join('; ')}` : "This referral's chain is intact.") : null,
        h('p', null, `Head position ${r.headPosition}, digest `, h('code', null, r.headDigest), '. Record both outside the system to check against later.'),
      ),
    );
  } catch (error) {
    if (signal.aborted) return;
    sectionError(section, heading, error);
  }
}

/**
 * The legal measures as they stood at a revision: each with its status then. Not the referral page's clocks
 * table, whose countdowns run against the present and would misread a past state.
 * @param {any} view
 */
function measuresThen(view) {
  /** @type {any[]} */
  const measures = view.measures ?? [];
  return h(
    'section',
    { 'aria-labelledby': 'measures-then-h' },
    h('h3', { id: 'measures-then-h' }, 'Legal measures then'),
    measures.length === 0
      ? h('p', null, 'None recorded.')
      : h('ul', null, measures.map((m) => h('li', null, `${measureKindName(m.kind)} (${m.measureId}): ${measureStatusWords(m.status)}; ${m.steps.length} step${m.steps.length === 1 ? '' : 's'}${m.breaches.length ? `, ${m.breaches.length} breach${m.breaches.length === 1 ? '' : 'es'}` : ''}.`))),
  );
}

/** The urgent action as it stood at a revision, in words (no countdown: that would run against the present). @param {any} view */
function urgentThen(view) {
  /** @type {any[]} */
  const open = (view.urgentActions ?? []).filter((/** @type {any} */ a) => a.status === 'raised' || a.status === 'acknowledged');
  if (open.length === 0) return 'none open';
  return open.map((a) => `${a.status === 'raised' ? 'raised, not yet acknowledged' : 'acknowledged, not yet resolved'} (for ${humanise(a.addressedTo).toLowerCase()}${a.level ? `, escalated ${a.level} time${a.level === 1 ? '' : 's'}` : ''})`).join('; ');
}
