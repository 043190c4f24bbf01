// @ts-check
/** Pieces several views share: readable errors, the justification gate, labelled inputs. */
import { ApiError } from '../api.js';
import { h, replace, uid } from '../dom.js';

/** Shows an error as sentences (never JSON); field errors as a list. @param {Element} box @param {unknown} error */
export function showError(box, error) {
  const message = error instanceof Error ? error.message : String(error);
  const fields = error instanceof ApiError ? error.fieldErrors : [];
  const allowed = error instanceof ApiError && Array.isArray(error.problem.allowedCommands) ? error.problem.allowedCommands : null;
  replace(
    box,
    h(
      'div',
      { class: 'error', role: 'alert' },
      h('p', null, h('strong', null, lead(error)), message),
      fields.length ? h('ul', null, fields.map((e) => h('li', null, e.path ? `${e.path.replace(/^\//, '').replace(/\//g, ' › ') || 'body'}: ${e.message}` : e.message))) : null,
      allowed ? h('p', null, `Allowed now: ${allowed.join(', ') || 'none'}.`) : null,
    ),
  );
}

/**
 * A section whose content failed to load: its heading stays, the error takes the content's place.
 * @param {HTMLElement} section @param {HTMLElement | null} heading @param {unknown} error
 */
export function sectionError(section, heading, error) {
  if (heading) replace(section, heading);
  const box = h('div');
  section.append(box);
  showError(box, error);
}

/** @param {unknown} error */
function lead(error) {
  const status = error instanceof ApiError ? error.status : -1;
  if (status === 403) return 'Not open to your role. ';
  if (status === 404) return 'Not found. ';
  if (status === 400 || status === 409 || status === 412) return 'Not done. ';
  return 'Something went wrong. ';
}

/** @param {string} label @param {HTMLElement} control @param {string} [hint] */
export function field(label, control, hint) {
  const id = control.id || uid('f');
  control.id = id;
  const hintEl = hint ? h('p', { class: 'hint', id: `${id}-hint` }, hint) : null;
  if (hintEl) control.setAttribute('aria-describedby', hintEl.id);
  return h('div', { class: 'field' }, h('label', { for: id }, label), hintEl, control);
}

/** Justifications per referral for this tab: the user states a reason once per referral, every read sends it. */
const justifications = new Map();

export function justificationFor(/** @type {string} */ referralId) {
  return justifications.get(referralId);
}

/**
 * What a "why" question asks and keeps: one for a referral, one for a perpetrator (whose reason goes to the access
 * log of each of their referrals).
 * @typedef {{ store: Map<string, string>, title: string, text: string, hint: string, button: string }} WhyQuestion
 */

/** @type {WhyQuestion} */
const referralQuestion = {
  store: justifications,
  title: 'Why do you need this referral?',
  text: 'It holds personal data of the victim and the suspect. Your reason is recorded in the access log with your name and the time (Data Protection Act 2018, section 62).',
  hint: 'For example: triage of a new referral; review before the case discussion.',
  button: 'Show the referral',
};

/**
 * Asks why the user needs this referral's personal data (DPA 2018 s62: the reason goes to the access log).
 * @param {HTMLElement} container @param {string} referralId @returns {Promise<string>}
 */
export function askJustification(container, referralId) {
  return askWhy(container, referralId, referralQuestion);
}

/**
 * Asks once per subject for this tab, and keeps the answer: every later read of the subject sends it.
 * @param {HTMLElement} container @param {string} key @param {WhyQuestion} question @returns {Promise<string>}
 */
export function askWhy(container, key, question) {
  const known = question.store.get(key);
  if (known) return Promise.resolve(known);
  return new Promise((resolve) => {
    const input = h('textarea', { name: 'justification', required: true, minlength: '3', maxlength: '1000', rows: '2' });
    const error = h('div');
    const form = h(
      'form',
      {
        class: 'panel',
        onsubmit: (/** @type {SubmitEvent} */ e) => {
          e.preventDefault();
          const text = /** @type {HTMLTextAreaElement} */ (input).value.trim();
          if (text.length < 3) {
            showError(error, new Error('Give a reason of at least 3 characters.'));
            input.setAttribute('aria-invalid', 'true');
            input.focus();
            return;
          }
          question.store.set(key, text);
          form.remove();
          resolve(text);
        },
      },
      h('h2', null, question.title),
      h('p', null, question.text),
      field('Justification', input, question.hint),
      error,
      h('button', { type: 'submit', class: 'primary' }, question.button),
    );
    container.append(form);
    input.focus();
  });
}

/**
 * A table in a wrapper that scrolls sideways when it must (WCAG 1.4.10 allows it for data tables), focusable and
 * named so a keyboard user can scroll it too.
 * @param {string} label @param {HTMLElement} table
 */
export function tableWrap(label, table) {
  return h('div', { class: 'table-wrap', tabindex: '0', role: 'region', 'aria-label': label }, table);
}
