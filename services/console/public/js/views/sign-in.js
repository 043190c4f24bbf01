// @ts-check
/**
 * Sign-in. Production: the identity provider's bearer token (OIDC; see services/console/README.md for the flow).
 * Development: the engine mints a token for a chosen role, only when it offers POST /v1/dev/token (it is off
 * unless started with HRU_DEV_SIGN_IN=true or `hru start --dev`, as `npm start` does); the console finds out
 * from the OpenAPI document, and when it is off says how a developer gets a token instead.
 */
import { api, openApiDocument, session } from '../api.js';
import { h, replace } from '../dom.js';
import { field, showError } from './common.js';

const roles = ['supervisor', 'officer', 'psychologist', 'clinician', 'victim_advocate', 'probation', 'auditor', 'admin'];

/** @param {HTMLElement} main @param {AbortSignal} _signal @param {() => void} done */
export async function signInView(main, _signal, done) {
  const reason = sessionStorage.getItem('hru.console.signInReason');
  sessionStorage.removeItem('hru.console.signInReason');
  const tokenError = h('div');
  const tokenInput = h('textarea', { name: 'token', rows: '3', required: true, autocomplete: 'off', spellcheck: 'false' });
  const devArea = h('div');
  replace(
    main,
    h('h1', null, 'Sign in'),
    reason ? h('div', { class: 'warning', role: 'alert' }, reason) : null,
    h(
      'form',
      {
        class: 'panel',
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
      h('h2', null, 'With your organisation’s sign-in'),
      h('p', null, 'Paste the access token your identity provider issued for the HRU engine (OpenID Connect, authorisation code flow with PKCE). It stays in this tab only.'),
      field('Bearer token', tokenInput),
      tokenError,
      h('button', { type: 'submit', class: 'primary' }, 'Sign in with token'),
    ),
    devArea,
  );
  try {
    const doc = await openApiDocument();
    replace(devArea, doc?.paths?.['/v1/dev/token']?.post ? devSignIn(done) : devSignInOff());
  } catch {
    // Without the OpenAPI document the development form cannot be offered; the token form still works.
  }
}

/** What a developer reads when this engine does not offer development sign-in (the production default). */
function devSignInOff() {
  return h(
    'section',
    { class: 'panel', id: 'dev-sign-in-off' },
    h('h2', null, 'Development sign-in is off'),
    h(
      'p',
      null,
      'This engine does not mint tokens for the console. Staff sign in with their organisation’s token above. ',
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
