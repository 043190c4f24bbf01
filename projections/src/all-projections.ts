/**
 * Every read model the engine runs. Most are fixed; the alerts model is built from the configured webhook
 * receivers (it is also the outbox of their deliveries) and the research extract's from the pseudonym key, so the
 * full list is `engineProjections(settings)`.
 * The projector, the CLI rebuild and the benchmark use these lists.
 */
import { alertsProjection, type AlertsProjectionSettings } from './alerts/projection.js';
import { caseloadProjection } from './caseload/projection.js';
import { caseSearchProjection } from './case-search/projection.js';
import { deadlinesProjection } from './deadlines/projection.js';
import type { AnyProjection } from './framework/projection.js';
import { outcomesProjection } from './outcomes/projection.js';
import { perpetratorsProjection } from './perpetrators/projection.js';
import { reoffendingProjection } from './reoffending/projection.js';
import { researchProjection } from './research/projection.js';
import { retentionProjection } from './retention/projection.js';
import { statsProjection } from './stats/projection.js';
import { timersProjection } from './timers/projection.js';
import { staffTimeProjection } from './value-for-money/projection.js';

/** The read models that need no configuration (a rebuild's worker threads build these by name). */
export const allProjections: readonly AnyProjection[] = [
  caseloadProjection,
  outcomesProjection,
  statsProjection,
  reoffendingProjection,
  staffTimeProjection,
  timersProjection,
  retentionProjection,
  deadlinesProjection,
  perpetratorsProjection,
];

export interface EngineProjectionSettings extends AlertsProjectionSettings {
  /** The research extract's pseudonym key; without it the research model is not kept (the extract reads the log). */
  pseudonymKey?: Uint8Array;
}

export function engineProjections(settings: EngineProjectionSettings): readonly AnyProjection[] {
  return [
    ...allProjections,
    alertsProjection(settings),
    ...(settings.pseudonymKey ? [researchProjection({ pseudonymKey: settings.pseudonymKey })] : []),
  ];
}

/**
 * The read models run on opened intake events (`OpenedIntakeStore`), apart from the others: the case search's
 * blind index, keyed with HRU_BLIND_INDEX_KEY.
 */
export function openedProjections(settings: { blindIndexKey: Uint8Array }): readonly AnyProjection[] {
  return [caseSearchProjection({ key: settings.blindIndexKey })];
}
