// @ts-check
/** The session (the bearer token) and calls to the engine's API, with problem+json turned into readable errors. */

const TOKEN_KEY = 'hru.console.token';

/**
 * @typedef {{ sub: string, name: string, roles: string[], agency: string, exp?: number, iss?: string }} Claims
 */

/** The token lives in sessionStorage: it goes when the tab closes, and is never put in a URL. */
export const session = {
  get token() {
    return sessionStorage.getItem(TOKEN_KEY);
  },
  /** @returns {Claims | null} */
  get claims() {
    const token = this.token;
    if (!token) return null;
    try {
      const payload = token.split('.')[1] ?? '';
      return JSON.parse(atob(payload.replace(/-/g, '+').replace(/_/g, '/')));
    } catch {
      return null;
    }
  },
  /** @param {string} token */
  signIn(token) {
    sessionStorage.setItem(TOKEN_KEY, token);
  },
  signOut() {
    sessionStorage.removeItem(TOKEN_KEY);
    // Single sign-on's refresh and ID tokens (oidc.js's SSO_KEY) go with the access token they renew.
    sessionStorage.removeItem('hru.console.oidc');
  },
  get expired() {
    const exp = this.claims?.exp;
    return exp !== undefined && exp * 1000 <= Date.now();
  },
  /** @param {string[]} roles */
  hasRole(...roles) {
    const mine = this.claims?.roles ?? [];
    return roles.some((r) => mine.includes(r));
  },
};

/** An API error as people read it: a sentence, and the fields at fault. */
export class ApiError extends Error {
  /**
   * @param {number} status
   * @param {string} message
   * @param {{path: string, message: string}[]} [fieldErrors]
   * @param {Record<string, unknown>} [problem]
   */
  constructor(status, message, fieldErrors = [], problem = {}) {
    super(message);
    this.status = status;
    this.fieldErrors = fieldErrors;
    this.problem = problem;
  }
}

/** @param {Response} res @returns {Promise<ApiError>} */
export async function toApiError(res) {
  const text = await res.text().catch(() => '');
  /** @type {Record<string, any>} */
  let problem = {};
  try {
    problem = JSON.parse(text);
  } catch {
    // Not problem+json (a proxy's error page, say): fall back to the status line.
  }
  const title = typeof problem.title === 'string' ? problem.title : res.statusText || `HTTP ${res.status}`;
  const detail = typeof problem.detail === 'string' ? problem.detail : '';
  const message = status(res.status, title, detail);
  const errors = Array.isArray(problem.errors) ? problem.errors.filter((e) => e && typeof e.message === 'string') : [];
  return new ApiError(res.status, message, errors, problem);
}

/** @param {number} code @param {string} title @param {string} detail */
function status(code, title, detail) {
  if (code === 404 && !detail) return 'Not found: this part of the engine does not exist (yet) or the item is unknown.';
  return detail && detail !== title ? `${title}: ${detail}` : title;
}

/**
 * @param {string} path
 * @param {{ method?: string, body?: unknown, justification?: string, ifMatch?: number, signal?: AbortSignal, accept?: string }} [options]
 */
export async function api(path, options = {}) {
  /** @type {Record<string, string>} */
  const headers = { accept: options.accept ?? 'application/json' };
  const token = session.token;
  if (token) headers.authorization = `Bearer ${token}`;
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  // Header values must be ASCII to travel intact (fetch refuses anything beyond latin1): send other text in
  // RFC 8187's percent-encoded UTF-8, which the API decodes and logs exactly.
  if (options.justification) {
    headers['x-justification'] = /^[\x20-\x7e]*$/.test(options.justification)
      ? options.justification
      : `UTF-8''${encodeURIComponent(options.justification)}`;
  }
  if (options.ifMatch !== undefined) headers['if-match'] = `"${options.ifMatch}"`;
  let res;
  try {
    res = await fetch(path, {
      method: options.method ?? 'GET',
      headers,
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
      cache: 'no-store',
      signal: options.signal,
    });
  } catch (error) {
    if (error instanceof DOMException && error.name === 'AbortError') throw error;
    throw new ApiError(0, 'The engine cannot be reached. Check your connection; the console will keep trying where it can.');
  }
  if (!res.ok) {
    const error = await toApiError(res);
    if (res.status === 401 && token) window.dispatchEvent(new CustomEvent('hru:unauthenticated', { detail: error.message }));
    throw error;
  }
  if (res.status === 204) return null;
  const type = res.headers.get('content-type') ?? '';
  return type.includes('json') ? res.json() : res.text();
}

/** Downloads a CSV the API produces (fetch, because the request needs the Authorization header). */
export async function downloadCsv(/** @type {string} */ path, /** @type {string} */ filename) {
  const text = /** @type {string} */ (await api(path, { accept: 'text/csv' }));
  const url = URL.createObjectURL(new Blob([text], { type: 'text/csv' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** @type {Promise<any> | undefined} */
let openApi;
/** The OpenAPI document (public), fetched once: command forms are generated from it. */
export function openApiDocument() {
  openApi ??= fetch('/openapi.json', { cache: 'no-store' }).then(async (res) => {
    if (!res.ok) throw await toApiError(res);
    return res.json();
  });
  openApi.catch(() => (openApi = undefined));
  return openApi;
}
