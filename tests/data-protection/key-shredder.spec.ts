/**
 * The key log follower: an erasure or disposal written to the log by a process that died before destroying the keys (here:
 * appended straight to the store underneath, as such a process would have left it) still destroys them, from the log.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { newEvent } from '@hru/application';
import { partyIdFor } from '@hru/workflows';
import { apiKey, createTestApp, intakeBody, type TestApp } from '../support/test-app.js';
import { eventually } from '../support/eventually.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => t.close());

const personalOf = async (referralId: string) => ((await t.store.readStream(referralId))[0]!.data as { personal: Record<string, unknown> }).personal;
const actor = { kind: 'system', system: 'test' } as const;

it('destroys the keys of a PartyErased found in the log, and of a disposal', async () => {
  const erased = (await t.app.inject({ method: 'POST', url: '/v1/referrals', headers: apiKey(), payload: intakeBody({ victim: { ref: 'KS-1', name: 'Shred Me' } }) })).json().referralId;
  const disposed = (await t.app.inject({ method: 'POST', url: '/v1/referrals', headers: apiKey(), payload: intakeBody({ victim: { ref: 'KS-2', name: 'Dispose Me' } }) })).json().referralId;
  expect(await personalOf(erased)).toMatchObject({ people: [{ name: 'Shred Me' }, { name: 'Sam Example' }] });

  const at = { actor, correlationId: 'c', occurredAt: new Date().toISOString() };
  await t.rawStore.appendToStream(erased, [newEvent('PartyErased', { referralId: erased, partyId: partyIdFor('niche', 'KS-1') }, at)]);
  await t.rawStore.appendToStream(disposed, [
    newEvent('RetentionReviewed', { referralId: disposed, decision: 'dispose', mopiGroup: 3, nextReviewDue: null, disposedParties: [], personal: { reason: 'no policing purpose' } }, at),
  ]);

  const isErased = (personal: Record<string, unknown>) => personal.erased === true;
  expect(await eventually(() => personalOf(erased), isErased)).toEqual({
    erased: true,
    people: [{ partyId: partyIdFor('niche', 'KS-1'), erased: true }, { partyId: partyIdFor('niche', 'P-2002'), name: 'Sam Example', sourceRef: 'P-2002' }],
  });
  expect(await eventually(() => personalOf(disposed), isErased)).toMatchObject({ erased: true, people: [{ erased: true }, { erased: true }] });
});
