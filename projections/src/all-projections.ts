/**
 * Every read model the engine runs; the projector, the CLI rebuild and the benchmark use this list. Alerts are
 * not here: their model is also the outbox of deliveries and timers, kept by the AlertReactor (services/projector).
 */
import { caseloadProjection } from './caseload/projection.js';
import type { AnyProjection } from './framework/projection.js';
import { outcomesProjection } from './outcomes/projection.js';
import { reoffendingProjection } from './reoffending/projection.js';
import { statsProjection } from './stats/projection.js';
import { staffTimeProjection } from './value-for-money/projection.js';

export const allProjections: readonly AnyProjection[] = [
  caseloadProjection,
  outcomesProjection,
  statsProjection,
  reoffendingProjection,
  staffTimeProjection,
];
