/** Every read model the engine runs; the projector, the CLI rebuild and the benchmark use this list. */
import { alertsProjection } from './alerts/projection.js';
import { caseloadProjection } from './caseload/projection.js';
import type { AnyProjection } from './framework/projection.js';
import { outcomesProjection } from './outcomes/projection.js';
import { statsProjection } from './stats/projection.js';

export const allProjections: readonly AnyProjection[] = [caseloadProjection, alertsProjection, outcomesProjection, statsProjection];
