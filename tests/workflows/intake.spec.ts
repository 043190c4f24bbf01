import { describe, expect, it } from 'vitest';
import { defaultIntakeRules, intakeBodySchema, matchIntakeRules, referralIdFor } from '@hru/workflows';
import { given, history } from './support/decider-spec.js';
import { acknowledge, close, intakeBody, receive, resolve, triage } from './support/referral-commands.js';

const referralId = referralIdFor('niche', 'CC/26/000123');

describe('intake contract', () => {
  it('derives the referral id from (system, crimeReference)', () => {
    expect(referralId).toMatch(/^ref-[0-9a-f]{32}$/);
    expect(referralIdFor('niche', 'CC/26/000123')).toBe(referralId);
    expect(referralIdFor('niche', 'CC/26/000124')).not.toBe(referralId);
    // The separator keeps ("ab","c") and ("a","bc") apart.
    expect(referralIdFor('ab', 'c')).not.toBe(referralIdFor('a', 'bc'));
  });

  it('rejects unknown fields, two principal offences and an over-long summary', () => {
    expect(intakeBodySchema.safeParse(intakeBody()).success).toBe(true);
    expect(intakeBodySchema.safeParse({ ...intakeBody(), extra: 1 }).success).toBe(false);
    const twoPrincipals = intakeBody({ offences: [{ code: '8/65', description: 'a', principal: true }, { code: '8/1', description: 'b', principal: true }] });
    expect(intakeBodySchema.safeParse(twoPrincipals).success).toBe(false);
    expect(intakeBodySchema.safeParse(intakeBody({ summary: 'x'.repeat(20_001) })).success).toBe(false);
  });

  it('matches the default rules: DASH 14+ or a listed indicator', () => {
    expect(matchIntakeRules(defaultIntakeRules, { risk: { dashYesCount: 13 }, indicators: ['escalating'] })).toEqual([]);
    expect(matchIntakeRules(defaultIntakeRules, { risk: { dashYesCount: 14 }, indicators: ['weapon', 'escalating'] })).toEqual(['dash>=14', 'weapon']);
  });
});

describe('given no referral', () => {
  it('receiving a crime starts the referral with personal data only under personal', () => {
    const [received] = given().when(receive()).then({ type: 'ReferralReceived', data: { referralId, problemBehaviour: 'stalking' } });
    const data = received!.data as Record<string, unknown>;
    expect(JSON.stringify({ ...data, personal: undefined })).not.toMatch(/Vera|Sam|1990-01-01|unwanted contact|P-1001|P-2002/);
    expect(data['personal']).toMatchObject({
      summary: expect.stringContaining('unwanted'),
      people: [
        { name: 'Vera Victim', dateOfBirth: '1990-01-01', sourceRef: 'P-1001' },
        { name: 'Sam Suspect', sourceRef: 'P-2002' },
      ],
    });
    // The source's person reference identifies the person: the parties keep only the id and the category.
    expect(data['parties']).toEqual([
      { partyId: expect.stringMatching(/^pty-/), category: 'victim' },
      { partyId: expect.stringMatching(/^pty-/), category: 'suspect' },
    ]);
  });

  it('raises an urgent action when an intake rule matches, with its due time', () => {
    given()
      .when(receive({ indicators: ['threats_to_kill'], risk: { dashYesCount: 16 } }))
      .then(
        { type: 'ReferralReceived' },
        {
          type: 'UrgentActionRaised',
          data: { alertId: `${referralId}.ua1`, raisedBy: 'intake_rule', rules: ['dash>=14', 'threats_to_kill'], ackDueAt: '2026-11-20T10:15:00.000Z' },
        },
      );
  });

  it('rejects every other command', () => {
    given().when(triage('proceed')).thenRejected('CommandNotAllowedError');
  });
});

describe('given a received referral', () => {
  const received = history(receive());

  it('the same crime with the same facts changes nothing', () => {
    given(received).when(receive()).thenNothing();
  });

  it('the same crime with changed facts records only what changed', () => {
    const [updated] = given(received)
      .when(receive({ summary: 'Now also following her to work.', indicators: ['escalating', 'weapon'] }))
      .then({ type: 'ReferralDetailsUpdated', data: { changedFields: ['indicators', 'summary'], indicators: ['escalating', 'weapon'] } }, { type: 'UrgentActionRaised', data: { rules: ['weapon'] } });
    expect((updated!.data as Record<string, unknown>)['personal']).toEqual({ summary: 'Now also following her to work.', people: [] });
  });

  it('does not raise a second urgent action while one is open', () => {
    const urgent = history(receive({ indicators: ['weapon'] }));
    given(urgent).when(receive({ indicators: ['weapon', 'threats_to_kill'] })).then({ type: 'ReferralDetailsUpdated' });
  });

  it('does not raise again for a rule that already matched', () => {
    const alertId = `${referralId}.ua1`;
    const urgentThenResolved = history(receive({ indicators: ['weapon'] }), acknowledge(alertId), resolve(alertId));
    given(urgentThenResolved).when(receive({ indicators: ['weapon'], summary: 'changed' })).then({ type: 'ReferralDetailsUpdated' });
  });
});

describe('given a closed referral', () => {
  const closed = history(receive(), triage('not_stalking'));

  it('a repeat with new facts is still an update of that referral, with no urgent action', () => {
    given(closed).when(receive({ indicators: ['weapon'] })).then({ type: 'ReferralDetailsUpdated', data: { referralId } });
  });

  it('an identical repeat changes nothing', () => {
    given(closed).when(receive()).thenNothing();
  });

  it('close is not allowed again', () => {
    given(closed).when(close()).thenRejected('CommandNotAllowedError');
  });
});
