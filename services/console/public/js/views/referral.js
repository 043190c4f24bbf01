// @ts-check
/**
 * One referral as a case file (only after the user states why, sent as X-Justification and logged): an urgent
 * banner while an alert is open; the summary; the parties by their Data Protection Act Part 3 category; the
 * current risk assessment; the formulation in words; the management plan with its outstanding actions and the
 * next review; legal measures and their clocks; the commands allowed now, as buttons opening forms generated
 * from the OpenAPI document; and the timeline, paged, each event with when it happened and when it was recorded.
 */
import { ApiError, api, openApiDocument } from '../api.js';
import { announce, h, humanise, replace } from '../dom.js';
import { editorFor, markFieldErrors } from '../schema-form.js';
import { askJustification, showError } from './common.js';
import { calendarDay, deadlineKindName, londonTime, measureCommandKinds, measureKindName, refreshCountdowns } from '../clocks.js';
import { measureStatusWords, measuresSection } from './measures.js';
import { caseFileSections, urgentBanner } from './case-file.js';
import { timelinePager } from './timeline.js';

/** @param {HTMLElement} main @param {AbortSignal} signal @param {string} referralId */
export async function referralView(main, signal, referralId) {
  const gate = h('div');
  replace(main, h('h1', null, 'Referral ', h('span', { class: 'muted' }, referralId)), gate);
  const justification = await askJustification(gate, referralId);
  if (signal.aborted) return;
  const content = h('div');
  main.append(content);
  await load();
  // The clocks' countdowns move on while the page is open.
  const ticker = setInterval(() => refreshCountdowns(content), 30_000);
  signal.addEventListener('abort', () => clearInterval(ticker));

  async function load(/** @type {string} */ notice = '') {
    let referral;
    try {
      referral = await api(`/v1/referrals/${referralId}`, { justification, signal });
    } catch (error) {
      if (!signal.aborted) showError(content, error);
      return;
    }
    const commands = h('section', { 'aria-labelledby': 'commands-h' });
    const timeline = h('section', { 'aria-labelledby': 'timeline-h', id: 'timeline-section' }, h('h2', { id: 'timeline-h' }, 'Timeline'), h('p', { class: 'muted' }, 'Loading…'));
    // The commands first, so the urgent banner can open the acknowledgement's form from where the user reads it.
    const openCommand = renderCommands(commands, referral);
    const acknowledge = (referral.availableToYou ?? []).includes('acknowledge-urgent-action') ? () => openCommand('acknowledge-urgent-action') : null;
    replace(
      content,
      notice ? h('div', { class: 'notice', role: 'status' }, notice) : null,
      urgentBanner(referral, acknowledge),
      caseFileSections(referral),
      measuresSection(referral),
      commands,
      timeline,
    );
    void timelinePager(timeline, referral, { referralId, justification, signal });
  }

  /**
   * The command buttons and the form area; returns the function that opens a command's form.
   * @param {HTMLElement} section @param {any} referral @returns {(name: string) => Promise<void>}
   */
  function renderCommands(section, referral) {
    const available = /** @type {string[]} */ (referral.availableToYou ?? []);
    const formArea = h('div');
    replace(
      section,
      h('h2', { id: 'commands-h' }, 'What you can do now'),
      available.length === 0
        ? h('p', null, 'Nothing: none of the commands this referral accepts now is open to your role.')
        : h('div', { class: 'actions' }, available.map((name) => h('button', { type: 'button', 'data-command': name, onclick: () => openCommand(name) }, humanise(name)))),
      formArea,
    );

    /** @param {string} name */
    async function openCommand(name) {
      let operation;
      try {
        const doc = await openApiDocument();
        operation = doc.paths?.[`/v1/referrals/{id}/commands/${name}`]?.post;
        if (!operation) throw new Error(`The engine's OpenAPI document does not describe the command "${name}".`);
      } catch (error) {
        showError(formArea, error);
        return;
      }
      const schema = operation.requestBody?.content?.['application/json']?.schema ?? { type: 'object', properties: {} };
      const editor = editorFor(schema, { pointer: '', label: humanise(name), required: true }, { choices: choicesFor(name, referral) });
      const error = h('div');
      const submit = h('button', { type: 'submit', class: 'primary' }, humanise(name));
      const headingId = `form-${name}`;
      const form = h(
        'form',
        {
          class: 'panel',
          'aria-labelledby': headingId,
          'data-form': name,
          novalidate: true,
          onsubmit: async (/** @type {SubmitEvent} */ e) => {
            e.preventDefault();
            submit.setAttribute('disabled', '');
            try {
              const result = await api(`/v1/referrals/${referralId}/commands/${name}`, { method: 'POST', body: editor.read(), ifMatch: referral.revision });
              const done = `${humanise(name)} recorded (${result.events.map(humanise).join(', ') || 'no change'}); now ${humanise(result.stage)}.`;
              announce(done);
              await load(done);
            } catch (err) {
              const unmatched = err instanceof ApiError ? markFieldErrors(editor.fields(), err.fieldErrors) : [];
              showError(error, err instanceof ApiError ? new ApiError(err.status, err.message, unmatched, err.problem) : err);
              if (err instanceof ApiError && err.status === 412) error.append(h('p', null, 'Someone changed this referral since you opened it. ', h('button', { type: 'button', onclick: () => load() }, 'Reload it')));
              submit.removeAttribute('disabled');
              (form.querySelector('[aria-invalid="true"]') ?? error).scrollIntoView({ block: 'center' });
            }
          },
        },
        h('h3', { id: headingId, tabindex: '-1' }, operation.summary ?? humanise(name)),
        editor.element,
        error,
        h('div', { class: 'actions' }, submit, h('button', { type: 'button', onclick: () => formArea.replaceChildren() }, 'Cancel')),
      );
      replace(formArea, form);
      /** @type {HTMLElement} */ (form.querySelector('input, select, textarea') ?? form.querySelector('h3'))?.focus();
    }
    return openCommand;
  }
}

/**
 * Ids a command refers to, offered as a list rather than typed: the measure a step belongs to (of the command's
 * kind), the clock a victim contact meets, the plan action being completed, the alert being acknowledged or resolved. The schema still validates what is sent.
 * @param {string} name @param {any} referral @returns {Record<string, { value: string, label: string }[]>}
 */
function choicesFor(name, referral) {
  /** @type {any[]} */
  const measures = referral.measures ?? [];
  /** @type {any[]} */
  const deadlines = referral.deadlines ?? [];
  const kind = measureCommandKinds[name];
  const measureChoice = (/** @type {any} */ m) => ({ value: m.measureId, label: `${m.measureId}: ${measureKindName(m.kind)}, ${measureStatusWords(m.status).toLowerCase()}` });
  if (kind) return { '/measureId': measures.filter((m) => m.kind === kind).map(measureChoice) };
  if (name === 'correct-measure-step') {
    // The step is named, not numbered: each step name once, with the measures that took it.
    /** @type {Map<string, string[]>} */
    const steps = new Map();
    for (const m of measures) for (const st of m.steps ?? []) steps.set(st.step, [...new Set([...(steps.get(st.step) ?? []), m.measureId])]);
    return {
      '/measureId': measures.map(measureChoice),
      '/step': [...steps].map(([step, ids]) => ({ value: step, label: `${humanise(step)} (${ids.join(', ')})` })),
    };
  }
  if (name === 'acknowledge-urgent-action' || name === 'resolve-urgent-action') {
    const wanted = name === 'acknowledge-urgent-action' ? ['raised'] : ['raised', 'acknowledged'];
    /** @type {any[]} */
    const open = (referral.urgentActions ?? []).filter((/** @type {any} */ a) => wanted.includes(a.status));
    return { '/alertId': open.map((a) => ({ value: a.alertId, label: `${a.alertId}: raised ${londonTime(a.raisedAt)}, for ${humanise(a.addressedTo).toLowerCase()}` })) };
  }
  if (name === 'complete-plan-action') {
    /** @type {any[]} */
    const open = (referral.plan?.actions ?? []).filter((/** @type {any} */ a) => a.status === 'open');
    return { '/actionId': open.map((a) => ({ value: a.actionId, label: `${a.actionId}: ${humanise(a.kind)}, due ${calendarDay(a.dueDate)}` })) };
  }
  if (name === 'record-victim-contact') {
    const open = deadlines.filter((d) => d.kind === 'victim_contact' && (d.status === 'open' || d.status === 'missed'));
    return { '/deadlineId': open.map((d) => ({ value: d.deadlineId, label: `${d.deadlineId}: ${deadlineKindName(d.kind)}, due ${londonTime(d.dueAt)}${d.status === 'missed' ? ' (missed)' : ''}` })) };
  }
  return {};
}
