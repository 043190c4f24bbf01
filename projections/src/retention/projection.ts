/**
 * Keeps `retention_cases`: the classification the MoPI group follows from, the closure its clear period runs from,
 * and the last review. A disposal keeps the row (it records that the case was reviewed and disposed of, with ids
 * and dates only) and takes the case out of the queue.
 */
import type { Offence, RiskIndicator } from '@hru/events';
import { defineProjection } from '../framework/projection.js';
import { statement } from '../framework/statements.js';
import { retentionEventTypes, retentionSchema, retentionTables } from './schema.js';

export const RETENTION_PROJECTION = 'retention';

const principalCode = (offences: readonly Offence[]) => offences.find((o) => o.principal)?.code ?? null;
const indicatorsJson = (indicators: readonly RiskIndicator[]) => JSON.stringify([...new Set(indicators)].sort());

export const retentionProjection = defineProjection({
  name: RETENTION_PROJECTION,
  version: 1,
  // Seconds of its applies and finish over the bench's 1,000,000-event log, its reading apart (tests/bench/rebuild-weights.ts).
  rebuildWeight: 0.5,
  tables: retentionTables,
  schema: retentionSchema,
  eventTypes: retentionEventTypes,
  apply(db, event) {
    const id = event.data.referralId;
    const on = event.metadata.occurredAt.slice(0, 10);
    switch (event.type) {
      case 'ReferralReceived': {
        const d = event.data;
        statement(
          db,
          `INSERT INTO retention_cases (referral_id, problem_behaviour, principal_offence_code, indicators) VALUES (?, ?, ?, ?)
           ON CONFLICT (referral_id) DO NOTHING`,
        ).run(id, d.problemBehaviour, principalCode(d.offences), indicatorsJson(d.indicators));
        return;
      }
      case 'ReferralDetailsUpdated': {
        const d = event.data;
        if (d.problemBehaviour) statement(db, 'UPDATE retention_cases SET problem_behaviour = ? WHERE referral_id = ?').run(d.problemBehaviour, id);
        if (d.offences) statement(db, 'UPDATE retention_cases SET principal_offence_code = ? WHERE referral_id = ?').run(principalCode(d.offences), id);
        if (d.indicators) statement(db, 'UPDATE retention_cases SET indicators = ? WHERE referral_id = ?').run(indicatorsJson(d.indicators), id);
        return;
      }
      case 'DirectedToService':
        statement(
          db,
          `UPDATE retention_cases SET services = (SELECT json_group_array(value) FROM (
             SELECT DISTINCT value FROM json_each(json_insert(services, '$[#]', ?)) ORDER BY value))
           WHERE referral_id = ?`,
        ).run(event.data.service, id);
        return;
      case 'ReferralClosed':
        // The clear period starts (again): a retain decided before this closure no longer sets the date.
        statement(db, 'UPDATE retention_cases SET closed_on = ?, next_review_due = NULL WHERE referral_id = ?').run(on, id);
        return;
      case 'ReferralReopened':
        // The subject came back to notice: no clear period runs while the unit works the case again.
        statement(db, 'UPDATE retention_cases SET closed_on = NULL, next_review_due = NULL, last_decision = NULL WHERE referral_id = ?').run(id);
        return;
      case 'RetentionReviewed': {
        const d = event.data;
        statement(
          db,
          'UPDATE retention_cases SET last_decision = ?, reviewed_group = ?, reviewed_on = ?, next_review_due = ? WHERE referral_id = ?',
        ).run(d.decision, d.mopiGroup, on, d.nextReviewDue, id);
        return;
      }
      default:
        return event satisfies never;
    }
  },
});
