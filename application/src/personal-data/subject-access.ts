/**
 * A subject access export (DPA 2018 Part 3, s45): everything held about one person, decrypted, and every
 * consultation, disclosure and erasure of their data from the access log. Per case: the person's role and details
 * as each event recorded them, and the case's events with their facts and free text (which describes the person);
 * other people's details are left out — they are not the requester's data. The data protection officer reviews the
 * free text before disclosure (it may name others; s45(4) restrictions are theirs to apply).
 */
import { NotFoundError } from '@hru/events';
import type { AccessLogEntry } from '../audit/access-log-query.js';
import { toTimelineEntry } from '../audit/timeline.js';
import type { EventStore, RecordedEvent } from '../ports/event-store.js';
import type { KeyStore } from './key-store.js';

export interface SubjectAccessCase {
  referralId: string;
  /** The person's category in this case (victim, suspect, witness, offender), as last recorded. */
  category: string | null;
  /** The person's details as each event recorded them (or `{erased: true}`), oldest first. */
  details: { revision: number; occurredAt: string; person: Record<string, unknown> }[];
  /** Every event of the case: its facts, and its free text (none of other people's details). */
  events: { revision: number; type: string; occurredAt: string; actor: string; data: Record<string, unknown>; text: Record<string, unknown> | null }[];
}

export interface SubjectAccessReport {
  partyId: string;
  generatedAt: string;
  cases: SubjectAccessCase[];
  /** Every s62 entry about the person's cases or the person: who read, disclosed or erased, when and why. */
  accessLog: Omit<AccessLogEntry, 'stream' | 'revision'>[];
}

const PAGE = 1_000;

async function readWhole(store: EventStore, streamId: string): Promise<RecordedEvent[]> {
  const out: RecordedEvent[] = [];
  for (let from = 0; ; from += PAGE) {
    const page = await store.readStream(streamId, { fromRevision: from, maxCount: PAGE });
    out.push(...page);
    if (page.length < PAGE) return out;
  }
}

function caseOf(referralId: string, events: RecordedEvent[], partyId: string): SubjectAccessCase {
  let category: string | null = null;
  const details: SubjectAccessCase['details'] = [];
  const out: SubjectAccessCase['events'] = [];
  for (const event of events) {
    const { personal, ...facts } = event.data as Record<string, unknown> & { personal?: Record<string, unknown> & { people?: Record<string, unknown>[] } };
    const parties = (facts as { parties?: { partyId: string; category: string }[] }).parties;
    const mine = parties?.find((p) => p.partyId === partyId);
    if (mine) category = mine.category;
    const person = personal?.people?.find((p) => p.partyId === partyId);
    if (person) details.push({ revision: event.revision, occurredAt: event.metadata.occurredAt, person });
    const { people: _others, ...text } = personal ?? {};
    out.push({
      revision: event.revision,
      type: event.type,
      occurredAt: event.metadata.occurredAt,
      actor: toTimelineEntry(event).actor.sub,
      data: facts,
      text: personal ? text : null,
    });
  }
  return { referralId, category, details, events: out };
}

function entryOf(event: RecordedEvent): Omit<AccessLogEntry, 'stream' | 'revision'> {
  const d = event.data as { referralId: string; partyId?: string; resource: string; kind: AccessLogEntry['kind']; justification: string; recipients?: string[]; gateway?: string; requestId: string; clientRequestId?: string | null };
  return {
    at: event.metadata.occurredAt,
    referralId: d.referralId,
    partyId: d.partyId ?? null,
    resource: d.resource,
    kind: d.kind,
    justification: d.justification,
    recipients: d.recipients ?? [],
    gateway: d.gateway ?? null,
    actor: toTimelineEntry(event).actor,
    requestId: d.requestId,
    clientRequestId: d.clientRequestId ?? null,
    correlationId: event.metadata.correlationId,
  };
}

export async function subjectAccessExport(store: EventStore, keys: KeyStore, partyId: string, now: Date): Promise<SubjectAccessReport> {
  const referralIds = await keys.casesOf(partyId);
  if (referralIds.length === 0) throw new NotFoundError('Person', partyId);
  const cases = [];
  for (const referralId of referralIds) cases.push(caseOf(referralId, await readWhole(store, referralId), partyId));
  const concerned = new Set(referralIds);
  const accessLog: SubjectAccessReport['accessLog'] = [];
  // The access log is kept by day, not by person: read all of it (an export is rare; the log is bounded by reads).
  for (let from = 0n; ; ) {
    const page = await store.readAll({ fromPosition: from, maxCount: PAGE, filter: { eventTypes: ['PersonalDataAccessed'] } });
    for (const event of page) {
      const d = event.data as { referralId: string; partyId?: string };
      if (concerned.has(d.referralId) || d.partyId === partyId) accessLog.push(entryOf(event));
    }
    if (page.length < PAGE) break;
    from = page[page.length - 1]!.position + 1n;
  }
  return { partyId, generatedAt: now.toISOString(), cases, accessLog };
}

/** The report as CSV rows: one per detail, event and access-log entry, with the nested values as JSON. */
export function subjectAccessRows(report: SubjectAccessReport): { section: string; referralId: string; at: string; what: string; by: string; content: string }[] {
  const rows = [];
  for (const c of report.cases) {
    rows.push({ section: 'case', referralId: c.referralId, at: '', what: `category: ${c.category ?? 'unknown'}`, by: '', content: '' });
    for (const d of c.details) rows.push({ section: 'details', referralId: c.referralId, at: d.occurredAt, what: `revision ${d.revision}`, by: '', content: JSON.stringify(d.person) });
    for (const e of c.events) rows.push({ section: 'event', referralId: c.referralId, at: e.occurredAt, what: e.type, by: e.actor, content: JSON.stringify({ ...e.data, ...(e.text ? { text: e.text } : {}) }) });
  }
  for (const a of report.accessLog) {
    rows.push({ section: 'access-log', referralId: a.referralId, at: a.at, what: `${a.kind} of ${a.resource}`, by: a.actor.sub, content: JSON.stringify({ justification: a.justification, recipients: a.recipients, gateway: a.gateway }) });
  }
  return rows;
}
