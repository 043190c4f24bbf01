import { describe, it } from 'vitest';
import { referralIdFor } from '@hru/workflows';
import { given, history } from './support/decider-spec.js';
import { acknowledge, escalate, raise, receive, resolve, triage } from './support/referral-commands.js';

const referralId = referralIdFor('niche', 'CC/26/000123');
const ua1 = `${referralId}.ua1`;
const later = '2026-11-20T10:16:00.000Z';

describe('given no urgent action', () => {
  const received = history(receive());

  it('staff raise one with a due time for acknowledgement', () => {
    given(received)
      .when(raise())
      .then({ type: 'UrgentActionRaised', data: { alertId: ua1, raisedBy: 'person', rules: [], ackDueAt: '2026-11-20T10:15:00.000Z' } });
  });

  it('acknowledging or escalating is not allowed', () => {
    given(received).when(acknowledge(ua1)).thenRejected('CommandNotAllowedError');
    given(received).when(escalate(ua1, 1)).thenRejected('CommandNotAllowedError');
  });

  it('cannot be raised on a closed referral', () => {
    given(history(receive(), triage('not_stalking'))).when(raise()).thenRejected('CommandNotAllowedError');
  });
});

describe('given a raised urgent action', () => {
  const raised = history(receive(), raise());

  it('a second one cannot be raised while it is open', () => {
    given(raised).when(raise('again')).thenRejected('CommandNotAllowedError');
  });

  it('the timer escalates it and records when the next level falls due', () => {
    given(raised)
      .when(escalate(ua1, 1, later))
      .then({ type: 'UrgentActionEscalated', data: { alertId: ua1, level: 1, nextAckDueAt: '2026-11-20T10:31:00.000Z' } });
  });

  it('the last level arms no further timer', () => {
    given(history(receive(), raise(), escalate(ua1, 1), escalate(ua1, 2)))
      .when(escalate(ua1, 3, later))
      .then({ type: 'UrgentActionEscalated', data: { level: 3, nextAckDueAt: null } });
  });

  it('a repeated firing of a level already reached is ignored', () => {
    given(history(receive(), raise(), escalate(ua1, 1))).when(escalate(ua1, 1, later)).thenNothing();
  });

  it('a timer for an alert id this referral never had is refused', () => {
    given(raised).when(escalate(`${referralId}.ua9`, 1)).thenRejected('CommandNotAllowedError', /not one of this referral/);
  });

  it('a supervisor acknowledges it', () => {
    given(raised).when(acknowledge(ua1)).then({ type: 'UrgentActionAcknowledged', data: { alertId: ua1 } });
  });

  it('cannot be resolved before acknowledgement', () => {
    given(raised).when(resolve(ua1)).thenRejected('CommandNotAllowedError');
  });
});

describe('given an acknowledged urgent action', () => {
  const acknowledged = history(receive(), raise(), acknowledge(ua1));

  it('an escalation timer that fires late is ignored, not an error', () => {
    given(acknowledged).when(escalate(ua1, 1, later)).thenNothing();
  });

  it('acknowledging again is refused, saying why', () => {
    given(acknowledged).when(acknowledge(ua1)).thenRejected('CommandNotAllowedError');
  });

  it('is resolved by a supervisor', () => {
    given(acknowledged).when(resolve(ua1)).then({ type: 'UrgentActionResolved', data: { resolvedBy: 'person' } });
  });

  it('does not silence a new danger signal: staff raising again supersedes it and pages anew', () => {
    given(acknowledged)
      .when(raise('Suspect now has a weapon'))
      .then(
        { type: 'UrgentActionResolved', data: { alertId: ua1, resolvedBy: 'superseded' } },
        { type: 'UrgentActionRaised', data: { alertId: `${referralId}.ua2`, raisedBy: 'person', personal: { reason: 'Suspect now has a weapon' } } },
      );
  });

  it('does not silence a new intake rule match from the source system either', () => {
    given(history(receive({ indicators: ['threats_to_kill'] }), acknowledge(ua1)))
      .when(receive({ indicators: ['threats_to_kill', 'weapon', 'attending_address'] }))
      .then(
        { type: 'ReferralDetailsUpdated' },
        { type: 'UrgentActionResolved', data: { alertId: ua1, resolvedBy: 'superseded' } },
        { type: 'UrgentActionRaised', data: { alertId: `${referralId}.ua2`, raisedBy: 'intake_rule', rules: ['weapon', 'attending_address'] } },
      );
  });
});

describe('given a raised urgent action still paging', () => {
  it('a repeat intake with new rule matches records the update and raises nothing more (the alert is already paging)', () => {
    given(history(receive({ indicators: ['threats_to_kill'] })))
      .when(receive({ indicators: ['threats_to_kill', 'weapon'] }))
      .then({ type: 'ReferralDetailsUpdated' });
  });
});

describe('given a resolved urgent action', () => {
  const resolved = history(receive(), raise(), acknowledge(ua1), resolve(ua1));

  it('a late escalation is ignored', () => {
    given(resolved).when(escalate(ua1, 2, later)).thenNothing();
  });

  it('a new one can be raised, with the next id', () => {
    given(resolved).when(raise()).then({ type: 'UrgentActionRaised', data: { alertId: `${referralId}.ua2` } });
  });
});
