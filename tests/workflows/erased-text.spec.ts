/**
 * The folded state reads each free text from its event's `personal` section, and shows erased text as null
 * (issue #16): an erasure destroys the party's key and the case's, a disposal every key; a retention review
 * that retains records when the case is next due.
 */
import { describe, expect, it } from 'vitest';
import { foldEvents, partyIdFor, referralIdFor, type DraftEvent, type ReferralState } from '@hru/workflows';
import { history, stored } from './support/decider-spec.js';
import { acknowledge, close, raise, toManagement } from './support/referral-commands.js';

const victim = partyIdFor('niche', 'P-1001');
const suspect = partyIdFor('niche', 'P-2002');

const referralIdOf = (drafts: DraftEvent[]) => (drafts[0]!.data as { referralId: string }).referralId;

function fold(drafts: DraftEvent[]): ReferralState {
  return foldEvents(stored(drafts)).context;
}

/** A managed case with text of most kinds: decisions, plan descriptions, an acknowledged alert, a closure. */
function caseWithText(): DraftEvent[] {
  const alertId = `${referralIdFor('niche', 'CC/26/000123')}.ua1`;
  return history(...toManagement, raise(), acknowledge(alertId), close());
}

describe('free text in the folded state', () => {
  it('is read from each event’s personal section', () => {
    const state = fold(caseWithText());
    expect(state.triage?.reason).toBe('triaged: proceed');
    expect(state.screening?.reason).toBe('screened: adopt');
    expect(state.caseDiscussions[0]?.decisions).toEqual(['Formulate', 'Agree a plan']);
    expect(state.plan?.actions.map((a) => a.description)).toEqual(['Safety plan with advocate', 'Apply for an SPO']);
    expect(state.urgentActions[0]?.reason).toBe('Suspect seen outside the victim home');
    expect(state.closed?.reason).toBe('Risk reduced; plan complete');
    expect(state.personal).toMatchObject({ summary: 'Repeated unwanted contact after separation.' });
    expect(state.personal.people).toEqual([
      { partyId: victim, name: 'Vera Victim', dateOfBirth: '1990-01-01', sourceRef: 'P-1001' },
      { partyId: suspect, name: 'Sam Suspect', sourceRef: 'P-2002' },
    ]);
    expect(state.parties).toEqual([
      { partyId: victim, category: 'victim' },
      { partyId: suspect, category: 'suspect' },
    ]);
  });

  it('reads null for a section that comes back erased (its key destroyed), field by field', () => {
    const erased = caseWithText().map((d) => ('personal' in d.data && d.type !== 'ReferralReceived' ? { ...d, data: { ...d.data, personal: { erased: true } } } : d)) as DraftEvent[];
    const state = fold(erased);
    expect(state.triage).toMatchObject({ decision: 'proceed', reason: null });
    expect(state.caseDiscussions[0]?.decisions).toBeNull();
    expect(state.plan?.actions.map((a) => a.description)).toEqual([null, null]);
    expect(state.urgentActions[0]?.reason).toBeNull();
    expect(state.closed).toMatchObject({ closedFrom: 'under_management', reason: null });
  });
});

describe('PartyErased', () => {
  it('erases that party, keeps the other, and erases ALL the case’s free text', () => {
    const drafts = caseWithText();
    const state = fold([...drafts, { type: 'PartyErased', data: { referralId: referralIdOf(drafts), partyId: suspect } }]);
    expect(state.personal).toEqual({
      erased: true,
      people: [
        { partyId: victim, name: 'Vera Victim', dateOfBirth: '1990-01-01', sourceRef: 'P-1001' },
        { partyId: suspect, erased: true },
      ],
    });
    expect(state.triage?.reason).toBeNull();
    expect(state.screening?.reason).toBeNull();
    expect(state.caseDiscussions[0]?.decisions).toBeNull();
    expect(state.plan?.actions.every((a) => a.description === null && a.note === null)).toBe(true);
    expect(state.urgentActions[0]?.reason).toBeNull();
    expect(state.closed?.reason).toBeNull();
    // The facts stay: decisions, stages, counts.
    expect(state.triage?.decision).toBe('proceed');
    expect(state.closures).toBe(1);
    expect(JSON.stringify(state)).not.toMatch(/triaged: proceed|Safety plan|Suspect seen|Risk reduced|unwanted contact|Sam Suspect|P-2002/);
  });
});

describe('RetentionReviewed', () => {
  const review = (referralId: string, decision: 'retain' | 'dispose'): DraftEvent => ({
    type: 'RetentionReviewed',
    data: {
      referralId,
      decision,
      mopiGroup: 2,
      nextReviewDue: decision === 'retain' ? '2032-11-20' : null,
      disposedParties: decision === 'dispose' ? [victim, suspect] : [],
      personal: { reason: 'MoPI review' },
    },
  });

  it('retain only records the review', () => {
    const drafts = history(...toManagement, close());
    const before = fold(drafts);
    const state = fold([...drafts, review(referralIdOf(drafts), 'retain')]);
    expect(state.retention).toEqual({ decision: 'retain', mopiGroup: 2, nextReviewDue: '2032-11-20', at: expect.any(String) });
    expect({ ...state, retention: null }).toEqual(before);
  });

  it('dispose erases every person and all free text', () => {
    const drafts = caseWithText();
    const state = fold([...drafts, review(referralIdOf(drafts), 'dispose')]);
    expect(state.personal).toEqual({ erased: true, people: [{ partyId: victim, erased: true }, { partyId: suspect, erased: true }] });
    expect(state.retention).toMatchObject({ decision: 'dispose', mopiGroup: 2, nextReviewDue: null });
    expect(JSON.stringify(state)).not.toMatch(/triaged|screened|Formulate|Safety plan|Suspect seen|Risk reduced|Vera|Sam|P-1001/);
  });
});
