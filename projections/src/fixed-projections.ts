/**
 * The read models that need no configuration: what a rebuild's worker threads build, by name. Apart from the
 * configured ones (all-projections.ts) so that a worker imports only these: the research model loads the workflows.
 */
import { caseloadProjection } from './caseload/projection.js';
import { deadlinesProjection } from './deadlines/projection.js';
import type { AnyProjection } from './framework/projection.js';
import { outcomesProjection } from './outcomes/projection.js';
import { perpetratorsProjection } from './perpetrators/projection.js';
import { reoffendingProjection } from './reoffending/projection.js';
import { retentionProjection } from './retention/projection.js';
import { statsProjection } from './stats/projection.js';
import { timersProjection } from './timers/projection.js';
import { staffTimeProjection } from './value-for-money/projection.js';

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
