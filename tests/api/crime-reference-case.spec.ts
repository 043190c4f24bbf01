/**
 * One crime is one referral whatever the case of its reference: `cc/26/000123` and ` CC/26/000123 ` arrive as
 * the same crime (200, the same referral id, nothing new written), the reference is stored upper-case, and an
 * upper-case reference keeps the referral id it had before references were normalised.
 */
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commandCatalogue, referralIdFor } from '@hru/workflows';
import { apiKey, createTestApp, intakeBody, type TestApp } from '../support/test-app.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

function intake(crimeReference: string) {
  const body = intakeBody();
  return t.app.inject({ method: 'POST', url: '/v1/referrals', headers: apiKey(), payload: { ...body, source: { ...body.source, crimeReference } } });
}

describe('crime references differing only in case or surrounding blanks', () => {
  it('are one referral: 201 then 200 with the same id, stored upper-case, nothing appended twice', async () => {
    const reference = `cc/26/000123-${process.pid}`;
    const first = await intake(reference);
    expect(first.statusCode, first.body).toBe(201);
    const second = await intake(`  ${reference.toUpperCase()}\t`);
    expect(second.statusCode, second.body).toBe(200);
    const { referralId } = first.json() as { referralId: string };
    expect((second.json() as { referralId: string }).referralId).toBe(referralId);

    const events = await t.store.readStream(referralId);
    expect(events.map((e) => e.type)).toEqual(['ReferralReceived']);
    expect((events[0]!.data as { source: { crimeReference: string } }).source.crimeReference).toBe(reference.toUpperCase());
  });

  it('refuses inner whitespace rather than guess where the parts join', async () => {
    const res = await intake('CC/26/ 000124');
    expect(res.statusCode).toBe(400);
  });

  it('keeps the id of an upper-case reference exactly as it was derived before normalising', () => {
    const before = `ref-${createHash('sha256').update('niche\u0000CC/26/000123', 'utf8').digest('hex').slice(0, 32)}`;
    expect(referralIdFor('niche', 'CC/26/000123')).toBe(before);
    expect(referralIdFor('niche', ' cc/26/000123 ')).toBe(before);
  });

  it('normalises the reference of a recorded crime outcome the same way', () => {
    const parsed = commandCatalogue['record-crime-outcome'].schema.parse({ crimeReference: ' cc/26/000123', outcomeCode: '1', outcomeDate: '2026-11-20' });
    expect(parsed).toMatchObject({ crimeReference: 'CC/26/000123' });
  });

  it('does not upper-case a non-ASCII letter into an accepted one (ı would become I)', () => {
    const parsed = commandCatalogue['record-crime-outcome'].schema.safeParse({ crimeReference: 'cc/26/ı', outcomeCode: '1', outcomeDate: '2026-11-20' });
    expect(parsed.success).toBe(false);
  });
});
