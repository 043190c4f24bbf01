/**
 * The research extract's columns, each declared once with its data-dictionary entry and the value it takes, so the
 * dictionary shipped inside the extract (and printed in the README) cannot drift from the rows.
 */
import type { FoldedCase, FoldedIntervention } from './case-fold.js';
import type { Pseudonymiser } from './pseudonyms.js';

/** A cell: lists are arrays in JSON and `;`-separated in CSV; null is an empty CSV cell. */
export type Cell = string | number | boolean | null | readonly string[];

export interface DictionaryEntry {
  column: string;
  meaning: string;
  values: string;
  /** Why the column may leave the engine: what it could reveal and why that is not enough to identify anyone. */
  safe: string;
}

export interface Column<S> extends DictionaryEntry {
  value(source: S, pseudonyms: Pseudonymiser): Cell;
}

const MONTH = '`YYYY-MM` (UTC)';
const COUNT_SAFE = 'a count';
const ENUM_SAFE = 'a fixed list of values, no free text';
const PSEUDONYM_SAFE = 'keyed HMAC-SHA256 of an internal id, cut to 16 hex digits; without the key it leads to no id, name or crime';
const MONTH_SAFE = 'coarsened to the month: no exact date';

const people = (ids: readonly string[], c: FoldedCase, p: Pseudonymiser) => ids.filter((id) => !c.erasedParties.has(id)).map(p.person);

export const caseColumns: readonly Column<FoldedCase>[] = [
  {
    column: 'case_pseudonym',
    meaning: 'The case (one referral, one crime); joins intervention rows to their case',
    values: '`c-` and 16 hex digits',
    safe: PSEUDONYM_SAFE,
    value: (c, p) => p.case(c.referralId),
  },
  {
    column: 'victim_pseudonyms',
    meaning: 'The victims of the case; the same person has the same pseudonym in every case (repeat victimisation)',
    values: '`p-` and 16 hex digits each; none for a person erased or whose case was disposed',
    safe: PSEUDONYM_SAFE,
    value: (c, p) => people(c.victims, c, p),
  },
  {
    column: 'perpetrator_pseudonyms',
    meaning: 'The suspects or offenders of the case; the same person has the same pseudonym in every case (re-offending)',
    values: '`p-` and 16 hex digits each; none for a person erased or whose case was disposed',
    safe: PSEUDONYM_SAFE,
    value: (c, p) => people(c.perpetrators, c, p),
  },
  {
    column: 'erased_parties',
    meaning: 'Victims and perpetrators left out of the two columns above because they were erased, or their case disposed',
    values: 'integer ≥ 0',
    safe: COUNT_SAFE,
    value: (c) => [...c.victims, ...c.perpetrators].filter((id) => c.erasedParties.has(id)).length,
  },
  {
    column: 'problem_behaviour',
    meaning: 'What the case is about (the unit reports its caseload by it)',
    values: '`stalking`, `serial_domestic_abuse`, `sexual_violence`, `querulance`',
    safe: ENUM_SAFE,
    value: (c) => c.problemBehaviour,
  },
  {
    column: 'principal_offence_code',
    meaning: 'Home Office offence classification of the crime’s principal offence',
    values: 'e.g. `8/65`, `8Q`; `unrecognised` when the source sent something else',
    safe: 'a classification code, checked against the code pattern (never copied as free text); descriptions are left out',
    value: (c) => c.principalOffenceCode,
  },
  {
    column: 'included_offence_codes',
    meaning: 'Classifications of the crime’s other (included) offences',
    values: 'codes as above',
    safe: 'as principal_offence_code',
    value: (c) => c.includedOffenceCodes,
  },
  {
    column: 'crime_recorded_month',
    meaning: 'When the crime was recorded by the police',
    values: MONTH,
    safe: MONTH_SAFE,
    value: (c) => c.crimeRecordedMonth,
  },
  {
    column: 'received_month',
    meaning: 'When the unit received the referral; the extract’s period selects cases by it',
    values: MONTH,
    safe: MONTH_SAFE,
    value: (c) => c.receivedMonth,
  },
  {
    column: 'intake_risk_indicators',
    meaning: 'Risk indicators the source system flagged at intake',
    values: '`threats_to_kill`, `attending_address`, `weapon`, `breach_of_order`, `escalating`, `sexual_violence`, `strangulation`, `pregnancy`, `children_at_risk`, `suicide_threat`',
    safe: ENUM_SAFE,
    value: (c) => c.indicators,
  },
  {
    column: 'intake_dash_yes_count',
    meaning: 'DASH “yes” answers (of 27) sent at intake',
    values: '0-27, or empty',
    safe: COUNT_SAFE,
    value: (c) => c.intakeDashYesCount,
  },
  {
    column: 'intake_sdash_yes_count',
    meaning: 'S-DASH “yes” answers (of 11) sent at intake',
    values: '0-11, or empty',
    safe: COUNT_SAFE,
    value: (c) => c.intakeSdashYesCount,
  },
  { column: 'triage_decision', meaning: 'Triage outcome', values: '`proceed`, `not_stalking`, `out_of_scope`, or empty', safe: ENUM_SAFE + ' (the reason is left out)', value: (c) => c.triageDecision },
  {
    column: 'screening_decision',
    meaning: 'Screening outcome',
    values: '`adopt`, `advice_only`, `no_added_value`, or empty',
    safe: ENUM_SAFE + ' (the reason is left out)',
    value: (c) => c.screeningDecision,
  },
  { column: 'urgent_alerts_raised', meaning: 'Urgent actions raised on the case', values: 'integer ≥ 0', safe: COUNT_SAFE, value: (c) => c.alertsRaised },
  {
    column: 'urgent_alerts_by_intake_rule',
    meaning: 'Of those, raised automatically by an intake rule (the rest by staff)',
    values: 'integer ≥ 0',
    safe: COUNT_SAFE,
    value: (c) => c.alertsRaisedByIntakeRule,
  },
  { column: 'urgent_alert_escalations', meaning: 'Escalations of urgent actions nobody acknowledged in time', values: 'integer ≥ 0', safe: COUNT_SAFE, value: (c) => c.alertEscalations },
  { column: 'case_discussions_held', meaning: 'Multi-agency case discussions held', values: 'integer ≥ 0', safe: COUNT_SAFE, value: (c) => c.discussionsHeld },
  { column: 'formulations', meaning: 'Formulations recorded (each revises the one before)', values: 'integer ≥ 0', safe: COUNT_SAFE, value: (c) => c.formulations },
  {
    column: 'stalker_type',
    meaning: 'The latest formulation’s stalker motivational type (Mullen et al., 1999)',
    values: '`rejected`, `resentful`, `intimacy_seeking`, `incompetent_suitor`, `predatory`, `not_yet_formulated`, or empty',
    safe: ENUM_SAFE + ' (the rationale is left out)',
    value: (c) => c.stalkerType,
  },
  { column: 'risk_assessments', meaning: 'Risk assessments recorded', values: 'integer ≥ 0', safe: COUNT_SAFE, value: (c) => c.riskAssessments },
  {
    column: 'dash_yes_count',
    meaning: 'DASH “yes” answers in the latest assessment that used DASH',
    values: '0-27, or empty',
    safe: COUNT_SAFE,
    value: (c) => c.dashYesCount,
  },
  {
    column: 'sdash_yes_count',
    meaning: 'S-DASH “yes” answers in the latest assessment that used S-DASH',
    values: '0-11, or empty',
    safe: COUNT_SAFE,
    value: (c) => c.sdashYesCount,
  },
  ...(['violence', 'persistence', 'recurrence', 'psychosocialDamage'] as const).map(
    (domain): Column<FoldedCase> => ({
      column: `srp_${domain === 'psychosocialDamage' ? 'psychosocial_damage' : domain}`,
      meaning: `Stalking Risk Profile rating for ${domain === 'psychosocialDamage' ? 'psychosocial damage to the stalker' : domain}, in the latest assessment that used the SRP`,
      values: '`low`, `moderate`, `high`, or empty',
      safe: ENUM_SAFE,
      value: (c) => c.srp?.[domain] ?? null,
    }),
  ),
  { column: 'management_plans', meaning: 'Management plans agreed (a later plan supersedes the earlier)', values: 'integer ≥ 0', safe: COUNT_SAFE, value: (c) => c.plansAgreed },
  {
    column: 'management_strategies',
    meaning: 'Kinds of management strategy in any agreed plan',
    values: '`tactical_investigative_advice`, `communication_risk_sharing`, `victim_safety_planning`, `health_pathway_consultation`, `legal_proceedings`, `therapeutic_intervention`',
    safe: ENUM_SAFE + ' (action descriptions, owners and due dates are left out)',
    value: (c) => c.strategies,
  },
  { column: 'plan_actions_completed', meaning: 'Plan actions completed', values: 'integer ≥ 0', safe: COUNT_SAFE + ' (notes are left out)', value: (c) => c.planActionsCompleted },
  {
    column: 'services_directed_to',
    meaning: 'Services the case was directed to',
    values: '`victim_advocate`, `health_pathway`, `probation`, `mappa`, `marac`',
    safe: ENUM_SAFE + ' (the reason is left out)',
    value: (c) => c.services,
  },
  { column: 'advice_recorded', meaning: 'Advice given to the investigating officer (advice-only path)', values: 'integer ≥ 0', safe: COUNT_SAFE + ' (the advice is left out)', value: (c) => c.adviceRecorded },
  { column: 'reviews', meaning: 'Case reviews', values: 'integer ≥ 0', safe: COUNT_SAFE + ' (summaries are left out)', value: (c) => c.reviews },
  { column: 'staff_minutes', meaning: 'Staff time logged on the case, all agencies', values: 'integer ≥ 0', safe: COUNT_SAFE + ' (who and what activity are left out)', value: (c) => c.staffMinutes },
  { column: 'disclosures', meaning: 'Disclosures to partner agencies', values: 'integer ≥ 0', safe: COUNT_SAFE + ' (recipients and gateways are left out)', value: (c) => c.disclosures },
  {
    column: 'home_office_outcome_codes',
    meaning: 'Home Office outcome type of each crime of the case (the latest recorded per crime)',
    values: 'e.g. `1` charge/summons, `3` caution, `16` victim withdraws support',
    safe: 'codes only: crime references are left out (they identify the crime)',
    value: (c) => [...c.outcomes.values()].map((o) => o.code),
  },
  {
    column: 'latest_outcome_month',
    meaning: 'Month of the latest outcome date recorded',
    values: MONTH + ', or empty',
    safe: MONTH_SAFE,
    value: (c) => [...c.outcomes.values()].map((o) => o.month).sort().at(-1) ?? null,
  },
  { column: 'status', meaning: 'Whether the case is closed at the time of the extract', values: '`open`, `closed`', safe: ENUM_SAFE, value: (c) => (c.closed ? 'closed' : 'open') },
  { column: 'closed_month', meaning: 'When the case last closed, if it is closed', values: MONTH + ', or empty', safe: MONTH_SAFE, value: (c) => c.closed?.month ?? null },
  {
    column: 'closed_from_stage',
    meaning: 'The stage the case closed from, if it is closed',
    values: '`awaiting_triage`, `awaiting_screening`, `advice_only`, `awaiting_case_discussion`, `case_discussion_held`, `under_management`, `open`, `other`, or empty',
    safe: ENUM_SAFE + ' (the reason is left out)',
    value: (c) => c.closed?.from ?? null,
  },
  { column: 'closures', meaning: 'Times the case closed', values: 'integer ≥ 0', safe: COUNT_SAFE, value: (c) => c.closures },
  { column: 'reopened_count', meaning: 'Times the closed case reopened because a new referral about the same perpetrator arrived', values: 'integer ≥ 0', safe: COUNT_SAFE, value: (c) => c.reopenedBy.length },
  {
    column: 'reopened_by_case_pseudonyms',
    meaning: 'The cases whose arrival reopened this one (re-offending evidence); rows of their own when received within the period',
    values: '`c-` and 16 hex digits each',
    safe: PSEUDONYM_SAFE,
    value: (c, p) => c.reopenedBy.map(p.case),
  },
  {
    column: 'retention_disposed',
    meaning: 'A retention review disposed of the case (its personal data destroyed; these facts remain)',
    values: '`true`, `false`',
    safe: 'a flag',
    value: (c) => c.retentionDisposed,
  },
];

export interface InterventionSource {
  case: FoldedCase;
  intervention: FoldedIntervention;
}

export const interventionColumns: readonly Column<InterventionSource>[] = [
  { column: 'case_pseudonym', meaning: 'The case the intervention belongs to (as in the case rows)', values: '`c-` and 16 hex digits', safe: PSEUDONYM_SAFE, value: (s, p) => p.case(s.case.referralId) },
  {
    column: 'intervention_kind',
    meaning: 'What was done (each is one of the unit’s headline counts)',
    values:
      '`spo_advised`, `spo_applied`, `spo_granted`, `mappa_support`, `da_disclosure_to_probation`, `victim_advocate_contact`, `therapeutic_intervention_started`, `therapeutic_intervention_completed`, `tactical_review`, `investigative_review`, `direct_constable_intervention`',
    safe: ENUM_SAFE,
    value: (s) => s.intervention.intervention.kind,
  },
  { column: 'intervention_month', meaning: 'When it happened', values: MONTH, safe: MONTH_SAFE, value: (s) => s.intervention.month },
  {
    column: 'order_stage',
    meaning: 'Stalking Protection Order applied for or granted: interim or full',
    values: '`interim`, `full`, or empty for other kinds',
    safe: ENUM_SAFE,
    value: (s) => ('order' in s.intervention.intervention ? s.intervention.intervention.order : null),
  },
  {
    column: 'mappa_category',
    meaning: 'MAPPA category of a MAPPA support',
    values: '1-3, or empty for other kinds',
    safe: ENUM_SAFE,
    value: (s) => ('category' in s.intervention.intervention ? s.intervention.intervention.category : null),
  },
  {
    column: 'mappa_level',
    meaning: 'MAPPA management level of a MAPPA support',
    values: '1-3, or empty for other kinds',
    safe: ENUM_SAFE,
    value: (s) => ('level' in s.intervention.intervention ? s.intervention.intervention.level : null),
  },
  {
    column: 'advocate_contact_outcome',
    meaning: 'Outcome of a victim advocate’s contact (engagement rate = engaged / all contacts)',
    values: '`engaged`, `declined`, `uncontactable`, or empty for other kinds',
    safe: ENUM_SAFE,
    value: (s) => ('outcome' in s.intervention.intervention ? s.intervention.intervention.outcome : null),
  },
];

/** The dictionary as shipped inside an extract, so a researcher holding only the file knows what each column is. */
export function researchDictionary(): { cases: DictionaryEntry[]; interventions: DictionaryEntry[] } {
  const entry = ({ column, meaning, values, safe }: DictionaryEntry): DictionaryEntry => ({ column, meaning, values, safe });
  return { cases: caseColumns.map(entry), interventions: interventionColumns.map(entry) };
}
