// @ts-check
/** The console's shell: sign-in state, navigation by role, and a hash router (no server routes needed). */
import { session } from './api.js';
import { h, replace } from './dom.js';
import { resumeSession, signOut } from './oidc.js';
import { alertsView } from './views/alerts.js';
import { signInView } from './views/sign-in.js';
import { alertRoles, countBadge, setViewTitle, soundSwitch, startAlertMonitor, stopAlertMonitor } from './alert-monitor.js';

/** @typedef {(main: HTMLElement, signal: AbortSignal, ...params: string[]) => Promise<void> | void} View */

/** Views other than the alert list load on first use: the alert list renders first. */
/** `title`: the tab's title on that view (the open alerts' count goes in front of it). */
/** @type {{ pattern: RegExp, load: () => Promise<View>, roles?: string[], nav?: string, href?: string, title: string }[]} */
const routes = [
  { pattern: /^\/alerts$/, load: async () => alertsView, roles: alertRoles, nav: 'Alerts', href: '#/alerts', title: 'Alerts' },
  { pattern: /^\/queues(?:\/([a-z_]+))?(?:\?.*)?$/, load: async () => (await import('./views/queues.js')).queuesView, nav: 'Queues', href: '#/queues', title: 'Queues' },
  // Cases are read by everyone but admin and data protection (who read none); "mine" is the cases assigned to the user.
  { pattern: /^\/caseload(?:\/(mine|all))?(?:\?.*)?$/, load: async () => (await import('./views/caseload.js')).caseloadView, roles: ['supervisor', 'officer', 'psychologist', 'clinician', 'victim_advocate', 'probation', 'auditor'], nav: 'Cases', href: '#/caseload', title: 'Cases' },
  // The caseworkers' and auditors' (GET /v1/deadlines is refused to admin and data protection, who read no cases).
  { pattern: /^\/due$/, load: async () => (await import('./views/due.js')).dueView, roles: ['supervisor', 'officer', 'psychologist', 'clinician', 'victim_advocate', 'probation', 'auditor'], nav: 'Due and overdue', href: '#/due', title: 'Due and overdue' },
  { pattern: /^\/referral\/(ref-[0-9a-f]{32})$/, load: async () => (await import('./views/referral.js')).referralView, title: 'Referral' },
  { pattern: /^\/audit(?:\/(ref-[0-9a-f]{32}))?$/, load: async () => (await import('./views/audit.js')).auditView, roles: ['auditor', 'supervisor'], nav: 'Audit', href: '#/audit', title: 'Audit' },
  { pattern: /^\/stats$/, load: async () => (await import('./views/stats.js')).statsView, nav: 'Statistics', href: '#/stats', title: 'Statistics' },
  // Serial perpetrators (owning force caseworkers: the API refuses the rest).
  { pattern: /^\/tasking$/, load: async () => (await import('./views/tasking.js')).taskingView, roles: ['supervisor', 'officer', 'psychologist', 'clinician', 'victim_advocate', 'probation'], nav: 'Tasking', href: '#/tasking', title: 'Tasking' },
  { pattern: /^\/perpetrator\/(pty-[0-9a-f]{24})$/, load: async () => (await import('./views/perpetrator.js')).perpetratorView, title: 'Perpetrator' },
];

/** @type {AbortController | undefined} */
let current;

function homePath() {
  if (session.hasRole('supervisor')) return '/alerts';
  if (session.hasRole('auditor')) return '/audit';
  return '/queues';
}

async function route() {
  const main = /** @type {HTMLElement} */ (document.getElementById('main'));
  current?.abort();
  current = new AbortController();
  const signal = current.signal;
  let path = location.hash.replace(/^#/, '') || '/';
  renderChrome(path);
  if (!session.token || session.expired || path === '/sign-in') {
    if (session.token && session.expired) session.signOut();
    stopAlertMonitor();
    setViewTitle('Sign in');
    renderChrome('/sign-in');
    return signInView(main, signal, () => {
      location.hash = `#${homePath()}`;
    });
  }
  if (path === '/') {
    location.replace(`#${homePath()}`);
    return;
  }
  // Alerts reach the user on every page, not only on the alert list: the monitor starts once the page has its first
  // data or after 250 ms, whichever comes first, so the two do not queue behind each other on first load (the alert
  // list starts it at once itself).
  setTimeout(() => void startAlertMonitor(), 250);
  const match = routes.map((r) => ({ r, m: r.pattern.exec(path) })).find((x) => x.m);
  setViewTitle(match ? match.r.title : 'Page not found');
  if (!match || !match.m) {
    replace(main, h('h1', null, 'Page not found'), h('p', null, 'There is no such page in the console. ', h('a', { href: '#/' }, 'Go to your start page')));
    return;
  }
  try {
    const view = await match.r.load();
    if (signal.aborted) return;
    const shown = Promise.resolve(view(main, signal, ...match.m.slice(1).filter((x) => x !== undefined)));
    void shown.finally(() => void startAlertMonitor());
    await shown;
  } catch (error) {
    if (signal.aborted) return;
    replace(main, h('h1', null, 'This page failed to load'), h('div', { class: 'error', role: 'alert' }, h('p', null, error instanceof Error ? error.message : String(error))));
  }
}

/** @param {string} path */
function renderChrome(path) {
  const nav = /** @type {HTMLElement} */ (document.getElementById('nav'));
  const who = /** @type {HTMLElement} */ (document.getElementById('who'));
  const claims = session.token && !session.expired ? session.claims : null;
  /** @type {HTMLElement} */ (document.getElementById('dev-banner')).hidden = !claims || claims.iss !== 'hru-dev';
  if (!claims) {
    replace(nav);
    replace(who);
    return;
  }
  const links = routes.filter((r) => r.nav && (!r.roles || session.hasRole(...r.roles)));
  replace(
    nav,
    h('ul', null, links.map((r) => h('li', null, h('a', { href: r.href, 'aria-current': r.href && path.startsWith(r.href.slice(1)) ? 'page' : undefined }, r.nav, r.href === '#/alerts' ? [' ', countBadge()] : null))),
      h('li', null, h('form', { class: 'row', role: 'search', onsubmit: openReferral },
        h('label', { for: 'open-ref', class: 'visually-hidden' }, 'Crime reference or referral id'),
        h('input', { id: 'open-ref', name: 'referralId', placeholder: 'CC/26/000123 or ref-…', size: '18', maxlength: '64', title: 'A crime reference (CC/26/000123) or a referral id (ref- and 32 hexadecimal digits)' }),
        h('button', { type: 'submit', class: 'primary' }, 'Find')))),
  );
  replace(
    who,
    h('span', null, `${claims.name} (${claims.roles.join(', ')})`),
    session.hasRole(...alertRoles) ? soundSwitch() : null,
    h('button', { type: 'button', onclick: () => { stopAlertMonitor(); void signOut(); } }, 'Sign out'),
  );
}

/** @param {SubmitEvent} event */
function openReferral(event) {
  event.preventDefault();
  const input = /** @type {HTMLInputElement} */ (document.getElementById('open-ref'));
  const id = input.value.trim();
  if (/^ref-[0-9a-f]{32}$/.test(id)) location.hash = `#/referral/${id}`;
  // Anything else is a crime reference, as the intake accepts one: the caseload finds it (any case).
  else if (/^[A-Za-z0-9/_.:-]{1,64}$/.test(id)) location.hash = `#/caseload/all?crimeReference=${encodeURIComponent(id)}`;
  else input.setCustomValidity('A crime reference (letters, digits and / _ . : -) or a referral id'), input.reportValidity(), input.setCustomValidity('');
}

window.addEventListener('hashchange', () => {
  void route().then(() => document.getElementById('main')?.focus({ preventScroll: true }));
});
window.addEventListener('hru:unauthenticated', () => {
  session.signOut();
  stopAlertMonitor();
  sessionStorage.setItem('hru.console.signInReason', 'Your session ended or the engine refused your token: sign in again.');
  location.hash = '#/sign-in';
});
// A sign-in coming back from the identity provider completes before the first view.
void resumeSession().then(route);
