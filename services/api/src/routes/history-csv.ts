/** The history as CSV (RFC 4180) for export to a spreadsheet; cells that a spreadsheet would run as a formula are defused. */

const columns = [
  'revision',
  'occurredAt',
  'recordedAt',
  'type',
  'actorKind',
  'actorSub',
  'actorName',
  'actorRoles',
  'actorAgency',
  'reason',
  'correlationId',
  'causationId',
  'summary',
] as const;

export function historyCsv(entries: readonly TimelineEntry[]): string {
  const rows = entries.map((e) =>
    [
      e.revision,
      e.occurredAt,
      e.recordedAt,
      e.type,
      e.actor.kind,
      e.actor.sub,
      e.actor.name,
      e.actor.roles.join(';'),
      e.actor.agency,
      e.reason ?? '',
      e.correlationId,
      e.causationId ?? '',
      e.summary,
    ]
      .map((v) => cell(String(v)))
      .join(','),
  );
  return [columns.join(','), ...rows].join('\r\n') + '\r\n';
}

function cell(value: string): string {
  // OWASP CSV injection: a leading = + - @ (or tab/CR) would be run as a formula by a spreadsheet.
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}import type { TimelineEntry } from '@hru/application';

