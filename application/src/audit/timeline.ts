/**
 * A stream's events as an audit timeline: what happened, who did it (sub, name, roles, agency), when,
 * why, and the ids that tie it to a request. Used by the history API, its CSV export and `hru replay`.
 * The why of an event (its reason, note, rationale…) is free text under its `personal` section, so only a
 * timeline built `withPersonal` (the justified, logged history of auditors and supervisors) has it; the
 * others answer who did what and when, with `reason` null.
 */
import { PERSONAL_KEY, type Actor } from '@hru/events';
import type { RecordedEvent } from '../ports/event-store.js';

export interface TimelineActor {
  kind: Actor['kind'];
  /** Staff: the identity provider's subject; systems: the system's name. */
  sub: string;
  name: string;
  roles: string[];
  agency: string;
}

export interface TimelineEntry {
  revision: number;
  position: string;
  type: string;
  occurredAt: string;
  recordedAt: string;
  actor: TimelineActor;
  reason: string | null;
  correlationId: string;
  causationId: string | null;
  summary: string;
  /** The event's data: with its (decrypted) personal section only when built `withPersonal`. */
  data: Record<string, unknown>;
}

export interface TimelineOptions {
  /** Keep each event's `personal` section, and read the why from it (default: left out). */
  withPersonal?: boolean;
}

/** The fields that carry the "why" of an event, by the names the event schemas use. */
const reasonFields = ['reason', 'note', 'rationale', 'resolution', 'advice', 'summary', 'activity'] as const;
/** Short facts worth a place in the one-line summary, when an event has them. */
const factFields = ['decision', 'service', 'outcomeCode', 'level', 'stage', 'changedFields', 'closedFrom', 'assignee'] as const;
const SUMMARY_REASON_CHARS = 100;

export function toTimelineEntry(event: RecordedEvent, options: TimelineOptions = {}): TimelineEntry {
  const data = options.withPersonal ? asRecord(event.data) : withoutPersonal(event.data);
  const actor = timelineActor(event.metadata.actor);
  const reason = reasonOf(data);
  return {
    revision: event.revision,
    position: String(event.position),
    type: event.type,
    occurredAt: event.metadata.occurredAt,
    recordedAt: event.recordedAt,
    actor,
    reason,
    correlationId: event.metadata.correlationId,
    causationId: event.metadata.causationId,
    summary: summarise(event.type, data, actor, reason),
    data,
  };
}

function asRecord(data: unknown): Record<string, unknown> {
  return typeof data === 'object' && data !== null && !Array.isArray(data) ? (data as Record<string, unknown>) : {};
}

function withoutPersonal(data: unknown): Record<string, unknown> {
  const { [PERSONAL_KEY]: _personal, ...rest } = asRecord(data);
  return rest;
}

/** Who did it, as the timeline and the access log show them (a system is named by its name). */
export function timelineActor(actor: Actor): TimelineActor {
  return actor.kind === 'person'
    ? { kind: 'person', sub: actor.sub, name: actor.name, roles: [...actor.roles], agency: actor.agency }
    : { kind: 'system', sub: actor.system, name: actor.system, roles: [], agency: '' };
}

/**
 * The why: from the personal section when there is one (not the intake's, whose summary is the source's
 * narrative, not a reason), else from the data itself (an event stored before the text moved, if not upcast).
 */
function reasonOf(data: Record<string, unknown>): string | null {
  const personal = asRecord(data[PERSONAL_KEY]);
  const sources = 'people' in personal ? [data] : [personal, data];
  for (const source of sources) {
    for (const field of reasonFields) {
      const value = source[field];
      if (typeof value === 'string' && value.trim() !== '') return value;
    }
  }
  return null;
}

/** "Triage completed (decision: proceed) by Sam Lee (triage, police): not stalking behaviour …" on one line. */
export function summarise(type: string, data: Record<string, unknown>, actor: TimelineActor, reason: string | null): string {
  const facts = factFields
    .filter((f) => isShown(data[f]))
    .map((f) => `${f}: ${Array.isArray(data[f]) ? (data[f] as unknown[]).join('/') : String(data[f])}`);
  const who = actor.kind === 'person' ? `${actor.name || actor.sub} (${[actor.roles.join('/'), actor.agency].filter(Boolean).join(', ')})` : actor.sub;
  const why = reason ? `: ${oneLine(reason)}` : '';
  return `${humanise(type)}${facts.length > 0 ? ` (${facts.join(', ')})` : ''} by ${who}${why}`;
}

function isShown(value: unknown): boolean {
  return typeof value === 'string' || typeof value === 'number' || (Array.isArray(value) && value.every((v) => typeof v === 'string'));
}

function humanise(type: string): string {
  const words = type.replace(/([a-z0-9])([A-Z])/g, '$1 $2').toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

function oneLine(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > SUMMARY_REASON_CHARS ? `${flat.slice(0, SUMMARY_REASON_CHARS - 1)}…` : flat;
}
