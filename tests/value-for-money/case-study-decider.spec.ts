/** The case-study commands as a decider: given events, when a command, then events or a named rejection. */
import { describe, expect, it } from 'vitest';
import { allowedCommands, caseStudyCommandNames, foldEvents, partyIdFor, type DraftEvent } from '@hru/workflows';
import { given, history, stored, type When } from '../workflows/support/decider-spec.js';
import { close, receive, screen, toManagement, triage } from '../workflows/support/referral-commands.js';

const harm = (payload: Record<string, unknown>): When => ({
  name: 'record-counterfactual-harm',
  payload: { harm: 'violence_with_injury', perspectives: 'all', scenario: 'best_case', reason: 'would have assaulted the victim', ...payload },
});
const withdraw = (harmId: string): When => ({ name: 'withdraw-counterfactual-harm', payload: { harmId, reason: 'recorded in error' } });

describe('given a referral the unit did not adopt', () => {
  it('refuses the case study before screening, for advice only and for no added value', () => {
    for (const past of [history(receive()), history(receive(), triage('proceed')), history(receive(), triage('proceed'), screen('advice_only')), history(receive(), triage('proceed'), screen('no_added_value'))]) {
      expect(allowedCommands(given(past).snapshot)).not.toContain('record-counterfactual-harm');
      given(past).when(harm({})).thenRejected('CommandNotAllowedError');
    }
  });
});

describe('given an adopted referral', () => {
  const adopted = history(...toManagement);

  it('accepts both commands in management and after closure', () => {
    expect(allowedCommands(given(adopted).snapshot)).toEqual(expect.arrayContaining([...caseStudyCommandNames]));
    expect(allowedCommands(given(history(...toManagement, close())).snapshot)).toEqual(expect.arrayContaining([...caseStudyCommandNames]));
  });

  it('records a harm with the next id, its perspectives in table order, its weight and its reason under personal', () => {
    given(adopted)
      .when(harm({ perspectives: ['society', 'state'], scenario: undefined, probability: 0.3 }))
      .then({
        type: 'CounterfactualHarmRecorded',
        data: { harmId: 'h1', harm: 'violence_with_injury', perspectives: ['state', 'society'], weight: { kind: 'probability', probability: 0.3 }, personal: { reason: 'would have assaulted the victim' } },
      });
    const twice = history(...toManagement, harm({}), harm({ harm: 'suicide', perspectives: ['society'], scenario: 'worst_case' }));
    given(twice).when(harm({})).then({ type: 'CounterfactualHarmRecorded', data: { harmId: 'h3', perspectives: ['state', 'victim', 'society'] } });
    const folded = given(twice).snapshot.context.counterfactualHarms;
    expect(folded.map((h) => [h.harmId, h.harm, h.withdrawnAt])).toEqual([
      ['h1', 'violence_with_injury', null],
      ['h2', 'suicide', null],
    ]);
  });

  it('withdraws a recorded harm once; ids stay unique after a withdrawal', () => {
    const recorded = history(...toManagement, harm({}));
    given(recorded).when(withdraw('h1')).then({ type: 'CounterfactualHarmWithdrawn', data: { harmId: 'h1', personal: { reason: 'recorded in error' } } });
    const withdrawn = history(...toManagement, harm({}), withdraw('h1'));
    given(withdrawn).when(withdraw('h1')).thenRejected('CommandNotAllowedError', /already withdrawn/);
    given(withdrawn).when(withdraw('h2')).thenRejected('CommandNotAllowedError', /not one of this referral/);
    given(withdrawn).when(harm({})).then({ type: 'CounterfactualHarmRecorded', data: { harmId: 'h2' } });
    expect(given(withdrawn).snapshot.context.counterfactualHarms[0]!.withdrawnAt).not.toBeNull();
  });

  it('reads the reason, and null once the case’s text is erased; the harm stays priced', () => {
    const recorded = history(...toManagement, harm({}));
    expect(given(recorded).snapshot.context.counterfactualHarms[0]!.reason).toBe('would have assaulted the victim');
    const referralId = (recorded[0]!.data as { referralId: string }).referralId;
    const erased: DraftEvent[] = [...recorded, { type: 'PartyErased', data: { referralId, partyId: partyIdFor('niche', 'P-2002') } }];
    const [h1] = foldEvents(stored(erased)).context.counterfactualHarms;
    expect(h1).toMatchObject({ harmId: 'h1', harm: 'violence_with_injury', reason: null, withdrawnAt: null });
  });
});
