/**
 * The role matrix: every registered route × every staff role, a source system and an anonymous caller.
 * Expectations for the contract's routes are written out here (not read from the code); a command route is
 * expected to admit exactly the roles its command declares in the workflow catalogue (not what the route
 * registered), and every route must appear in the matrix.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { staffRoles, type Role } from '@hru/events';
import { commandCatalogue, commandNames, isCommandName } from '@hru/workflows';
import type { Access } from '../../services/api/src/plugins/access-control.js';
import { allRoles, apiKey, bearer, createTestApp, intakeBody, type TestApp } from '../support/test-app.js';
import { eventually } from '../support/eventually.js';
import { readSseUntil } from '../support/sse.js';

type Caller = 'anonymous' | 'source' | Role;
const callers: Caller[] = ['anonymous', 'source', ...allRoles];

/** Who may call each route, as the README's route table (the external contract as implemented) says. */
const expected: Record<string, Caller[] | 'public'> = {
  'GET /healthz': 'public',
  'GET /readyz': 'public',
  'GET /openapi.json': 'public',
  'GET /metrics': ['admin'],
  'POST /v1/referrals': ['source'],
  // Admin runs the system and reads no personal data; data protection works on people, not cases.
  'GET /v1/referrals/:id': staffRoles.filter((r) => r !== 'admin' && r !== 'data_protection'),
  'POST /v1/referrals/:id/commands/:command': [...staffRoles],
  'POST /v1/referrals/:id/disclosures': ['supervisor', 'officer', 'psychologist', 'clinician', 'victim_advocate', 'probation'],
  'GET /v1/caseload': [...staffRoles],
  // A person's name or source reference finds their cases: a justified read, by those who read cases' personal data.
  'GET /v1/caseload/search': staffRoles.filter((r) => r !== 'admin' && r !== 'data_protection'),
  'GET /v1/queues/:stage': [...staffRoles],
  'GET /v1/stats/headline': [...staffRoles],
  'GET /v1/stats/outcomes': [...staffRoles],
  'GET /v1/stats/reoffending': [...staffRoles],
  'GET /v1/stats/value-for-money': [...staffRoles],
  'GET /v1/stats/trend': [...staffRoles],
  // Statutory and plan clocks across the caseload: ids, kinds, roles and times; the caseworkers, supervisors and auditors.
  'GET /v1/deadlines': staffRoles.filter((r) => r !== 'admin' && r !== 'data_protection'),
  // Every caseworker: supervisors see and acknowledge every alert, the others those addressed to their role.
  'GET /v1/alerts': ['supervisor', 'officer', 'psychologist', 'clinician', 'victim_advocate', 'probation'],
  'POST /v1/alerts/:id/acknowledge': ['supervisor', 'officer', 'psychologist', 'clinician', 'victim_advocate', 'probation'],
  // A case study: priced figures and who recorded them, no reasons; those who report the unit's value and the auditor.
  'GET /v1/referrals/:id/value-for-money': ['supervisor', 'officer', 'auditor'],
  'GET /v1/alerts/stream': ['supervisor', 'officer', 'psychologist', 'clinician', 'victim_advocate', 'probation'],
  'GET /v1/referrals/:id/history': ['auditor', 'supervisor'],
  'GET /v1/referrals/:id/state': ['auditor', 'supervisor'],
  'GET /v1/audit/access-log': ['auditor'],
  'GET /v1/audit/verify': ['auditor'],
  'GET /v1/audit/integrity': ['auditor'],
  'POST /v1/people/:partyId/erasure': ['data_protection'],
  'GET /v1/people/:partyId/export': ['data_protection'],
  // Pseudonymised data is still personal data: the data protection officer alone draws the research extract.
  'GET /v1/research/extract': ['data_protection'],
  // The retention queue (MoPI): ids, groups and dates; data protection reviews, supervisors bring the risk picture.
  'GET /v1/retention/due': ['data_protection', 'supervisor'],
  // Serial perpetrators (issue #21): caseworkers of the owning force read the ranking and a perpetrator's page and the
  // tasking list; police roles link party ids; the meeting's chair records its decision; outcomes for reporting and audit.
  'GET /v1/perpetrators': ['supervisor', 'officer', 'psychologist', 'clinician', 'victim_advocate', 'probation'],
  'GET /v1/perpetrators/:partyId': ['supervisor', 'officer', 'psychologist', 'clinician', 'victim_advocate', 'probation'],
  'POST /v1/perpetrators/commands/link-parties': ['supervisor', 'officer'],
  'POST /v1/perpetrators/commands/unlink-parties': ['supervisor', 'officer'],
  'GET /v1/tasking': ['supervisor', 'officer', 'psychologist', 'clinician', 'victim_advocate', 'probation'],
  'POST /v1/tasking/decisions': ['supervisor'],
  'GET /v1/tasking/outcomes': ['supervisor', 'officer', 'auditor'],
  // Development only (absent when HRU_JWKS_URL is set or NODE_ENV=production); the console's static assets carry no data.
  'POST /v1/dev/token': 'public',
  'GET /': 'public',
  'GET /console': 'public',
  'GET /console/': 'public',
  'GET /console/*': 'public',
  // Sign-in comes before a token: public client settings only, and the OpenID client library the console loads.
  'GET /v1/sign-in/config': 'public',
  'GET /console/vendor/oauth4webapi.js': 'public',
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

const commandRoute = (name: string) => `POST /v1/referrals/:id/commands/${name}`;

function expectedCallers(key: string): Caller[] | 'public' {
  if (key in expected) return expected[key]!;
  const command = /^POST \/v1\/referrals\/:id\/commands\/([a-z-]+)$/.exec(key)?.[1];
  if (command !== undefined && isCommandName(command)) {
    // Lifecycle commands: staff only, exactly the roles the catalogue declares; system commands have no route.
    const { roles } = commandCatalogue[command];
    if (roles === 'system') throw new Error(`${key}: ${command} is sent only by the engine's own systems`);
    return [...roles];
  }
  throw new Error(`Route ${key} is not in the role matrix: add its expected callers`);
}

describe('role matrix', () => {
  it('covers every registered route, and no command is open to source systems or the public', () => {
    for (const [key, access] of routes()) {
      const who = expectedCallers(key);
      if (key.includes('/commands/')) expect('public' in access || access.sources === true, key).toBe(false);
      expect(who === 'public' || who.length > 0, key).toBe(true);
    }
  });

  it('has a route for every staff command of the catalogue, and none for a system command', () => {
    const registered = new Set(routes().map(([key]) => key));
    const routed = commandNames.filter((name) => registered.has(commandRoute(name)));
    expect(routed).toEqual(commandNames.filter((name) => commandCatalogue[name].roles !== 'system'));
  });

  it('admits exactly the expected callers on every route', async () => {
    const failures: string[] = [];
    for (const [key] of routes()) {
      const [method, path] = key.split(' ') as [string, string];
      // A stream never ends: admitted callers get a validation error instead (auth runs before validation).
      const url = path.replace(':id', referralId).replace(':command', 'no-such-command') + (path.endsWith('/stream') ? '?after=not-a-position' : '');
      const who = expectedCallers(key);
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

/**
 * The agency dimension: each staff role of the owning force (`police`), of a partner agency on the referral's
 * case team, of a partner agency it was disclosed to, and of a partner agency with no link, on every route that
 * reads one referral. A role the route does not admit gets 403 (roles are checked first); an admitted role
 * whose agency is not entitled gets 404, as for a referral that does not exist.
 */
describe('role × agency matrix', () => {
  type Link = 'owning agency' | 'partner on case team' | 'partner via disclosure' | 'partner with no link';
  const links: Link[] = ['owning agency', 'partner on case team', 'partner via disclosure', 'partner with no link'];
  const agencyOf: Record<Link, string> = {
    'owning agency': 'police',
    'partner on case team': 'nhs-mental-health',
    'partner via disclosure': 'probation-service',
    'partner with no link': 'county-council',
  };
  const referralOf = {} as Record<Link, string>;
  const partnerTokens = new Map<string, string>();
  const key = (role: Role, link: Link) => `${role}@${link}`;
  const justify = { 'x-justification': 'agency matrix test' };

  /** The routes that read one referral: what each sends, and the status an entitled caller gets. */
  const readingRoutes: { route: string; method: 'GET' | 'POST'; url: (id: string) => string; payload?: object; ok: number }[] = [
    { route: 'GET /v1/referrals/:id', method: 'GET', url: (id) => `/v1/referrals/${id}`, ok: 200 },
    { route: 'GET /v1/referrals/:id/history', method: 'GET', url: (id) => `/v1/referrals/${id}/history`, ok: 200 },
    { route: 'GET /v1/referrals/:id/history', method: 'GET', url: (id) => `/v1/referrals/${id}/history?format=csv`, ok: 200 },
    { route: 'GET /v1/referrals/:id/state', method: 'GET', url: (id) => `/v1/referrals/${id}/state?revision=0`, ok: 200 },
    { route: 'GET /v1/referrals/:id/state', method: 'GET', url: (id) => `/v1/referrals/${id}/state?from=0&to=1`, ok: 200 },
    { route: 'GET /v1/referrals/:id/value-for-money', method: 'GET', url: (id) => `/v1/referrals/${id}/value-for-money`, ok: 200 },
    {
      route: 'POST /v1/referrals/:id/disclosures',
      method: 'POST',
      url: (id) => `/v1/referrals/${id}/disclosures`,
      payload: { recipients: ['MARAC chair'], gateway: 'safeguarding', justification: 'agency matrix test' },
      ok: 200,
    },
    {
      route: 'POST /v1/referrals/:id/commands/log-time',
      method: 'POST',
      url: (id) => `/v1/referrals/${id}/commands/log-time`,
      payload: { agency: 'police', minutes: 5, activity: 'matrix' },
      ok: 200,
    },
  ];

  beforeAll(async () => {
    const supervisor = tokens.get('supervisor')!;
    const create = async () => (await t.app.inject({ method: 'POST', url: '/v1/referrals', headers: apiKey(), payload: intakeBody() })).json().referralId as string;
    const send = async (id: string, url: string, payload: object) => {
      const res = await t.app.inject({ method: 'POST', url: `/v1/referrals/${id}${url}`, headers: { ...bearer(supervisor), ...justify }, payload });
      expect(res.statusCode, res.body).toBe(200);
    };
    referralOf['owning agency'] = await create();
    referralOf['partner with no link'] = referralOf['owning agency'];
    const team = await create();
    await send(team, '/commands/triage', { decision: 'proceed', reason: 'fixated' });
    await send(team, '/commands/screen', { decision: 'adopt', reason: 'escalating' });
    await send(team, '/commands/schedule-case-discussion', { scheduledFor: '2026-12-01T10:00:00Z', invitedAgencies: [agencyOf['partner on case team']] });
    referralOf['partner on case team'] = team;
    const disclosed = await create();
    await send(disclosed, '/disclosures', {
      recipients: ['Probation: offender manager'],
      agencies: [agencyOf['partner via disclosure']],
      gateway: 'mappa_duty_to_cooperate',
      justification: 'MAPPA level 2 meeting',
    });
    referralOf['partner via disclosure'] = disclosed;
    for (const role of allRoles) for (const link of links) partnerTokens.set(key(role, link), await t.token(role, `${role}-${link.replace(/ /g, '-')}`, agencyOf[link]));
  });

  it('gives each role of each agency the expected status on every route that reads one referral', async () => {
    const failures: string[] = [];
    for (const { route, method, url, payload, ok } of readingRoutes) {
      const admitted = expectedCallers(route);
      for (const role of allRoles) {
        for (const link of links) {
          const res = await t.app.inject({
            method,
            url: url(referralOf[link]),
            headers: { ...bearer(partnerTokens.get(key(role, link))!), ...justify },
            ...(payload ? { payload } : {}),
          });
          const roleAdmitted = admitted !== 'public' && admitted.includes(role);
          const expected = !roleAdmitted ? 403 : link === 'partner with no link' ? 404 : ok;
          if (res.statusCode !== expected) failures.push(`${method} ${url('…')} as ${role} (${link}): ${res.statusCode}, expected ${expected}`);
          if (res.statusCode === 404) expect(res.json().code).toBe('not_found');
        }
      }
    }
    expect(failures).toEqual([]);
  });

  it('lists (caseload, queues) show partner agency staff only the referrals they may read', async () => {
    const ids = (body: { items: { referralId: string }[] }) => new Set(body.items.map((i) => i.referralId));
    const caseloadAs = async (link: Link) =>
      ids((await t.app.inject({ method: 'GET', url: '/v1/caseload?limit=5000', headers: bearer(partnerTokens.get(key('officer', link))!) })).json());
    const owning = await eventually(
      () => caseloadAs('owning agency'),
      (seen) => Object.values(referralOf).every((id) => seen.has(id)),
    );
    expect(owning.has(referralOf['partner with no link'])).toBe(true);
    const team = await caseloadAs('partner on case team');
    expect([...team]).toEqual([referralOf['partner on case team']]);
    const disclosed = await caseloadAs('partner via disclosure');
    expect([...disclosed]).toEqual([referralOf['partner via disclosure']]);
    expect((await caseloadAs('partner with no link')).size).toBe(0);
    const triage = await t.app.inject({ method: 'GET', url: '/v1/queues/triage', headers: bearer(partnerTokens.get(key('officer', 'partner with no link'))!) });
    expect(triage.statusCode).toBe(200);
    expect(triage.json().items).toEqual([]);
  });

  it('alerts: a partner supervisor sees and acknowledges only alerts of referrals they may read', async () => {
    const urgent = (await t.app.inject({ method: 'POST', url: '/v1/referrals', headers: apiKey(), payload: intakeBody({ indicators: ['threats_to_kill'] }) })).json().referralId as string;
    const alertsAs = async (link: Link) =>
      ((await t.app.inject({ method: 'GET', url: '/v1/alerts?status=all', headers: bearer(partnerTokens.get(key('supervisor', link))!) })).json().items as { alertId: string; referralId: string }[]);
    const alert = (await eventually(async () => (await alertsAs('owning agency')).find((a) => a.referralId === urgent)))!;
    expect((await alertsAs('partner with no link')).some((a) => a.referralId === urgent)).toBe(false);
    expect((await alertsAs('partner via disclosure')).some((a) => a.referralId === urgent)).toBe(false);
    const acknowledge = (link: Link) =>
      t.app.inject({ method: 'POST', url: `/v1/alerts/${alert.alertId}/acknowledge`, headers: bearer(partnerTokens.get(key('supervisor', link))!), payload: { note: 'seen' } });
    expect((await acknowledge('partner with no link')).statusCode).toBe(404);
    const shared = await t.app.inject({
      method: 'POST',
      url: `/v1/referrals/${urgent}/disclosures`,
      headers: { ...bearer(tokens.get('supervisor')!), ...justify },
      payload: { recipients: ['Probation duty officer'], agencies: [agencyOf['partner via disclosure']], gateway: 'safeguarding', justification: 'threats to kill' },
    });
    expect(shared.statusCode, shared.body).toBe(200);
    expect((await alertsAs('partner via disclosure')).some((a) => a.referralId === urgent)).toBe(true);
    expect((await acknowledge('partner via disclosure')).statusCode).toBe(200);
  });

  it('the alert stream tells a partner supervisor only of referrals they may read', async () => {
    const owning = tokens.get('supervisor')!;
    const hidden = (await t.app.inject({ method: 'POST', url: '/v1/referrals', headers: apiKey(), payload: intakeBody({ indicators: ['threats_to_kill'] }) })).json().referralId as string;
    const shared = (await t.app.inject({ method: 'POST', url: '/v1/referrals', headers: apiKey(), payload: intakeBody() })).json().referralId as string;
    const disclose = await t.app.inject({
      method: 'POST',
      url: `/v1/referrals/${shared}/disclosures`,
      headers: { ...bearer(owning), ...justify },
      payload: { recipients: ['Probation duty officer'], agencies: [agencyOf['partner via disclosure']], gateway: 'safeguarding', justification: 'risk to staff' },
    });
    expect(disclose.statusCode, disclose.body).toBe(200);
    // Raised after the hidden referral's alert: once the stream has sent it, it has passed the hidden one.
    const raise = await t.app.inject({ method: 'POST', url: `/v1/referrals/${shared}/commands/raise-urgent-action`, headers: bearer(owning), payload: { reason: 'weapon seen' } });
    expect(raise.statusCode, raise.body).toBe(200);
    const address = await t.app.listen({ port: 0, host: '127.0.0.1' });
    const { status, text } = await readSseUntil(
      `${address}/v1/alerts/stream?after=-1`,
      bearer(partnerTokens.get(key('supervisor', 'partner via disclosure'))!),
      `"referralId":"${shared}"`,
    );
    expect(status).toBe(200);
    expect(text).toContain(`"referralId":"${shared}"`);
    expect(text).not.toContain(hidden);
  });
});
