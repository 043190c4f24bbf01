/** The webhook body's reason category: who raised an alert and its rules, never its words. */
import { describe, expect, it } from 'vitest';
import { reasonCategory } from './webhook.js';

describe('reasonCategory', () => {
  it('names staff without rules, and intake rules, missed deadlines and breaches with theirs', () => {
    expect(reasonCategory('person', ['ignored'])).toEqual({ category: 'staff' });
    expect(reasonCategory('intake_rule', ['weapon'])).toEqual({ category: 'intake_rule', rules: ['weapon'] });
    expect(reasonCategory('deadline', ['bail_expiry'])).toEqual({ category: 'deadline', rules: ['bail_expiry'] });
    expect(reasonCategory('breach', ['spo_breach'])).toEqual({ category: 'breach', rules: ['spo_breach'] });
  });
});
