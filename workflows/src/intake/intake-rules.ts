/**
 * Intake rules raise an urgent action automatically. They are configuration (DOMAIN.md marks the DASH
 * threshold "check"), passed to the decider as data so the same history decides the same way.
 */
import { z } from 'zod';
import { riskIndicatorSchema, type IntakeRisk, type RiskIndicator } from '@hru/events';

export const intakeRulesSchema = z.strictObject({
  /** Raise when the DASH yes-count reaches this; null switches the rule off. */
  dashYesCountAtLeast: z.number().int().min(0).max(27).nullable(),
  /** Raise when any of these indicators is present. */
  indicators: z.array(riskIndicatorSchema).max(20),
});
export type IntakeRules = z.infer<typeof intakeRulesSchema>;

export const defaultIntakeRules: IntakeRules = {
  dashYesCountAtLeast: 14,
  indicators: ['threats_to_kill', 'weapon', 'attending_address', 'breach_of_order'],
};

export interface IntakeRiskFacts {
  risk: IntakeRisk;
  indicators: readonly RiskIndicator[];
}

/** Names of the rules the facts match, in a stable order (`dash>=14`, then indicators as configured). */
export function matchIntakeRules(rules: IntakeRules, facts: IntakeRiskFacts): string[] {
  const matched: string[] = [];
  const dash = facts.risk.dashYesCount;
  if (rules.dashYesCountAtLeast !== null && dash !== undefined && dash >= rules.dashYesCountAtLeast) {
    matched.push(`dash>=${rules.dashYesCountAtLeast}`);
  }
  for (const indicator of rules.indicators) {
    if (facts.indicators.includes(indicator)) matched.push(indicator);
  }
  return matched;
}
