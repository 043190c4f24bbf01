/**
 * Every read model the engine runs. Most are fixed; the alerts model is built from the configured webhook
 * receivers (it is also the outbox of their deliveries) and the research extract's from the pseudonym key, so the
 * full list is `engineProjections(settings)`.
 * The projector, the CLI rebuild and the benchmark use these lists.
 */
import { alertsProjection, type AlertsProjectionSettings } from './alerts/projection.js';
import { caseSearchProjection } from './case-search/projection.js';
import { allProjections } from './fixed-projections.js';
import type { AnyProjection } from './framework/projection.js';
import { researchProjection } from './research/projection.js';

/** The read models that need no configuration (a rebuild's worker threads build these by name). */
export { allProjections };

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
