/**
 * The referral lifecycle (DOMAIN.md §1) as an XState machine used only as a pure decider and evolver:
 * commands (kebab-case) are accepted or not by the current state and emit the events they decide;
 * stored events (PascalCase) move the state. No timers, clock or randomness live here: escalation is a
 * command from a timer worker, time and configuration arrive in each command's `meta`.
 *
 * Two parallel regions: `lifecycle` (the pathway) and `urgent` (the current urgent action), because
 * urgent action is a flag across stages, not a stage.
 */
import { and, assign, enqueueActions, not, setup, stateIn } from 'xstate';
import type { ReferralEvent } from '@hru/events';
import { caseStudyCommandNames, decideCommand, isCommandName, measureCommandNames } from '../commands/catalogue.js';
import type { CommandEvent, Emitted, Where } from './decision.js';
import { evolveState } from './evolve-state.js';
import { emptyReferralState, type ReferralState } from './referral-state.js';

export type ReferralMachineEvent = CommandEvent | ReferralEvent;

/** Bumped when a change to the machine could decide differently on the same history. */
export const MACHINE_VERSION = 'referral@6';

function isCommand(event: ReferralMachineEvent): event is CommandEvent {
  return isCommandName(event.type) && 'meta' in event;
}

function isStoredEvent(event: ReferralMachineEvent): event is ReferralEvent {
  return 'metadata' in event;
}

const decideIn = (where: Where) => ({ type: 'decide', params: { where } }) as const;
const evolve = { actions: 'evolve' } as const;

export const referralMachine = setup({
  types: {
    context: {} as ReferralState,
    events: {} as ReferralMachineEvent,
    emitted: {} as Emitted,
  },
  guards: {
    triageProceeds: ({ event }) => event.type === 'TriageCompleted' && event.data.decision === 'proceed',
    screenedAdopt: ({ event }) => event.type === 'ScreeningCompleted' && event.data.decision === 'adopt',
    screenedAdviceOnly: ({ event }) => event.type === 'ScreeningCompleted' && event.data.decision === 'advice_only',
    adviceGiven: ({ context }) => context.advice.length > 0,
    referralOpen: stateIn('#referral.lifecycle.open'),
    noUnacknowledgedAlert: not(stateIn('#referral.urgent.raised')),
    // A disposed case (MoPI) takes nothing more: its people's keys are gone, and new facts would outlive them.
    notDisposed: ({ context }) => context.retention?.decision !== 'dispose',
    // Legal measures and their clocks run whatever the stage, closed included (bail outlives a closed case), but not
    // before intake nor after a disposal.
    measuresOpen: ({ context }) => context.referralId !== '' && context.retention?.decision !== 'dispose',
    // A case study prices what the unit's work prevented, so only a case the unit adopted has one.
    caseStudyOpen: ({ context }) => context.screening?.decision === 'adopt' && context.retention?.decision !== 'dispose',
  },
  actions: {
    decide: enqueueActions(({ context, event, enqueue }, params: { where: Where }) => {
      if (!isCommand(event)) return;
      const decision = decideCommand(context, event, params.where);
      if ('rejected' in decision) enqueue.emit({ type: 'rejected', why: decision.rejected });
      else for (const drafted of decision) enqueue.emit(drafted);
    }),
    evolve: assign(({ context, event }) => (isStoredEvent(event) ? evolveState(context, event) : context)),
  },
}).createMachine({
  id: 'referral',
  type: 'parallel',
  context: emptyReferralState,
  // A disclosure is recorded whatever the stage (a closed case can still be shared, e.g. for a court order); a person
  // can be erased whatever the stage (the data protection officer decides, not the workflow).
  on: {
    ReferralDisclosed: evolve,
    PartyErased: evolve,
    ...Object.fromEntries(measureCommandNames.map((name) => [name, { guard: 'measuresOpen', actions: decideIn('open') }])),
    SpoStepRecorded: evolve,
    DvpoStepRecorded: evolve,
    BailStepRecorded: evolve,
    MappaStepRecorded: evolve,
    DisclosureSchemeStepRecorded: evolve,
    MeasureStepCorrected: evolve,
    SuspectArrested: evolve,
    VictimContacted: evolve,
    DeadlineSet: evolve,
    DeadlineWarned: evolve,
    DeadlineMissed: evolve,
    DeadlineClosed: evolve,
    ...Object.fromEntries(caseStudyCommandNames.map((name) => [name, { guard: 'caseStudyOpen', actions: decideIn('open') }])),
    CounterfactualHarmRecorded: evolve,
    CounterfactualHarmWithdrawn: evolve,
  },
  states: {
    lifecycle: {
      initial: 'not_received',
      states: {
        not_received: {
          on: {
            'receive-referral': { actions: decideIn('not_received') },
            ReferralReceived: { target: 'open', actions: 'evolve' },
          },
        },
        open: {
          initial: 'awaiting_triage',
          on: {
            'receive-referral': { actions: decideIn('open') },
            assign: { actions: decideIn('open') },
            'log-time': { actions: decideIn('open') },
            'record-crime-outcome': { actions: decideIn('open') },
            ReferralDetailsUpdated: evolve,
            ReferralAssigned: evolve,
            TimeLogged: evolve,
            CrimeOutcomeRecorded: evolve,
            ReferralClosed: { target: 'closed', actions: 'evolve' },
          },
          states: {
            awaiting_triage: {
              on: {
                triage: { actions: decideIn('awaiting_triage') },
                TriageCompleted: [{ guard: 'triageProceeds', target: 'awaiting_screening', actions: 'evolve' }, evolve],
              },
            },
            awaiting_screening: {
              on: {
                screen: { actions: decideIn('awaiting_screening') },
                ScreeningCompleted: [
                  { guard: 'screenedAdopt', target: 'awaiting_case_discussion', actions: 'evolve' },
                  { guard: 'screenedAdviceOnly', target: 'advice_only', actions: 'evolve' },
                  evolve,
                ],
              },
            },
            advice_only: {
              on: {
                'record-advice': { actions: decideIn('advice_only') },
                'record-intervention': { actions: decideIn('advice_only') },
                close: { guard: and(['adviceGiven', 'noUnacknowledgedAlert']), actions: decideIn('advice_only') },
                AdviceRecorded: evolve,
                InterventionRecorded: evolve,
              },
            },
            awaiting_case_discussion: {
              on: {
                'schedule-case-discussion': { actions: decideIn('awaiting_case_discussion') },
                'record-case-discussion': { actions: decideIn('awaiting_case_discussion') },
                'record-risk-assessment': { actions: decideIn('awaiting_case_discussion') },
                formulate: { actions: decideIn('awaiting_case_discussion') },
                'record-intervention': { actions: decideIn('awaiting_case_discussion') },
                close: { guard: 'noUnacknowledgedAlert', actions: decideIn('awaiting_case_discussion') },
                CaseDiscussionScheduled: evolve,
                CaseDiscussionHeld: { target: 'case_discussion_held', actions: 'evolve' },
                RiskAssessmentRecorded: evolve,
                FormulationRecorded: evolve,
                InterventionRecorded: evolve,
              },
            },
            case_discussion_held: {
              on: {
                'record-risk-assessment': { actions: decideIn('case_discussion_held') },
                formulate: { actions: decideIn('case_discussion_held') },
                'agree-management-plan': { actions: decideIn('case_discussion_held') },
                'direct-to-service': { actions: decideIn('case_discussion_held') },
                'record-intervention': { actions: decideIn('case_discussion_held') },
                close: { guard: 'noUnacknowledgedAlert', actions: decideIn('case_discussion_held') },
                RiskAssessmentRecorded: evolve,
                FormulationRecorded: evolve,
                InterventionRecorded: evolve,
                // The clinic's output is a plan or a direction to a service; either starts management.
                ManagementPlanAgreed: { target: 'under_management', actions: 'evolve' },
                DirectedToService: { target: 'under_management', actions: 'evolve' },
              },
            },
            under_management: {
              on: {
                'schedule-case-discussion': { actions: decideIn('under_management') },
                'record-case-discussion': { actions: decideIn('under_management') },
                'record-risk-assessment': { actions: decideIn('under_management') },
                formulate: { actions: decideIn('under_management') },
                'agree-management-plan': { actions: decideIn('under_management') },
                'complete-plan-action': { actions: decideIn('under_management') },
                'direct-to-service': { actions: decideIn('under_management') },
                'record-intervention': { actions: decideIn('under_management') },
                review: { actions: decideIn('under_management') },
                close: { guard: 'noUnacknowledgedAlert', actions: decideIn('under_management') },
                CaseDiscussionScheduled: evolve,
                CaseDiscussionHeld: evolve,
                RiskAssessmentRecorded: evolve,
                FormulationRecorded: evolve,
                ManagementPlanAgreed: evolve,
                PlanActionCompleted: evolve,
                DirectedToService: evolve,
                InterventionRecorded: evolve,
                CaseReviewed: evolve,
              },
            },
          },
        },
        closed: {
          on: {
            // The same crime sent again after closure is still that referral: an update, not a new case.
            'receive-referral': { guard: 'notDisposed', actions: decideIn('closed') },
            reopen: { guard: 'notDisposed', actions: decideIn('closed') },
            // Home Office outcomes often come months after the unit closes a case; the statistics need them.
            'record-crime-outcome': { guard: 'notDisposed', actions: decideIn('closed') },
            // Retention is reviewed once the clear period runs, which starts at closure (see commands/retention.ts).
            'review-retention': { guard: 'notDisposed', actions: decideIn('closed') },
            ReferralDetailsUpdated: evolve,
            CrimeOutcomeRecorded: evolve,
            RetentionReviewed: evolve,
            ReferralReopened: { target: 'open', actions: 'evolve' },
          },
        },
      },
    },
    urgent: {
      initial: 'none',
      states: {
        none: {
          on: {
            'raise-urgent-action': { guard: 'referralOpen', actions: decideIn('open') },
            UrgentActionRaised: { target: 'raised', actions: 'evolve' },
          },
        },
        raised: {
          on: {
            'acknowledge-urgent-action': { actions: decideIn('open') },
            'escalate-urgent-action': { actions: decideIn('open') },
            UrgentActionAcknowledged: { target: 'acknowledged', actions: 'evolve' },
            UrgentActionEscalated: evolve,
            // An alert the engine raises (a clock missed, an order breached) supersedes one still unacknowledged.
            UrgentActionResolved: { target: 'resolved', actions: 'evolve' },
          },
        },
        acknowledged: {
          on: {
            // A new danger signal supersedes the acknowledged alert (see raiseAlertSuperseding).
            'raise-urgent-action': { guard: 'referralOpen', actions: decideIn('open') },
            'resolve-urgent-action': { actions: decideIn('open') },
            'escalate-urgent-action': { actions: decideIn('open') },
            UrgentActionResolved: { target: 'resolved', actions: 'evolve' },
          },
        },
        resolved: {
          on: {
            'raise-urgent-action': { guard: 'referralOpen', actions: decideIn('open') },
            'escalate-urgent-action': { actions: decideIn('open') },
            UrgentActionRaised: { target: 'raised', actions: 'evolve' },
          },
        },
      },
    },
  },
});

export type ReferralSnapshot = ReturnType<typeof referralMachine.resolveState>;
