/**
 * The state of one referral as the API shows it. JSON-serialisable; personal data (names, dates of
 * birth, the source's narrative) only under `personal`, so a reply can drop that one key when the
 * reader gave no justification.
 */
import type { MachineStage, Stage } from './decision.js';
import type { DeadlineState, ReferralState } from './referral-state.js';
import { stageOf } from './referral-decider.js';
import type { ReferralSnapshot } from './referral-machine.js';

type Shared = Omit<ReferralState, 'formulations' | 'planCount' | 'receivedAt' | 'personal' | 'intakeRisk'>;

export interface ReferralView extends Shared {
  stage: Stage;
  receivedAt: string;
  intakeRisk: ReferralState['intakeRisk'];
  /** The current formulation (the latest); earlier ones are in `formulationHistory`. */
  formulation: ReferralState['formulations'][number] | null;
  formulationHistory: ReferralState['formulations'];
  /** Urgent action status of the referral as a whole: the open alert's status, or `none`. */
  urgentStatus: 'none' | 'raised' | 'acknowledged';
  personal: ReferralState['personal'];
  /**
   * Every clock of the case with its status: the unmet ones (open or missed) first, then the rest, each part by due
   * time, so the view opens on what still needs doing. The measures they belong to are in `measures`.
   */
  deadlines: DeadlineState[];
  /** Stream revision of the last event folded in (the `ETag`). */
  revision: number;
}

const unmet = (d: DeadlineState) => d.status === 'open' || d.status === 'missed';

/** Unmet clocks first, then by due time (instants compared as times: they may carry offsets), then by id. */
export function deadlinesForView(deadlines: readonly DeadlineState[]): DeadlineState[] {
  return [...deadlines].sort(
    (a, b) => Number(unmet(b)) - Number(unmet(a)) || Date.parse(a.dueAt) - Date.parse(b.dueAt) || a.deadlineId.localeCompare(b.deadlineId, 'en', { numeric: true }),
  );
}

function isReported(stage: MachineStage): stage is Stage {
  return stage !== 'not_received';
}

/** The view of a received referral; undefined before the first event. */
export function toReferralView(snapshot: ReferralSnapshot, revision: number): ReferralView | undefined {
  const stage = stageOf(snapshot);
  const state = snapshot.context;
  if (!isReported(stage) || state.receivedAt === null) return undefined;
  const { formulations, planCount: _planCount, receivedAt, personal, deadlines, ...rest } = state;
  const urgent = (snapshot.value as { urgent: string }).urgent;
  return {
    ...rest,
    stage,
    receivedAt,
    formulation: formulations.at(-1) ?? null,
    formulationHistory: formulations,
    urgentStatus: urgent === 'raised' || urgent === 'acknowledged' ? urgent : 'none',
    personal,
    deadlines: deadlinesForView(deadlines),
    revision,
  };
}
