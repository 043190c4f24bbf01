// @ts-check
/** A few DOM helpers: the console builds its pages from these instead of a UI library (nothing to ship). */

/**
 * @typedef {Node | string | number | null | undefined | false | any[]} Child
 * @param {string} tag
 * @param {Record<string, unknown> | null} [props] attributes; `on<event>` functions become listeners
 * @param {...Child} children
 * @returns {HTMLElement}
 */
export function h(tag, props, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(props ?? {})) {
    if (value === undefined || value === null || value === false) continue;
    if (key.startsWith('on') && typeof value === 'function') el.addEventListener(key.slice(2).toLowerCase(), /** @type {EventListener} */ (value));
    else if (key === 'value' || key === 'checked' || key === 'selected') /** @type {any} */ (el)[key] = value;
    else el.setAttribute(key, value === true ? '' : String(value));
  }
  append(el, children);
  // A wrapper that may scroll sideways must be reachable by keyboard and named (WCAG 2.1.1, 4.1.2), in every view.
  if (el.classList.contains('table-wrap') && !el.hasAttribute('tabindex')) {
    el.setAttribute('tabindex', '0');
    el.setAttribute('role', 'region');
    if (!el.hasAttribute('aria-label')) el.setAttribute('aria-label', el.querySelector('caption')?.textContent?.trim() || el.querySelector('table')?.id?.replace(/-/g, ' ') || 'Table');
    // Each cell learns its column's name, so a table laid out as cards on a phone (app.css) still says what each value is.
    const names = [...el.querySelectorAll('thead th')].map((th) => th.textContent?.trim() ?? '');
    // Only rows with a cell per column: under a row-spanning cell the positions no longer match the headings.
    for (const tr of el.querySelectorAll('tbody tr')) {
      if (tr.children.length !== names.length) continue;
      [...tr.children].forEach((cell, i) => names[i] && !cell.hasAttribute('data-label') && cell.setAttribute('data-label', names[i]));
    }
  }
  return el;
}

/** @param {Node} parent @param {Child[]} children */
export function append(parent, children) {
  for (const child of children.flat(/** @type {1} */ (Infinity))) {
    if (child === null || child === undefined || child === false) continue;
    parent.appendChild(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

/** @param {Element} el @param {...Child} children */
export function replace(el, ...children) {
  el.replaceChildren();
  append(el, children);
}

/** Says something to screen-reader users without moving focus. */
export function announce(/** @type {string} */ text) {
  const el = document.getElementById('announcer');
  if (!el) return;
  el.textContent = '';
  // A fresh text node in a later task makes screen readers repeat an identical message.
  setTimeout(() => (el.textContent = text), 50);
}

let idCounter = 0;
export function uid(/** @type {string} */ prefix) {
  return `${prefix}-${++idCounter}`;
}

/** @type {Record<string, string>} */
const acronyms = { spo: 'SPO', da: 'DA', dash: 'DASH', srp: 'SRP', mappa: 'MAPPA', marac: 'MARAC', dvpn: 'DVPN', dvpo: 'DVPO', pct: '(%)' };

/** `awaiting_triage` → `Awaiting triage`; `dashYesCount` → `Dash yes count`. */
export function humanise(/** @type {string} */ name) {
  const words = name.replace(/([a-z0-9])([A-Z])/g, '$1 $2').replace(/[_-]+/g, ' ').trim().toLowerCase();
  const text = words.replace(/\b(spo|da|dash|srp|mappa|marac|dvpn|dvpo|pct)\b/g, (w) => acronyms[w] ?? w);
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** "4 min ago", "2 h 5 min ago", "3 days ago". */
export function since(/** @type {string} */ iso, now = Date.now()) {
  const seconds = Math.max(0, Math.round((now - Date.parse(iso)) / 1000));
  if (seconds < 60) return `${seconds} s ago`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min ago`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `${hours} h ${minutes % 60} min ago`;
  return `${Math.floor(hours / 24)} days ago`;
}

const dateTime = new Intl.DateTimeFormat('en-GB', { dateStyle: 'medium', timeStyle: 'medium' });
export function formatTime(/** @type {string | null | undefined} */ iso) {
  if (!iso) return '—';
  const t = Date.parse(iso);
  return Number.isNaN(t) ? iso : dateTime.format(t);
}

/** A <time> element whose text says how long ago; `refreshTimes` keeps it current. */
export function timeSince(/** @type {string} */ iso) {
  return h('time', { datetime: iso, 'data-since': '', title: formatTime(iso) }, since(iso));
}

export function refreshTimes(/** @type {ParentNode} */ root = document) {
  const now = Date.now();
  for (const el of root.querySelectorAll('time[data-since]')) el.textContent = since(el.getAttribute('datetime') ?? '', now);
}

/** Any JSON value as readable text (never raw JSON for people): lists, key: value pairs. */
export function plain(/** @type {unknown} */ value) {
  if (value === null || value === undefined) return '—';
  if (Array.isArray(value)) return value.length === 0 ? 'none' : value.map(plain).join('; ');
  if (typeof value === 'object') {
    const entries = Object.entries(/** @type {Record<string, unknown>} */ (value));
    return entries.length === 0 ? 'none' : entries.map(([k, v]) => `${humanise(k)}: ${plain(v)}`).join(', ');
  }
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  return String(value);
}

/** A nested value as nested lists, for the auditor's state view. @returns {Node} */
export function tree(/** @type {unknown} */ value) {
  if (value !== null && typeof value === 'object' && Object.keys(value).length > 0) {
    const entries = Array.isArray(value) ? value.map((v, i) => [`${i + 1}`, v]) : Object.entries(value);
    return h('ul', { class: 'tree' }, entries.map(([k, v]) => h('li', null, h('strong', null, Array.isArray(value) ? `#${k}` : humanise(String(k))), ': ', tree(v))));
  }
  return document.createTextNode(plain(value));
}
