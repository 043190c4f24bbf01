/**
 * Properties over random lives of a referral: whatever valid commands arrive in whatever order, the
 * stored events fold back to exactly the state the decider worked on, and no history reaches a state
 * the pathway forbids.
 */
import fc from 'fast-check';
import { initialTransition, transition } from 'xstate';
import { describe, expect, it } from 'vitest';
import { CommandNotAllowedError } from '@hru/events';
import { allowedCommands, commandNames, measureCommandNames, decide, foldEvents, initialSnapshot, referralMachine, toReferralView, UnfoldableHistoryError, type DraftEvent, type ReferralSnapshot } from '@hru/workflows';
import { command, stored } from './support/decider-spec.js';
import { receive } from './support/referral-commands.js';
import { randomCommand } from './support/random-commands.js';

interface Step {
  /** Pick among the commands the state allows (mostly), or among all commands (to probe rejections). */
  fromAllowed: boolean;
  choice: number;
  seed: number;
}

const stepArb: fc.Arbitrary<Step> = fc.record({
  fromAllowed: fc.integer({ min: 0, max: 9 }).map((n) => n < 8),
  choice: fc.nat({ max: 1_000 }),
  seed: fc.nat({ max: 1_000 }),
});

function live(steps: readonly Step[]) {
  const base = Date.parse('2026-11-20T10:00:00Z');
  const first = stored(decide(foldEvents([]), command(receive())));
  const log = [...first];
  let snapshot: ReferralSnapshot = foldEvents(first);
  let rejections = 0;
  steps.forEach((step, i) => {
    // The measure commands are allowed in every stage; taken as often as the pathway's, they would crowd it out, so
    // a life takes them one time in five (the generator must still reach management often).
    const measures = new Set<string>(measureCommandNames);
    const everywhere = allowedCommands(snapshot);
    const pathway = everywhere.filter((name) => !measures.has(name));
    const allowed = step.seed % 5 === 0 || pathway.length === 0 ? everywhere : pathway;
    const name = step.fromAllowed && allowed.length > 0 ? allowed[step.choice % allowed.length]! : commandNames[step.choice % commandNames.length]!;
    const now = new Date(base + (i + 1) * 60_000).toISOString();
    let drafts: DraftEvent[];
    try {
      drafts = decide(snapshot, command(randomCommand(name, step.seed, snapshot, now)));
    } catch (error) {
      // Refusals are fine (and must leave the state alone); anything else is a bug.
      if (!(error instanceof CommandNotAllowedError)) throw error;
      rejections++;
      return;
    }
    const events = stored(drafts, now);
    snapshot = foldEvents(events, snapshot);
    log.push(...events);
  });
  return { log, snapshot, rejections };
}

/**
 * What a closed case still records: the source's updates, late outcomes, reopening and retention; and legal measures,
 * their clocks and the alerts those raise, which outlive the case (bail runs on after the unit closes it).
 */
const afterClosure = [
  'ReferralReopened',
  'ReferralDetailsUpdated',
  'CrimeOutcomeRecorded',
  'RetentionReviewed',
  'SpoStepRecorded',
  'DvpoStepRecorded',
  'BailStepRecorded',
  'MappaStepRecorded',
  'DisclosureSchemeStepRecorded',
  'MeasureStepCorrected',
  'SuspectArrested',
  'VictimContacted',
  'DeadlineSet',
  'DeadlineWarned',
  'DeadlineMissed',
  'DeadlineClosed',
  'UrgentActionRaised',
  'UrgentActionAcknowledged',
  'UrgentActionEscalated',
  'UrgentActionResolved',
];

/** The pathway's impossible states, checked on the event log itself. */
function assertPossible(log: readonly { type: string; data: unknown }[]) {
  let stage: 'triage' | 'screening' | 'beyond' | 'closed' | 'disposed' = 'triage';
  const open = new Map<string, 'raised' | 'acknowledged'>();
  const seen = new Set<string>();
  log.forEach((event, i) => {
    const data = event.data as { alertId?: string; decision?: string };
    if (i === 0) expect(event.type).toBe('ReferralReceived');
    else expect(event.type).not.toBe('ReferralReceived');
    if (stage === 'closed') expect(afterClosure).toContain(event.type);
    expect(stage, `${event.type} after the case was disposed of`).not.toBe('disposed');
    switch (event.type) {
      case 'TriageCompleted':
        expect(stage).toBe('triage');
        if (data.decision === 'proceed') stage = 'screening';
        break;
      case 'ScreeningCompleted':
        expect(stage).toBe('screening');
        stage = 'beyond';
        break;
      case 'ReferralClosed':
        stage = 'closed';
        expect([...open.values()]).not.toContain('raised');
        expect(open.size).toBe(0);
        break;
      case 'ReferralReopened':
        stage = 'triage';
        break;
      case 'RetentionReviewed':
        expect(stage).toBe('closed');
        if (data.decision === 'dispose') stage = 'disposed';
        break;
      case 'UrgentActionRaised':
        expect(open.size, 'a second urgent action opened while one was open').toBe(0);
        expect(seen.has(data.alertId!), `alert id ${data.alertId} reused`).toBe(false);
        seen.add(data.alertId!);
        open.set(data.alertId!, 'raised');
        break;
      case 'UrgentActionEscalated':
        expect(open.get(data.alertId!)).toBe('raised');
        break;
      case 'UrgentActionAcknowledged':
        expect(open.get(data.alertId!)).toBe('raised');
        open.set(data.alertId!, 'acknowledged');
        break;
      case 'UrgentActionResolved':
        // Staff resolve an acknowledged alert; the engine's own alerts (a clock missed, a breach) supersede any open one.
        if ((event.data as { resolvedBy: string }).resolvedBy === 'superseded') expect(open.has(data.alertId!)).toBe(true);
        else expect(open.get(data.alertId!)).toBe('acknowledged');
        open.delete(data.alertId!);
        break;
      default:
        break;
    }
  });
}

describe('random lives of a referral', () => {
  it('fold back from the stored events to the same state, and never reach an impossible one', () => {
    let deepest = 0;
    fc.assert(
      fc.property(fc.array(stepArb, { minLength: 10, maxLength: 80, size: 'max' }), (steps) => {
        const { log, snapshot } = live(steps);
        const refolded = foldEvents(JSON.parse(JSON.stringify(log)));
        expect(refolded.value).toEqual(snapshot.value);
        expect(refolded.context).toEqual(snapshot.context);
        const view = toReferralView(snapshot, log.length - 1);
        expect(JSON.parse(JSON.stringify(view))).toEqual(view);
        assertPossible(log);
        if (snapshot.context.plan) deepest++;
      }),
      { numRuns: 300 },
    );
    // The generator must actually reach management often enough for the property to mean something.
    expect(deepest).toBeGreaterThan(20);
  });

  it('a refused command leaves the state as it was', () => {
    fc.assert(
      fc.property(fc.array(stepArb, { maxLength: 30 }), fc.nat({ max: 1_000 }), fc.nat({ max: 1_000 }), (steps, choice, seed) => {
        const { snapshot } = live(steps);
        const name = commandNames[choice % commandNames.length]!;
        const before = JSON.stringify(snapshot.context);
        try {
          decide(snapshot, command(randomCommand(name, seed, snapshot, '2026-12-31T00:00:00Z')));
        } catch (error) {
          expect(error).toBeInstanceOf(CommandNotAllowedError);
        }
        expect(JSON.stringify(snapshot.context)).toBe(before);
      }),
      { numRuns: 200 },
    );
  });

  it('every fold starts from one shared initial snapshot, which no life of a referral changes', () => {
    const before = JSON.stringify(initialSnapshot().context);
    expect(Object.isFrozen(initialSnapshot().context)).toBe(true);
    fc.assert(fc.property(fc.array(stepArb, { minLength: 5, maxLength: 40 }), (steps) => void live(steps)), { numRuns: 50 });
    expect(initialSnapshot()).toBe(foldEvents([]));
    expect(JSON.stringify(initialSnapshot().context)).toBe(before);
  });

  it('a stored event the machine does not take where the history puts it stops the fold', () => {
    const received = stored(decide(foldEvents([]), command(receive())));
    expect(() => foldEvents([...received, received[0]!])).toThrow(UnfoldableHistoryError);
    expect(() => foldEvents([...received, received[0]!])).toThrow(/ReferralReceived at index 1/);
  });

  it('one reused actor scope gives exactly what xstate\'s own transition gives, for every event and command', () => {
    fc.assert(
      fc.property(fc.array(stepArb, { minLength: 5, maxLength: 60 }), fc.nat({ max: 1_000 }), (steps, seed) => {
        const { log } = live(steps);
        // The reference: xstate's helper, a fresh actor per call.
        let reference = initialTransition(referralMachine)[0];
        for (const event of log) reference = transition(referralMachine, reference, event)[0];
        const ours = foldEvents(log);
        expect(ours.value).toEqual(reference.value);
        expect(ours.context).toEqual(reference.context);
        // A command decided both ways: the same events, or the same refusal.
        const name = commandNames[seed % commandNames.length]!;
        const next = command(randomCommand(name, seed, ours, '2026-12-31T00:00:00Z'));
        const emitted = transition(referralMachine, reference, next)[1]
          .filter((a) => (a.type as string) === 'xstate.emit')
          .map((a) => (a.params as unknown as { event: { type: string } }).event);
        const refused = !reference.can(next) || emitted.some((e) => e.type === 'rejected');
        if (refused) expect(() => decide(ours, next)).toThrow(CommandNotAllowedError);
        else expect(decide(ours, next)).toEqual(emitted);
      }),
      { numRuns: 100 },
    );
  });
});
