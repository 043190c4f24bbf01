/**
 * Every path that returns personal data is justified and logged (DPA 2018 s62), proved by walking the OpenAPI
 * document: each operation's route says in code whether its reply carries personal data
 * (`config.access.personalData`). A marked route refuses a request without a justification (400) and writes an
 * access-log entry for one with it; an unmarked route must not return any of the canary personal data planted
 * through intake and commands (names, date of birth, the narrative, free-text reasons, an alert's reason).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { staffRoles } from '@hru/events';
import { mintDevToken } from '@hru/infra';
import { partyIdFor } from '@hru/workflows';
import type { Access } from '../../services/api/src/plugins/access-control.js';
import { JWT_SECRET, apiKey, bearer, createTestApp, intakeBody, type TestApp } from '../support/test-app.js';
import { eventually } from '../support/eventually.js';
import { readSseUntil } from '../support/sse.js';

const canary = {
  victim: 'Canaryvictim Zyzzogeton',
  suspect: 'Canarysuspect Quixotry',
  dob: '1911-11-11',
  summary: 'CANARY-NARRATIVE-5e1f reported contact at the bus depot',
  triage: 'CANARY-TRIAGE-REASON-77ab',
  alert: 'CANARY-ALERT-REASON-c0de seen outside the school',
};
const canaryStrings = Object.values(canary);

/** The routes whose replies carry personal data, as this test expects them (the code marks them). */
const expectedPersonal: Record<string, true | 'body'> = {
  'GET /v1/referrals/:id': true,
  'GET /v1/referrals/:id/history': true,
  'GET /v1/referrals/:id/state': true,
  'POST /v1/referrals/:id/disclosures': 'body',
  'GET /v1/people/:partyId/export': true,
  'POST /v1/people/:partyId/erasure': true,
  'GET /v1/research/extract': true,
  'GET /v1/caseload/search': true,
  'GET /v1/perpetrators/:partyId': true,
};

let t: TestApp;
let base: string;
let referralId: string;
let alertId: string;
let everyone: string;
/** A second referral, whose victim the walk erases (the planted one must keep its canaries). */
let erasableReferralId: string;

beforeAll(async () => {
  t = await createTestApp({ app: { rateLimitPerMinute: 100_000 }, env: { HRU_DEV_SIGN_IN: 'true' } });
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  base = `http://127.0.0.1:${(t.app.server.address() as { port: number }).port}`;
  // Every staff role at once (the owning force): each route admits it, and it may read every referral.
  everyone = await mintDevToken(JWT_SECRET, { sub: 'walker', name: 'Walker', roles: [...staffRoles], agency: 'police' });
  const intake = await t.app.inject({
    method: 'POST',
    url: '/v1/referrals',
    headers: apiKey(),
    payload: intakeBody({
      summary: canary.summary,
      victim: { ref: 'P-CANARY-1', name: canary.victim, dateOfBirth: canary.dob },
      suspect: { ref: 'P-CANARY-2', name: canary.suspect },
    }),
  });
  expect(intake.statusCode, intake.body).toBe(201);
  referralId = intake.json().referralId;
  const erasable = await t.app.inject({ method: 'POST', url: '/v1/referrals', headers: apiKey(), payload: intakeBody({ victim: { ref: 'P-WALK-ERASE', name: 'Erasable Walker' } }) });
  erasableReferralId = erasable.json().referralId;
  const command = async (name: string, payload: object) => {
    const res = await t.app.inject({ method: 'POST', url: `/v1/referrals/${referralId}/commands/${name}`, headers: bearer(everyone), payload });
    expect(res.statusCode, res.body).toBe(200);
  };
  await command('triage', { decision: 'proceed', reason: canary.triage });
  await command('raise-urgent-action', { reason: canary.alert });
  alertId = (await eventually(async () => {
    const items = (await t.app.inject({ method: 'GET', url: `/v1/alerts?status=all&referralId=${referralId}`, headers: bearer(everyone) })).json().items as { alertId: string }[];
    return items[0]?.alertId;
  }))!;
  // The caseload and queues have caught up with the referral too, so their replies are worth scanning.
  await eventually(async () => JSON.stringify((await t.app.inject({ method: 'GET', url: '/v1/caseload', headers: bearer(everyone) })).json()).includes(referralId));
});
afterAll(async () => t.close());

interface Operation {
  method: string;
  /** The route as registered (`/v1/referrals/:id`). */
  route: string;
  /** The path as the document writes it (`/v1/referrals/{id}`). */
  path: string;
  parameters: { name: string; in: string; required?: boolean }[];
}

async function operations(): Promise<Operation[]> {
  const doc = (await t.app.inject({ method: 'GET', url: '/openapi.json' })).json() as { paths: Record<string, Record<string, { parameters?: Operation['parameters'] }>> };
  return Object.entries(doc.paths).flatMap(([path, methods]) =>
    Object.entries(methods)
      .filter(([method]) => ['get', 'post', 'put', 'patch', 'delete'].includes(method))
      .map(([method, op]) => ({ method: method.toUpperCase(), path, route: path.replace(/\{([^}]+)\}/g, ':$1'), parameters: op.parameters ?? [] })),
  );
}

/** Values for the parameters an operation needs. */
function urlOf(op: Operation): string {
  const values: Record<string, string> = {
    stage: 'triage',
    from: '2020-01-01',
    to: '2030-12-31',
    // A perpetrator's page is found by a suspect's id (the canary referral's suspect); a person's by the victim's.
    partyId: partyIdFor('niche', op.route.endsWith('/erasure') ? 'P-WALK-ERASE' : op.route.startsWith('/v1/perpetrators/') ? 'P-CANARY-2' : 'P-CANARY-1'),
  };
  let url = op.path.replace('{id}', op.path.startsWith('/v1/alerts/') ? alertId : referralId).replace(/\{([^}]+)\}/g, (_, name: string) => values[name] ?? name);
  const query = op.parameters.filter((p) => p.in === 'query' && p.required).map((p) => `${p.name}=${encodeURIComponent(values[p.name] ?? '1')}`);
  if (op.route === '/v1/referrals/:id/state') query.push('revision=1');
  if (op.route === '/v1/alerts') query.push('status=all');
  if (op.route === '/v1/alerts/stream') query.push('after=-1');
  if (op.route === '/v1/research/extract') return `${url}?from=2020-01&to=2029-12`;
  return query.length ? `${url}?${query.join('&')}` : url;
}

function credentialsFor(op: Operation): Record<string, string> {
  const access = t.app.routeAccess.get(`${op.method} ${op.route}`);
  if (access && 'sources' in access && access.sources && !access.staff) return apiKey();
  return bearer(everyone);
}

/** Bodies that pass validation, where a route needs one to reach its handler. */
function bodyFor(op: Operation, justified: boolean): object | undefined {
  if (op.method !== 'POST') return undefined;
  if (op.route === '/v1/referrals/:id/disclosures') {
    return { recipients: ['MARAC chair'], gateway: 'safeguarding', ...(justified ? { justification: 'walk of the OpenAPI document' } : {}) };
  }
  if (op.route === '/v1/referrals/:id/commands/log-time') return { agency: 'police', minutes: 5, activity: 'walk' };
  if (op.route === '/v1/referrals') return intakeBody();
  return {};
}

/** The referral whose access log a justified call of this operation writes to; none (every entry) for a read across referrals. */
const loggedReferral = (op: Operation) =>
  op.route.endsWith('/erasure') ? erasableReferralId : op.route === '/v1/research/extract' || op.route === '/v1/caseload/search' ? undefined : referralId;

async function accessLogEntries(op: Operation): Promise<{ requestId: string }[]> {
  const about = loggedReferral(op);
  const res = await t.app.inject({ method: 'GET', url: `/v1/audit/access-log?${about ? `referralId=${about}&` : ''}limit=5000`, headers: bearer(everyone) });
  expect(res.statusCode, res.body).toBe(200);
  return res.json().entries;
}

/** The alert stream, read over a socket until it has sent the planted alert. */
const readStream = (url: string) => readSseUntil(`${base}${url}`, bearer(everyone), `"alertId":"${alertId}"`);

describe('the OpenAPI walk', () => {
  it('marks in code exactly the routes whose replies carry personal data', () => {
    const marked = Object.fromEntries(
      [...t.app.routeAccess.entries()]
        .filter(([key, access]) => !key.startsWith('HEAD ') && !('public' in access) && (access as Exclude<Access, { public: true }>).personalData !== undefined)
        .map(([key, access]) => [key, (access as { personalData: true | 'body' }).personalData]),
    );
    expect(marked).toEqual(expectedPersonal);
  });

  it('every route of the document: personal data only behind a justification and an access-log entry; no canary elsewhere', async () => {
    const ops = await operations();
    expect(ops.length).toBeGreaterThan(20);
    const failures: string[] = [];
    const walked: string[] = [];
    for (const op of ops) {
      const key = `${op.method} ${op.route}`;
      const access = t.app.routeAccess.get(key);
      if (!access) {
        failures.push(`${key}: in the document but not registered`);
        continue;
      }
      walked.push(key);
      const url = urlOf(op);
      const mark = 'public' in access ? undefined : access.personalData;
      if (mark !== undefined) {
        const without = await t.app.inject({ method: op.method as 'GET', url, headers: credentialsFor(op), ...(bodyFor(op, false) ? { payload: bodyFor(op, false) } : {}) });
        if (without.statusCode !== 400) failures.push(`${key}: ${without.statusCode} without a justification, expected 400`);
        const before = await accessLogEntries(op);
        const withIt = await t.app.inject({
          method: op.method as 'GET',
          url,
          headers: { ...credentialsFor(op), 'x-justification': 'walk of the OpenAPI document' },
          ...(bodyFor(op, true) ? { payload: bodyFor(op, true) } : {}),
        });
        if (withIt.statusCode !== 200) failures.push(`${key}: ${withIt.statusCode} with a justification, expected 200 (${withIt.body.slice(0, 200)})`);
        const after = await accessLogEntries(op);
        const logged = after.filter((e) => e.requestId === withIt.headers['x-request-id']);
        if (after.length !== before.length + 1 || logged.length !== 1) failures.push(`${key}: the justified read left ${logged.length} access-log entries`);
        continue;
      }
      const { status, text } =
        op.route === '/v1/alerts/stream'
          ? await readStream(url)
          : await (async () => {
              const res = await t.app.inject({ method: op.method as 'GET', url, headers: credentialsFor(op), ...(bodyFor(op, false) ? { payload: bodyFor(op, false) } : {}) });
              return { status: res.statusCode, text: res.body };
            })();
      if (status >= 500) failures.push(`${key}: ${status}`);
      for (const planted of canaryStrings) if (text.includes(planted)) failures.push(`${key} (${status}) returned personal data without a justification: ${planted}`);
      if (op.route === '/v1/alerts/stream' && !text.includes(alertId)) failures.push(`${key}: the stream never sent the planted alert`);
      if (op.route === '/v1/alerts' && !text.includes(alertId)) failures.push(`${key}: the list does not hold the planted alert`);
    }
    expect(failures).toEqual([]);
    // The walk reached the routes that matter, personal or not.
    for (const key of [...Object.keys(expectedPersonal), 'GET /v1/alerts', 'GET /v1/alerts/stream', 'GET /v1/caseload', 'GET /v1/queues/:stage', 'GET /v1/audit/access-log']) {
      expect(walked, key).toContain(key);
    }
  });

  it('the marked routes do return the canary once justified (the planting works)', async () => {
    const res = await t.app.inject({ method: 'GET', url: `/v1/referrals/${referralId}`, headers: { ...bearer(everyone), 'x-justification': 'walk check' } });
    for (const planted of [canary.victim, canary.dob, canary.summary, canary.alert]) expect(res.body).toContain(planted);
  });
});
