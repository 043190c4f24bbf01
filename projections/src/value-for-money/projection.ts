/**
 * Staff minutes per referral and agency, from `TimeLogged`: the cost side of value for money (DOMAIN.md §5). A
 * disposal (MoPI RetentionReviewed) leaves them: they are the cost totals, minutes by agency and nothing else.
 */
import { defineProjection } from '../framework/projection.js';
import { statement } from '../framework/statements.js';

export const staffTimeProjection = defineProjection({
  name: 'staff_time',
  version: 1,
  // Seconds of its applies and finish over the bench's 1,000,000-event log, its reading apart (tests/bench/rebuild-weights.ts) (the bench log holds none of its events).
  rebuildWeight: 0.1,
  tables: ['staff_time_by_agency'],
  schema: `
    CREATE TABLE staff_time_by_agency (
      referral_id TEXT NOT NULL,
      agency      TEXT NOT NULL,
      minutes     INTEGER NOT NULL,
      PRIMARY KEY (referral_id, agency)
    ) WITHOUT ROWID;
  `,
  eventTypes: ['TimeLogged'],
  apply(db, event) {
    // The activity text is free text and stays in the log: only the minutes are costed.
    statement(
      db,
      `INSERT INTO staff_time_by_agency VALUES (?, ?, ?)
       ON CONFLICT (referral_id, agency) DO UPDATE SET minutes = minutes + excluded.minutes`,
    ).run(event.data.referralId, event.data.agency, event.data.minutes);
  },
});
