/** The README's example referral stays a valid intake body as the schema evolves. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { defaultIntakeRules, intakeBodySchema, matchIntakeRules } from '@hru/workflows';

describe('examples/referral.json', () => {
  it('is a valid intake body that the default rules treat as urgent', () => {
    const body = intakeBodySchema.parse(JSON.parse(readFileSync(new URL('../../examples/referral.json', import.meta.url), 'utf8')));
    expect(matchIntakeRules(defaultIntakeRules, body).length).toBeGreaterThan(0);
  });
});
