/**
 * The role matrix: every registered route × every staff role, a source system and an anonymous caller.
 * Expectations for the contract's routes are written out here (not read from the code); command routes are
 * checked against the roles they declare, and every route must appear in the matrix.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { staffRoles, type Role } from '@hru/events';
import type { Access } from '../../services/api/src/plugins/access-control.js';
import { allRoles, apiKey, bearer, createTestApp, intakeBody, type TestApp } from '../support/test-app.js';

type Caller = 'anonymous' | 'source' | Role;
const callers: Caller[] = ['anonymous', 'source', ...allRoles];

/** Who may call each route, as the README's route table (the external contract as implemented) says. */
const expected: Record<string, Caller[] | 'public'> = {
  'GET /healthz': 'public',
  'GET /readyz': 'public',
  'GET /openapi.json': 'public',
  'GET /metrics': ['admin'],
  'POST /v1/referrals': ['source'],
  'GET /v1/referrals/:id': [...staffRoles],
  'POST /v1/referrals/:id/commands/:command': [...staffRoles],
  'POST /v1/referrals/:id/disclosures': ['supervisor', 'officer', 'psychologist', 'clinician', 'victim_advocate', 'probation'],
  'GET /v1/caseload': [...staffRoles],
  'GET /v1/queues/:stage': [...staffRoles],
  'GET /v1/stats/headline': [...staffRoles],
  'GET /v1/stats/outcomes': [...staffRoles],
  'GET /v1/stats/reoffending': [...staffRoles],
  'GET /v1/stats/value-for-money': [...staffRoles],
  'GET /v1/alerts': ['supervisor'],
  'POST /v1/alerts/:id/acknowledge': ['supervisor'],
  'GET /v1/alerts/stream': ['supervisor'],
  'GET /v1/referrals/:id/history': ['auditor', 'supervisor'],
  'GET /v1/referrals/:id/state': ['auditor', 'supervisor'],
  'GET /v1/audit/access-log': ['auditor'],
  'GET /v1/audit/verify': ['auditor'],
  // Development only (absent when HRU_JWKS_URL is set or NODE_ENV=production); the console's static assets carry no data.
  'POST /v1/dev/token': 'public',
  'GET /': 'public',
  'GET /console': 'public',
  'GET /console/': 'public',
  'GET /console/*': 'public',
};

let t: TestApp;
let referralId: string;
const tokens = new Map<Role, string>();

beforeAll(async () => {
  t = await createTestApp({ app: { rateLimitPerMinute: 100_000 } });
  for (const role of allRoles) tokens.set(role, await t.token(role));
  referralId = (await t.app.inject({ method: 'POST', url: '/v1/referrals', headers: apiKey(), payload: intakeBody() })).json().referralId;
});
afterAll(async () => t.close());

function headersFor(caller: Caller): Record<string, string> {
  if (caller === 'anonymous') return {};
  if (caller === 'source') return apiKey();
  return bearer(tokens.get(caller)!);
}

function routes(): [string, Access][] {
  return [...t.app.routeAccess.entries()].filter(([key]) => !key.startsWith('HEAD ') && !key.includes('/docs'));
}

function expectedCallers(key: string, access: Access): Caller[] | 'public' {
  if (key in expected) return expected[key]!;
  if (/^POST \/v1\/referrals\/:id\/commands\/[a-z-]+$/.test(key)) {
    // Lifecycle commands: staff only, exactly the roles the command declares, never source systems.
    if ('public' in access) throw new Error(`${key} is public`);
    return [...(access.staff ?? [])];
  }
  throw new Error(`Route ${key} is not in the role matrix: add its expected callers`);
}

describe('role matrix', () => {
  it('covers every registered route, and no command is open to source systems or the public', () => {
    for (const [key, access] of routes()) {
      const who = expectedCallers(key, access);
      if (key.includes('/commands/')) expect('public' in access || access.sources === true, key).toBe(false);
      expect(who === 'public' || who.length > 0, key).toBe(true);
    }
  });

  it('admits exactly the expected callers on every route', async () => {
    const failures: string[] = [];
    for (const [key, access] of routes()) {
      const [method, path] = key.split(' ') as [string, string];
      // A stream never ends: admitted callers get a validation error instead (auth runs before validation).
      const url = path.replace(':id', referralId).replace(':command', 'no-such-command') + (path.endsWith('/stream') ? '?after=not-a-position' : '');
      const who = expectedCallers(key, access);
      for (const caller of callers) {
        const res = await t.app.inject({
          method: method as 'GET' | 'POST',
          url,
          headers: { ...headersFor(caller), 'x-justification': 'role matrix test' },
          ...(method === 'POST' ? { payload: {} } : {}),
        });
        const admitted = res.statusCode !== 401 && res.statusCode !== 403;
        const shouldAdmit = who === 'public' || who.includes(caller);
        if (admitted !== shouldAdmit) failures.push(`${key} as ${caller}: ${res.statusCode}, expected ${shouldAdmit ? 'admitted' : 'refused'}`);
        if (!shouldAdmit && caller === 'anonymous' && res.statusCode !== 401) failures.push(`${key} anonymous: ${res.statusCode}, expected 401`);
        if (!shouldAdmit && caller !== 'anonymous' && res.statusCode !== 403) failures.push(`${key} as ${caller}: ${res.statusCode}, expected 403`);
      }
    }
    expect(failures).toEqual([]);
  });
});
