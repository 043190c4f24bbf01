import { describe, expect, it } from 'vitest';
import { commandSchemas, referralIdFor } from '@hru/workflows';
import { given, history } from './support/decider-spec.js';
import { acknowledge, close, raise, receive, recordAdvice, screen, triage } from './support/referral-commands.js';

const alertId = `${referralIdFor('niche', 'CC/26/000123')}.ua1`;

describe('given a referral awaiting triage', () => {
  const received = history(receive());

  it('proceed moves it on without closing', () => {
    given(received).when(triage('proceed')).then({ type: 'TriageCompleted', data: { decision: 'proceed' } });
  });

  it('not stalking closes it with the reason', () => {
    given(received)
      .when(triage('not_stalking'))
      .then({ type: 'TriageCompleted' }, { type: 'ReferralClosed', data: { closedFrom: 'awaiting_triage', personal: { reason: 'triaged: not_stalking' } } });
  });

  it('out of scope while an urgent action awaits acknowledgement is refused, saying why', () => {
    given(history(receive(), raise())).when(triage('out_of_scope')).thenRejected('CommandNotAllowedError', /awaits acknowledgement/);
  });

  it('out of scope with an acknowledged urgent action resolves it with the closure', () => {
    given(history(receive(), raise(), acknowledge(alertId)))
      .when(triage('out_of_scope'))
      .then({ type: 'TriageCompleted' }, { type: 'UrgentActionResolved', data: { alertId, resolvedBy: 'closure' } }, { type: 'ReferralClosed' });
  });

  it('screening before triage is not allowed', () => {
    given(received).when(screen('adopt')).thenRejected('CommandNotAllowedError');
  });

  it('a blank reason fails the command schema', () => {
    expect(commandSchemas.triage.safeParse({ decision: 'proceed', reason: '  ' }).success).toBe(false);
    expect(commandSchemas.triage.safeParse({ decision: 'proceed' }).success).toBe(false);
  });
});

describe('given a referral awaiting screening', () => {
  const triaged = history(receive(), triage('proceed'));

  it('adopt accepts it onto the caseload', () => {
    given(triaged).when(screen('adopt')).then({ type: 'ScreeningCompleted', data: { decision: 'adopt' } });
  });

  it('no added value closes it', () => {
    given(triaged).when(screen('no_added_value')).then({ type: 'ScreeningCompleted' }, { type: 'ReferralClosed', data: { closedFrom: 'awaiting_screening' } });
  });

  it('triage cannot be repeated', () => {
    given(triaged).when(triage('proceed')).thenRejected('CommandNotAllowedError');
  });
});

describe('given an advice-only referral', () => {
  const adviceOnly = history(receive(), triage('proceed'), screen('advice_only'));

  it('records advice', () => {
    given(adviceOnly).when(recordAdvice()).then({ type: 'AdviceRecorded' });
  });

  it('cannot close before advice is recorded', () => {
    given(adviceOnly).when(close()).thenRejected('CommandNotAllowedError');
  });

  it('closes once advice is recorded', () => {
    given(history(receive(), triage('proceed'), screen('advice_only'), recordAdvice()))
      .when(close('Advice given to the officer in the case'))
      .then({ type: 'ReferralClosed', data: { closedFrom: 'advice_only' } });
  });
});

