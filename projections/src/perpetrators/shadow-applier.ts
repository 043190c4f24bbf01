/**
 * The perpetrators projection for a rebuild: each referral's row held in a `RowCache` between its events, instead of
 * an UPDATE per event (a referral's alerts raised and resolved, its plan, outcomes and closure: 225,000 statements in
 * the bench's 1,000,000-event log). The events that change only that row are applied to the held row here, the same
 * changes as `apply` in projection.ts (keep the two in step; the rebuild-equivalence and perpetrators specs compare
 * the rows); any other event that touches the row (a details update, a risk assessment, a formulation) first writes
 * the held row back and lets `apply` do it in SQL. Parties, links, decisions and the stale marks are `apply`'s.
 */
import type Database from 'better-sqlite3';
import type { ProjectedEvent, ShadowApplier } from '../framework/projection.js';
import { RowCache } from '../rebuild/row-cache.js';
import type { perpetratorEventTypes } from './schema.js';

type PerpetratorEventType = (typeof perpetratorEventTypes)[number];

interface ReferralRow {
  referral_id: string;
  crime_on: string;
  area: string | null;
  problem_behaviour: string;
  offence_codes: string;
  indicators: string;
  closed: number;
  open_alerts: number;
  risk_id: string | null;
  risk_on: string | null;
  dash_yes_count: number | null;
  formulation_id: string | null;
  stalker_type: string | null;
  plan_agreed_on: string | null;
  charged_on: string | null;
}

/** What the applier leaves to projection.ts: its `apply` (on the shadow), and its way of replacing a referral's parties. */
export interface PerpetratorsApply {
  apply(event: ProjectedEvent<PerpetratorEventType>): void;
  replaceParties(db: Database.Database, referralId: string, parties: readonly { partyId: string; category: string }[]): void;
}

export function perpetratorsShadowApplier(db: Database.Database, projection: PerpetratorsApply): ShadowApplier<PerpetratorEventType> {
  const select = db.prepare<[string], ReferralRow>('SELECT * FROM perpetrators_referrals WHERE referral_id = ?');
  const replace = db.prepare(
    `INSERT OR REPLACE INTO perpetrators_referrals (referral_id, crime_on, area, problem_behaviour, offence_codes, indicators, closed, open_alerts,
       risk_id, risk_on, dash_yes_count, formulation_id, stalker_type, plan_agreed_on, charged_on) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const rows = new RowCache<ReferralRow>(
    (id) => select.get(id),
    (r) =>
      replace.run(
        r.referral_id, r.crime_on, r.area, r.problem_behaviour, r.offence_codes, r.indicators, r.closed, r.open_alerts,
        r.risk_id, r.risk_on, r.dash_yes_count, r.formulation_id, r.stalker_type, r.plan_agreed_on, r.charged_on,
      ),
  );
  /** An UPDATE of the referral's row: nothing without one. */
  const update = (id: string, change: (row: ReferralRow) => void) => {
    const row = rows.get(id);
    if (!row) return;
    change(row);
    rows.changed(id, row);
  };

  return {
    apply(event: ProjectedEvent<PerpetratorEventType>) {
      switch (event.type) {
        case 'ReferralReceived': {
          // INSERT … ON CONFLICT (referral_id) DO UPDATE of these five columns.
          const d = event.data;
          const facts = {
            crime_on: d.source.recordedAt.slice(0, 10),
            area: d.source.area ?? null,
            problem_behaviour: d.problemBehaviour,
            offence_codes: d.offences.map((o) => o.code).join(','),
            indicators: d.indicators.join(','),
          };
          const row = rows.get(d.referralId);
          rows.changed(
            d.referralId,
            row
              ? Object.assign(row, facts)
              : { referral_id: d.referralId, ...facts, closed: 0, open_alerts: 0, risk_id: null, risk_on: null, dash_yes_count: null, formulation_id: null, stalker_type: null, plan_agreed_on: null, charged_on: null },
          );
          projection.replaceParties(db, d.referralId, d.parties);
          return;
        }
        case 'ManagementPlanAgreed':
          return update(event.data.referralId, (row) => void (row.plan_agreed_on ??= event.metadata.occurredAt.slice(0, 10)));
        case 'UrgentActionRaised':
          return update(event.data.referralId, (row) => void row.open_alerts++);
        case 'UrgentActionResolved':
          return update(event.data.referralId, (row) => void (row.open_alerts = Math.max(row.open_alerts - 1, 0)));
        case 'CrimeOutcomeRecorded': {
          // Home Office outcome 1: charged or summonsed; the first such date (SQLite's min() of NULL and a date is NULL).
          const on = event.data.outcomeDate;
          if (event.data.outcomeCode !== '1') return;
          return update(event.data.referralId, (row) => void (row.charged_on = row.charged_on === null || on < row.charged_on ? on : row.charged_on));
        }
        case 'ReferralClosed':
          return update(event.data.referralId, (row) => void (row.closed = 1));
        case 'ReferralDetailsUpdated':
        case 'RiskAssessmentRecorded':
        case 'FormulationRecorded':
          rows.release(event.data.referralId);
          projection.apply(event);
          return;
        default:
          // Links, unlinks and tasking decisions: rows of their own.
          projection.apply(event);
      }
    },
    flush: () => rows.flush(),
  };
}
