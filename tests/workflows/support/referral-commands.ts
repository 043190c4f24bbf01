/** Valid commands of the referral pathway, for specs and property tests. */
import type { When } from './decider-spec.js';

export function intakeBody(overrides: Record<string, unknown> = {}) {
  return {
    source: { system: 'niche', crimeReference: 'CC/26/000123', recordedAt: '2026-11-20T09:00:00Z' },
    offences: [
      { code: '8/65', description: 'Stalking involving fear of violence', principal: true },
      { code: '8/1', description: 'Harassment', principal: false },
    ],
    problemBehaviour: 'stalking',
    summary: 'Repeated unwanted contact after separation.',
    victim: { ref: 'P-1001', name: 'Vera Victim', dateOfBirth: '1990-01-01' },
    suspect: { ref: 'P-2002', name: 'Sam Suspect' },
    risk: { dashYesCount: 9, sdashAnswers: [true, false, false, true, false, false, false, false, false, false, false] },
    indicators: ['escalating'],
    ...overrides,
  };
}

export const receive = (overrides: Record<string, unknown> = {}): When => ({ name: 'receive-referral', payload: intakeBody(overrides) });
export const triage = (decision: 'proceed' | 'not_stalking' | 'out_of_scope'): When => ({ name: 'triage', payload: { decision, reason: `triaged: ${decision}` } });
export const screen = (decision: 'adopt' | 'advice_only' | 'no_added_value'): When => ({ name: 'screen', payload: { decision, reason: `screened: ${decision}` } });
export const raise = (reason = 'Suspect seen outside the victim home'): When => ({ name: 'raise-urgent-action', payload: { reason } });
export const acknowledge = (alertId: string): When => ({ name: 'acknowledge-urgent-action', payload: { alertId, note: 'Seen; patrol sent' } });
export const escalate = (alertId: string, level: number, now?: string): When => ({ name: 'escalate-urgent-action', payload: { alertId, level }, ...(now ? { now } : {}) });
export const resolve = (alertId: string): When => ({ name: 'resolve-urgent-action', payload: { alertId, resolution: 'Suspect arrested' } });
export const close = (reason = 'Risk reduced; plan complete'): When => ({ name: 'close', payload: { reason } });
export const reopen = (linkedReferralId: string): When => ({ name: 'reopen', payload: { linkedReferralId, reason: 'New crime by the same suspect' } });
export const recordAdvice = (): When => ({ name: 'record-advice', payload: { advice: 'Consider an SPO application' } });
export const recordDiscussion = (): When => ({
  name: 'record-case-discussion',
  payload: { heldAt: '2026-11-27T14:00:00Z', attendees: [{ agency: 'police', discipline: 'police' }, { agency: 'nhs', discipline: 'forensic psychology' }], decisions: ['Formulate', 'Agree a plan'] },
});
export const agreePlan = (): When => ({
  name: 'agree-management-plan',
  payload: {
    actions: [
      { kind: 'victim_safety_planning', description: 'Safety plan with advocate', owner: { sub: 'u-adv', agency: 'advocacy' }, dueDate: '2026-12-04' },
      { kind: 'legal_proceedings', description: 'Apply for an SPO', owner: { sub: 'u-off', agency: 'police' }, dueDate: '2026-12-11' },
    ],
  },
});

/** A referral taken as far as management: received, triaged, adopted, discussed, planned. */
export const toManagement: When[] = [receive(), triage('proceed'), screen('adopt'), recordDiscussion(), agreePlan()];
