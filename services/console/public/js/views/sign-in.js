// @ts-check
/**
 * Sign-in, in the ways this engine offers (GET /v1/sign-in/config):
 * - single sign-on with the organisation's OpenID provider (oidc.js runs the flow), when configured;
 * - pasting the provider's bearer token: the fallback, offered only when configured so (by default, only
 *   without single sign-on);
 * - development: the engine mints a token for a chosen role, only when it offers POST /v1/dev/token (off unless
 *   started with HRU_DEV_SIGN_IN=true or `hru start --dev`, as `npm start` does); when it is off and nothing
 *   else is offered, the page says how a developer gets a token.
 */
import { api, session } from '../api.js';
import { h, replace } from '../dom.js';
import { signInConfig, startSignIn } from '../oidc.js';
import { field, showError } from './common.js';

const roles = ['supervisor', 'officer', 'psychologist', 'clinician', 'victim_advocate', 'probation', 'auditor', 'admin'];

/** @param {HTMLElement} main @param {AbortSignal} signal @param {() => void} done */
export async function signInView(main, signal, done) {
  const reason = sessionStorage.getItem('hru.console.signInReason');
  sessionStorage.removeItem('hru.console.signInReason');
  const ways = h('div', null, h('p', { role: 'status' }, 'Finding out how this engine signs you in…'));
  replace(main, h('h1', null, 'Sign in'), reason ? h('div', { class: 'warning', role: 'alert' }, reason) : null, ways);
  /** @type {import('../oidc.js').SignInConfig} */
  let config;
  try {
    config = await signInConfig();
  } catch (error) {
    // Without the engine's answer no way of signing in can be chosen (nor used: the engine is out of reach).
    if (signal.aborted) return;
    const notice = h('div');
    showError(notice, error);
    replace(ways, notice, h('button', { type: 'button', onclick: () => void signInView(main, signal, done) }, 'Try again'));
    return;
  }
  if (signal.aborted) return;
  replace(
    ways,
    config.oidc ? singleSignOn(config.oidc) : null,
    config.tokenForm ? tokenForm(done) : null,
    config.devSignIn ? devSignIn(done) : config.oidc ? null : devSignInOff(config.tokenForm),
  );
}

/** @param {import('../oidc.js').OidcConfig} oidc */
function singleSignOn(oidc) {
  const error = h('div');
  const button = h('button', { type: 'button', class: 'primary', id: 'sso-sign-in' }, `Sign in with ${oidc.providerName}`);
  button.addEventListener('click', async () => {
    /** @type {HTMLButtonElement} */ (button).disabled = true;
    try {
      const back = location.hash === '#/sign-in' ? '' : location.hash;
      await startSignIn(back);
    } catch (err) {
      /** @type {HTMLButtonElement} */ (button).disabled = false;
      showError(error, err);
    }
  });
  return h(
    'section',
    { class: 'panel', id: 'sso' },
    h('h2', null, 'With your organisation’s sign-in'),
    h('p', null, `You will go to ${oidc.providerName}’s sign-in page and come back here. The console keeps your session in this tab only.`),
    error,
    button,
  );
}

/** The fallback: a token the provider issued for the engine, pasted. @param {() => void} done */
function tokenForm(done) {
  const tokenError = h('div');
  const tokenInput = h('textarea', { name: 'token', rows: '3', required: true, autocomplete: 'off', spellcheck: 'false' });
  return h(
    'form',
    {
      class: 'panel',
      id: 'token-sign-in',
      onsubmit: (/** @type {SubmitEvent} */ e) => {
        e.preventDefault();
        const token = /** @type {HTMLTextAreaElement} */ (tokenInput).value.trim().replace(/^Bearer\s+/i, '');
        if (token.split('.').length !== 3) return showError(tokenError, new Error('That is not a JWT (three parts separated by dots).'));
        session.signIn(token);
        if (!session.claims?.roles) {
          session.signOut();
          return showError(tokenError, new Error('The token carries no roles claim; ask your identity administrator for the HRU roles.'));
        }
        done();
      },
    },
    h('h2', null, 'With a token from your identity provider'),
    h('p', null, 'Paste the access token your identity provider issued for the HRU engine. It stays in this tab only.'),
    field('Bearer token', tokenInput),
    tokenError,
    h('button', { type: 'submit', class: 'primary' }, 'Sign in with token'),
  );
}

/** What a developer reads when this engine does not offer development sign-in (the production default). @param {boolean} tokenForm */
function devSignInOff(tokenForm) {
  return h(
    'section',
    { class: 'panel', id: 'dev-sign-in-off' },
    h('h2', null, 'Development sign-in is off'),
    h(
      'p',
      null,
      tokenForm ? 'This engine does not mint tokens for the console. Staff sign in with their organisation’s token above. ' : 'This engine does not mint tokens for the console, and offers no other way to sign in: ask its administrator to configure single sign-on (HRU_OIDC_ISSUER). ',
      'Developers trying the engine on their own machine: start it with ',
      h('code', null, 'npm start'),
      ' (which passes ',
      h('code', null, '--dev'),
      ') or ',
      h('code', null, 'HRU_DEV_SIGN_IN=true'),
      ', or paste a token from ',
      h('code', null, 'npm run -s hru -- token --role supervisor --sub you'),
      '.',
    ),
  );
}

/** @param {() => void} done */
function devSignIn(done) {
  const role = h('select', { name: 'role' }, roles.map((r) => h('option', { value: r }, r.replace('_', ' '))));
  const name = h('input', { name: 'name', required: true, maxlength: '200', value: 'DS Example', autocomplete: 'name' });
  const sub = h('input', { name: 'sub', required: true, maxlength: '200', value: 'ds.example', pattern: '[A-Za-z0-9._@\\-]+' });
  const agency = h('input', { name: 'agency', required: true, maxlength: '100', value: 'police' });
  const error = h('div');
  return h(
    'form',
    {
      class: 'panel warning',
      id: 'dev-sign-in',
      onsubmit: async (/** @type {SubmitEvent} */ e) => {
        e.preventDefault();
        const value = (/** @type {HTMLElement} */ el) => /** @type {HTMLInputElement} */ (el).value.trim();
        try {
          const reply = await api('/v1/dev/token', { method: 'POST', body: { role: value(role), name: value(name), sub: value(sub), agency: value(agency) } });
          session.signIn(reply.token);
          done();
        } catch (err) {
          showError(error, err);
        }
      },
    },
    h('h2', null, 'Development sign-in (development only)'),
    h('p', null, h('strong', null, 'Not for real cases. '), 'This engine was started with development sign-in on (hru start --dev, or HRU_DEV_SIGN_IN=true), so it mints its own tokens for any role. It is off by default, and never offered in production or with an identity provider.'),
    field('Role', role),
    field('Name', name),
    field('User name (sub)', sub),
    field('Agency', agency),
    error,
    h('button', { type: 'submit', class: 'primary' }, 'Sign in (development)'),
  );
}
