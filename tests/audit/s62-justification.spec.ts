/**
 * DPA 2018 s62 logging: X-Justification is read as the UTF-8 the caller sent (or RFC 8187 percent-encoding),
 * stored exactly, and refused when blank or invisible; the access log cites the server's request id, with the
 * caller's X-Request-Id beside it, never in its place.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PersonalDataAccessed, justificationSchema } from '@hru/events';
import { decodeJustificationHeader } from '../../services/api/src/plugins/justification-header.js';
import { apiKey, bearer, createTestApp, intakeBody, type TestApp } from '../support/test-app.js';

let t: TestApp;
let referralId: string;
let supervisor: string;
let auditor: string;

/** A header as Node hands it over: one character per byte of the UTF-8 the client sent. */
const asSent = (text: string) => Buffer.from(text, 'utf8').toString('latin1');

beforeAll(async () => {
  t = await createTestApp({ app: { rateLimitPerMinute: 100_000 } });
  supervisor = await t.token('supervisor', 'sup-s62');
  auditor = await t.token('auditor', 'aud-s62');
  referralId = (await t.app.inject({ method: 'POST', url: '/v1/referrals', headers: apiKey(), payload: intakeBody() })).json().referralId;
});
afterAll(async () => t.close());

async function read(justification: string, extra: Record<string, string> = {}) {
  return t.app.inject({ method: 'GET', url: `/v1/referrals/${referralId}`, headers: { ...bearer(supervisor), 'x-justification': justification, ...extra } });
}

async function entries() {
  const res = await t.app.inject({
    method: 'GET',
    url: `/v1/audit/access-log?referralId=${referralId}&limit=1000`,
    headers: { ...bearer(auditor) },
  });
  expect(res.statusCode, res.body).toBe(200);
  return res.json().entries as { justification: string; requestId: string; clientRequestId: string | null; actor: { sub: string } }[];
}

describe('X-Justification', () => {
  it('is decoded as UTF-8 and stored byte-exact', async () => {
    const text = '  vérification — contrôle d’accès 检查 ';
    const res = await read(asSent(text), { 'x-request-id': 'utf8-case' });
    expect(res.statusCode, res.body).toBe(200);
    const entry = (await entries()).find((e) => e.clientRequestId === 'utf8-case');
    expect(entry?.justification).toBe(text);
  });

  it('accepts RFC 8187 percent-encoded UTF-8, and refuses it malformed', async () => {
    const res = await read(`UTF-8''v%C3%A9rification%20urgente`, { 'x-request-id': 'rfc8187-case' });
    expect(res.statusCode, res.body).toBe(200);
    expect((await entries()).find((e) => e.clientRequestId === 'rfc8187-case')?.justification).toBe('vérification urgente');
    expect((await read(`UTF-8''%E9t%C3`)).statusCode).toBe(400);
  });

  it('keeps a latin1 header that is not UTF-8 as latin1', () => {
    expect(decodeJustificationHeader('v\u00e9rification')).toBe('vérification');
    expect(decodeJustificationHeader(asSent('vérification'))).toBe('vérification');
    expect(decodeJustificationHeader('plain ascii')).toBe('plain ascii');
  });

  it.each([
    ['empty', ''],
    ['whitespace only', '      '],
    ['zero-width spaces', '\u200b\u200b\u200b\u200b'],
    ['Hangul fillers', asSent('\u3164\u3164\u3164\u3164')],
    ['braille blanks and a no-break space', asSent('\u2800\u2800\u00a0\u2800')],
    ['two visible characters padded with invisible ones', asSent('ok\u200d\u2060\ufeff')],
    ['word joiners and soft hyphens', asSent('\u2060\u00ad\u2060\u00ad')],
  ])('refuses a justification that is %s (400, nothing logged)', async (_name, value) => {
    const before = (await entries()).length;
    const res = await read(value);
    expect(res.statusCode, res.body).toBe(400);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect((await entries()).length).toBe(before);
  });

  it('has the same rules everywhere it is given (schema)', () => {
    expect(justificationSchema.safeParse('abc').success).toBe(true);
    expect(justificationSchema.safeParse(' a\u200bb\u200bc ').success).toBe(true);
    expect(justificationSchema.safeParse('a\u0007bc').success).toBe(false);
    expect(justificationSchema.safeParse('\u200b\u200c\u200d\ufe0f').success).toBe(false);
  });
});

describe('request ids in the access log', () => {
  it("are the server's own; the caller's X-Request-Id is kept beside it", async () => {
    const res = await read('case review', { 'x-request-id': 'client-chosen-id' });
    expect(res.statusCode).toBe(200);
    const serverId = res.headers['x-request-id'] as string;
    expect(serverId).not.toBe('client-chosen-id');
    expect(serverId).toMatch(/^[0-9a-f-]{36}$/);
    expect(res.headers['x-client-request-id']).toBe('client-chosen-id');
    const entry = (await entries()).find((e) => e.requestId === serverId);
    expect(entry).toMatchObject({ requestId: serverId, clientRequestId: 'client-chosen-id' });
    expect((await entries()).some((e) => e.requestId === 'client-chosen-id')).toBe(false);
  });

  it('without a client id, record null beside the server id', async () => {
    const res = await read('case review without id');
    const entry = (await entries()).find((e) => e.requestId === res.headers['x-request-id']);
    expect(entry?.clientRequestId).toBeNull();
  });

  it('upcast a v1 entry with a null client id', () => {
    expect(PersonalDataAccessed.version).toBe(2);
    const v1 = { referralId: 'ref-1', resource: 'referral', kind: 'consultation', justification: 'x y z', recipients: [], requestId: 'r-1' };
    expect(PersonalDataAccessed.upcasters[0]!.upcast(v1)).toEqual({ ...v1, clientRequestId: null });
  });
});
