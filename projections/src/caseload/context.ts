/**
 * What identifies a case to the people working it, without personal data: the crime reference (the source
 * system's, outside `personal`), the principal offence, the DASH score and the risk indicators. The caseload model
 * keeps them (version 2), and every list naming a case (queues, deadlines, alerts) joins them from there, so one
 * row per case holds them and an updated intake changes them everywhere at once.
 */
import type { ProjectedEvent } from '../framework/projection.js';

export interface CaseContext {
  crimeReference: string | null;
  /** The principal offence's Home Office classification and description (`8/65`, `Stalking involving fear of violence`). */
  offenceCode: string | null;
  principalOffence: string | null;
  /** DASH yes-count (of 27), when the source scored it. */
  dashYesCount: number | null;
  /** Risk indicators as the intake schema names them (`threats_to_kill`, …): the console puts them in words. */
  indicators: string[];
}

/** The caseload columns holding the context, as SQLite returns them. */
export interface CaseContextColumns {
  crime_reference: string | null;
  offence_code: string | null;
  principal_offence: string | null;
  dash_yes_count: number | null;
  indicators: string | null;
}

/** Selects the context columns of the caseload table aliased `alias` (null when a row has none). */
export function contextColumns(alias: string): string {
  return ['crime_reference', 'offence_code', 'principal_offence', 'dash_yes_count', 'indicators'].map((c) => `${alias}.${c}`).join(', ');
}

export function toCaseContext(row: Partial<CaseContextColumns>): CaseContext {
  return {
    crimeReference: row.crime_reference ?? null,
    offenceCode: row.offence_code ?? null,
    principalOffence: row.principal_offence ?? null,
    dashYesCount: row.dash_yes_count ?? null,
    indicators: row.indicators ? (JSON.parse(row.indicators) as string[]) : [],
  };
}

type IntakeEvent = ProjectedEvent<'ReferralReceived' | 'ReferralDetailsUpdated'>;

/** The columns an intake (or an updated intake) sets; an update sets only what it carries. */
export function contextChanges(event: IntakeEvent): Partial<CaseContextColumns> {
  const d = event.data;
  const changes: Partial<CaseContextColumns> = {};
  if (event.type === 'ReferralReceived') changes.crime_reference = event.data.source.crimeReference;
  const principal = d.offences?.find((o) => o.principal);
  if (principal) {
    changes.offence_code = principal.code;
    changes.principal_offence = principal.description;
  }
  if (d.risk) changes.dash_yes_count = d.risk.dashYesCount ?? null;
  if (d.indicators) changes.indicators = JSON.stringify(d.indicators);
  return changes;
}
