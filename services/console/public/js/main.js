// @ts-check
/** The console's shell: sign-in state, navigation by role, and a hash router (no server routes needed). */
import { session } from './api.js';
import { h, replace } from './dom.js';
import { resumeSession, signOut } from './oidc.js';
import { alertsView } from './views/alerts.js';
import { signInView } from './views/sign-in.js';

/** @typedef {(main: HTMLElement, signal: AbortSignal, ...params: string[]) => Promise<void> | void} View */

/** Views other than the alert list load on first use: the alert list renders first. */
/** @type {{ pattern: RegExp, load: () => Promise<View>, roles?: string[], nav?: string, href?: string }[]} */
const routes = [
  { pattern: /^\/alerts$/, load: async () => alertsView, roles: ['supervisor'], nav: 'Alerts', href: '#/alerts' },
  { pattern: /^\/queues(?:\/([a-z_]+))?$/, load: async () => (await import('./views/queues.js')).queuesView, nav: 'Queues', href: '#/queues' },
  // The caseworkers' and auditors' (GET /v1/deadlines is refused to admin and data protection, who read no cases).
  { pattern: /^\/due$/, load: async () => (await import('./views/due.js')).dueView, roles: ['supervisor', 'officer', 'psychologist', 'clinician', 'victim_advocate', 'probation', 'auditor'], nav: 'Due and overdue', href: '#/due' },
  { pattern: /^\/referral\/(ref-[0-9a-f]{32})$/, load: async () => (await import('./views/referral.js')).referralView },
  { pattern: /^\/audit(?:\/(ref-[0-9a-f]{32}))?$/, load: async () => (await import('./views/audit.js')).auditView, roles: ['auditor', 'supervisor'], nav: 'Audit', href: '#/audit' },
  { pattern: /^\/stats$/, load: async () => (await import('./views/stats.js')).statsView, nav: 'Statistics', href: '#/stats' },
  // Serial perpetrators (owning force caseworkers: the API refuses the rest).
  { pattern: /^\/tasking$/, load: async () => (await import('./views/tasking.js')).taskingView, roles: ['supervisor', 'officer', 'psychologist', 'clinician', 'victim_advocate', 'probation'], nav: 'Tasking', href: '#/tasking' },
  { pattern: /^\/perpetrator\/(pty-[0-9a-f]{24})$/, load: async () => (await import('./views/perpetrator.js')).perpetratorView },
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
    renderChrome('/sign-in');
    return signInView(main, signal, () => {
      location.hash = `#${homePath()}`;
    });
  }
  if (path === '/') {
    location.replace(`#${homePath()}`);
    return;
  }
  const match = routes.map((r) => ({ r, m: r.pattern.exec(path) })).find((x) => x.m);
  if (!match || !match.m) {
    replace(main, h('h1', null, 'Page not found'), h('p', null, 'There is no such page in the console. ', h('a', { href: '#/' }, 'Go to your start page')));
    return;
  }
  try {
    const view = await match.r.load();
    if (signal.aborted) return;
    await view(main, signal, ...match.m.slice(1).filter((x) => x !== undefined));
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
    h('ul', null, links.map((r) => h('li', null, h('a', { href: r.href, 'aria-current': r.href && path.startsWith(r.href.slice(1)) ? 'page' : undefined }, r.nav))),
      h('li', null, h('form', { class: 'row', role: 'search', onsubmit: openReferral },
        h('label', { for: 'open-ref', class: 'visually-hidden' }, 'Referral id'),
        h('input', { id: 'open-ref', name: 'referralId', placeholder: 'ref-…', size: '14', pattern: 'ref-[0-9a-f]{32}', title: 'ref- and 32 hexadecimal digits' }),
        h('button', { type: 'submit', class: 'primary' }, 'Open referral')))),
  );
  replace(
    who,
    h('span', null, `${claims.name} (${claims.roles.join(', ')})`),
    h('button', { type: 'button', onclick: () => void signOut() }, 'Sign out'),
  );
}

/** @param {SubmitEvent} event */
function openReferral(event) {
  event.preventDefault();
  const input = /** @type {HTMLInputElement} */ (document.getElementById('open-ref'));
  const id = input.value.trim();
  if (/^ref-[0-9a-f]{32}$/.test(id)) location.hash = `#/referral/${id}`;
}

window.addEventListener('hashchange', () => {
  void route().then(() => document.getElementById('main')?.focus({ preventScroll: true }));
});
window.addEventListener('hru:unauthenticated', () => {
  session.signOut();
  sessionStorage.setItem('hru.console.signInReason', 'Your session ended or the engine refused your token: sign in again.');
  location.hash = '#/sign-in';
});
// A sign-in coming back from the identity provider completes before the first view.
void resumeSession().then(route);
