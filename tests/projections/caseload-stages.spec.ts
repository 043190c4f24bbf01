/** The caseload declares its own stage list; it must stay the workflow machine's, name for name and in order. */
import { describe, expect, expectTypeOf, it } from 'vitest';
import { caseloadStages, type CaseloadStage } from '@hru/projections';
import { lifecycleStages, type Stage } from '@hru/workflows';

describe('caseload stages', () => {
  it('are the workflow machine stages', () => {
    expect(caseloadStages).toEqual(lifecycleStages);
    expectTypeOf<CaseloadStage>().toEqualTypeOf<Stage>();
  });
});
