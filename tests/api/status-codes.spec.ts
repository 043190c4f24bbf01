/** Every status code the API promises, through the real HTTP stack (inject), as problem+json where an error. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiKey, bearer, createTestApp, intakeBody, type TestApp } from '../support/test-app.js';

let t: TestApp;
let supervisor: string;
let officer: string;

beforeAll(async () => {
  t = await createTestApp({ app: { rateLimitPerMinute: 10_000 } });
  supervisor = await t.token('supervisor');
  officer = await t.token('officer');
});
afterAll(async () => t.close());

function expectProblem(res: { statusCode: number; headers: Record<string, unknown>; json(): unknown }, status: number, code: string) {
  expect(res.statusCode).toBe(status);
  expect(String(res.headers['content-type'])).toContain('application/problem+json');
  const body = res.json() as Record<string, unknown>;
  expect(body).toMatchObject({ status, code, type: `urn:hru:problem:${code}` });
  expect(typeof body.title).toBe('string');
  expect(typeof body.detail).toBe('string');
  expect(typeof body.requestId).toBe('string');
  return body;
}

async function intake(body = intakeBody()) {
  return t.app.inject({ method: 'POST', url: '/v1/referrals', headers: apiKey(), payload: body });
}

describe('intake', () => {
  it('201 for a new crime, 200 with the same referral for a repeat, with Location and ETag', async () => {
    const body = intakeBody();
    const first = await intake(body);
    expect(first.statusCode).toBe(201);
    const created = first.json();
    expect(created).toMatchObject({ referralId: expect.stringMatching(/^ref-[0-9a-f]{32}$/), urgent: false, revision: expect.any(Number) });
    expect(first.headers.location).toBe(`/v1/referrals/${created.referralId}`);
    expect(first.headers.etag).toBe(`"${created.revision}"`);
    const again = await intake(body);
    expect(again.statusCode).toBe(200);
    expect(again.json()).toMatchObject({ referralId: created.referralId, revision: created.revision });
  });

  it('raises an urgent action by the default intake rules', async () => {
    const res = await intake(intakeBody({ indicators: ['threats_to_kill'] }));
    expect(res.statusCode).toBe(201);
    expect(res.json().urgent).toBe(true);
    const dash = await intake(intakeBody({ risk: { dashYesCount: 14 } }));
    expect(dash.json().urgent).toBe(true);
  });

  it('400 with field paths for unknown fields, missing fields and bad values', async () => {
    const { summary: _omit, ...withoutSummary } = intakeBody();
    const res = await intake({ ...withoutSummary, source: { system: 'niche', recordedAt: 'yesterday' }, colour: 'red' } as never);
    const body = expectProblem(res, 400, 'validation_failed');
    const paths = (body.errors as { path: string }[]).map((e) => e.path);
    expect(paths).toEqual(expect.arrayContaining(['/source/crimeReference', '/source/recordedAt']));
    expect(JSON.stringify(body.errors)).toContain('colour');
  });

  it('400 for malformed JSON', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/v1/referrals',
      headers: { ...apiKey(), 'content-type': 'application/json' },
      payload: '{"source": ',
    });
    expectProblem(res, 400, 'validation_failed');
  });

  it('403 when a source system sends another system’s crime', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/v1/referrals', headers: apiKey('athena'), payload: intakeBody() });
    expectProblem(res, 403, 'forbidden');
  });

  it('413 for a body over the limit', async () => {
    const res = await intake(intakeBody({ summary: 'x'.repeat(300 * 1024) }));
    expectProblem(res, 413, 'payload_too_large');
  });

  it('415 for a body that is not JSON', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/v1/referrals',
      headers: { ...apiKey(), 'content-type': 'text/plain' },
      payload: 'hello',
    });
    expectProblem(res, 415, 'unsupported_media_type');
  });
});

describe('authentication', () => {
  it('401 without credentials, with a bad token and with a bad key', async () => {
    const none = await t.app.inject({ method: 'GET', url: '/v1/referrals/ref-0123456789abcdef0123456789abcdef' });
    expectProblem(none, 401, 'unauthenticated');
    expect(none.headers['www-authenticate']).toContain('Bearer');
    const badToken = await t.app.inject({ method: 'POST', url: '/v1/referrals', headers: bearer('not-a-jwt'), payload: intakeBody() });
    expectProblem(badToken, 401, 'unauthenticated');
    const badKey = await t.app.inject({ method: 'POST', url: '/v1/referrals', headers: { authorization: 'ApiKey nope' }, payload: intakeBody() });
    expectProblem(badKey, 401, 'unauthenticated');
  });

  it('403 when the role may not call the route', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/metrics', headers: bearer(officer) });
    expectProblem(res, 403, 'forbidden');
    const staffOnIntake = await t.app.inject({ method: 'POST', url: '/v1/referrals', headers: bearer(supervisor), payload: intakeBody() });
    expectProblem(staffOnIntake, 403, 'forbidden');
  });
});

describe('reading a referral', () => {
  it('400 without X-Justification; 200 with ETag, allowed commands and personal data, and the read is logged', async () => {
    const { referralId } = (await intake()).json();
    const bare = await t.app.inject({ method: 'GET', url: `/v1/referrals/${referralId}`, headers: bearer(officer) });
    const problem = expectProblem(bare, 400, 'validation_failed');
    // Says what is missing and why, not zod's "expected string, received undefined".
    expect(problem.detail).toMatch(/^X-Justification is missing: every read of personal data is logged with the reason for it \(Data Protection Act 2018 s62\)/);
    expect(problem.errors).toEqual([{ path: '/x-justification', in: 'headers', message: problem.detail }]);
    const tooShort = await t.app.inject({ method: 'GET', url: `/v1/referrals/${referralId}`, headers: { ...bearer(officer), 'x-justification': 'ab' } });
    expect(expectProblem(tooShort, 400, 'validation_failed').detail).toMatch(/^Header X-Justification: .*at least 3 visible characters/);

    const res = await t.app.inject({
      method: 'GET',
      url: `/v1/referrals/${referralId}`,
      headers: { ...bearer(officer), 'x-justification': 'triage of a new referral' },
    });
    expect(res.statusCode).toBe(200);
    const view = res.json();
    expect(res.headers.etag).toBe(`"${view.revision}"`);
    expect(view.allowedCommands).toContain('triage');
    expect(view.availableToYou).toContain('triage');
    expect(JSON.stringify(view)).toContain('Alex Example');

    const log = await t.store.readAll({ filter: { streamPrefixes: ['access-log-'] } });
    const entry = log.find((e) => (e.data as { referralId: string }).referralId === referralId);
    expect(entry?.data).toMatchObject({ resource: 'referral', kind: 'consultation', justification: 'triage of a new referral' });
    expect(entry?.metadata.actor).toMatchObject({ kind: 'person', sub: 'user-1', roles: ['officer'] });
  });

  it('404 for an unknown referral, an unknown route and an unknown command', async () => {
    const unknown = await t.app.inject({
      method: 'GET',
      url: '/v1/referrals/ref-0123456789abcdef0123456789abcdef',
      headers: { ...bearer(officer), 'x-justification': 'checking' },
    });
    expectProblem(unknown, 404, 'not_found');
    expectProblem(await t.app.inject({ method: 'GET', url: '/v1/nothing-here', headers: bearer(officer) }), 404, 'not_found');
    const { referralId } = (await intake()).json();
    const command = await t.app.inject({
      method: 'POST',
      url: `/v1/referrals/${referralId}/commands/fly-to-the-moon`,
      headers: bearer(officer),
      payload: {},
    });
    expectProblem(command, 404, 'not_found');
  });
});

describe('commands', () => {
  it('applies triage, then 409 with allowedCommands for a command the state does not allow', async () => {
    const { referralId } = (await intake()).json();
    const early = await t.app.inject({
      method: 'POST',
      url: `/v1/referrals/${referralId}/commands/screen`,
      headers: bearer(officer),
      payload: { decision: 'adopt', reason: 'the unit can add value' },
    });
    const problem = expectProblem(early, 409, 'command_not_allowed');
    expect(problem.allowedCommands).toContain('triage');

    const triage = await t.app.inject({
      method: 'POST',
      url: `/v1/referrals/${referralId}/commands/triage`,
      headers: bearer(officer),
      payload: { decision: 'proceed', reason: 'fixated, obsessive, unwanted, repeated' },
    });
    expect(triage.statusCode).toBe(200);
    expect(triage.json()).toMatchObject({ referralId, events: ['TriageCompleted'] });
    expect(triage.headers.etag).toBe(`"${triage.json().revision}"`);
  });

  it('412 for a stale If-Match, and success with the current one', async () => {
    const created = (await intake()).json();
    const stale = await t.app.inject({
      method: 'POST',
      url: `/v1/referrals/${created.referralId}/commands/triage`,
      headers: { ...bearer(officer), 'if-match': `"${created.revision + 5}"` },
      payload: { decision: 'proceed', reason: 'stalking behaviour' },
    });
    expectProblem(stale, 412, 'precondition_failed');
    const current = await t.app.inject({
      method: 'POST',
      url: `/v1/referrals/${created.referralId}/commands/triage`,
      headers: { ...bearer(officer), 'if-match': `"${created.revision}"` },
      payload: { decision: 'proceed', reason: 'stalking behaviour' },
    });
    expect(current.statusCode).toBe(200);
  });

  it('400 with field errors for a bad command body', async () => {
    const { referralId } = (await intake()).json();
    const res = await t.app.inject({
      method: 'POST',
      url: `/v1/referrals/${referralId}/commands/triage`,
      headers: bearer(officer),
      payload: { decision: 'maybe' },
    });
    const body = expectProblem(res, 400, 'validation_failed');
    expect((body.errors as { path: string }[]).map((e) => e.path)).toEqual(expect.arrayContaining(['/decision', '/reason']));
  });
});

describe('operations', () => {
  it('healthz and readyz need no credentials; metrics need an admin and show intakes', async () => {
    expect((await t.app.inject({ method: 'GET', url: '/healthz' })).json()).toEqual({ status: 'ok' });
    const ready = await t.app.inject({ method: 'GET', url: '/readyz' });
    expect(ready.statusCode).toBe(200);
    expect(ready.json().checks.eventStore.ok).toBe(true);
    const metrics = await t.app.inject({ method: 'GET', url: '/metrics', headers: bearer(await t.token('admin')) });
    expect(metrics.statusCode).toBe(200);
    expect(metrics.body).toContain('hru_intakes_total{outcome="created"}');
    expect(metrics.body).toContain('hru_http_request_duration_seconds_bucket');
  });

  it('serves the OpenAPI 3.1 document with every command, and Swagger UI', async () => {
    const doc = (await t.app.inject({ method: 'GET', url: '/openapi.json' })).json();
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/v1/referrals', '/v1/referrals/{id}', '/v1/referrals/{id}/commands/triage']));
    const docs = await t.app.inject({ method: 'GET', url: '/docs/' });
    expect(docs.statusCode).toBe(200);
    expect(docs.headers['content-type']).toContain('text/html');
  });

  it('sets security headers and echoes request and correlation ids', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/healthz', headers: { 'x-correlation-id': 'corr-abc' } });
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['x-correlation-id']).toBe('corr-abc');
    expect(res.headers['x-request-id']).toBeTruthy();
  });
});

describe('rate limits and failures', () => {
  it('429 once a caller exceeds its limit', async () => {
    const limited = await createTestApp({ app: { rateLimitPerMinute: 3 } });
    try {
      const token = await limited.token('officer');
      const codes: number[] = [];
      for (let i = 0; i < 5; i++) {
        codes.push((await limited.app.inject({ method: 'GET', url: '/v1/referrals/ref-0123456789abcdef0123456789abcdef', headers: { ...bearer(token), 'x-justification': 'x-check' } })).statusCode);
      }
      expect(codes.slice(0, 3)).toEqual([404, 404, 404]);
      expect(codes[4]).toBe(429);
      const last = await limited.app.inject({ method: 'GET', url: '/v1/referrals/ref-0123456789abcdef0123456789abcdef', headers: { ...bearer(token), 'x-justification': 'x-check' } });
      expectProblem(last, 429, 'rate_limited');
    } finally {
      await limited.close();
    }
  });

  it('500 without internals when something unexpected fails', async () => {
    const broken = await createTestApp({
      adjust: (deps) => {
        deps.commands.load = async () => {
          throw new Error('database file /secret/path is corrupt');
        };
      },
    });
    try {
      const res = await broken.app.inject({
        method: 'GET',
        url: '/v1/referrals/ref-0123456789abcdef0123456789abcdef',
        headers: { ...bearer(await broken.token('officer')), 'x-justification': 'checking' },
      });
      const body = expectProblem(res, 500, 'internal');
      expect(JSON.stringify(body)).not.toContain('secret');
    } finally {
      await broken.close();
    }
  });
});
