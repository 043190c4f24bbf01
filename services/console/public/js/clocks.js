// @ts-check
/**
 * Legal measures and their clocks in words: what each kind is called, a deadline's countdown ("due in 3 hours",
 * "overdue by 2 days") with the colour that goes with it, and times on the unit's clock. Every statutory clock is
 * computed in Europe/London (the engine's calendar), so times are shown there and labelled so, whatever zone the
 * browser is in.
 */
import { h, humanise } from './dom.js';

export const LONDON = 'Europe/London';

/** @type {Record<string, string>} */
export const deadlineKindNames = {
  spo_notification: 'SPO: subject to notify the police',
  dvpo_hearing: 'DVPO hearing (after a DVPN)',
  bail_expiry: 'Pre-charge bail ends',
  mappa_review: 'MAPPA review meeting',
  disclosure_decision: 'Disclosure scheme decision',
  victim_contact: "Victims' Code contact",
  plan_review: 'Management plan review',
  order_end: 'Order ends',
};

/** @type {Record<string, string>} */
export const measureKindNames = {
  spo: 'Stalking Protection Order',
  dvpo: 'DVPN / DVPO',
  bail: 'Pre-charge bail',
  mappa: 'MAPPA',
  disclosure_scheme: 'Disclosure scheme (Right to Ask / Right to Know)',
};

/** The measure kind each measure command records (the rest of the commands are not a kind's). */
/** @type {Record<string, string>} */
export const measureCommandKinds = {
  'record-spo': 'spo',
  'record-dvpo': 'dvpo',
  'record-bail': 'bail',
  'record-mappa': 'mappa',
  'record-disclosure-scheme': 'disclosure_scheme',
};

export const deadlineKindName = (/** @type {string} */ kind) => deadlineKindNames[kind] ?? humanise(kind);
export const measureKindName = (/** @type {string | null | undefined} */ kind) => (kind ? measureKindNames[kind] ?? humanise(kind) : '');

const londonFormat = new Intl.DateTimeFormat('en-GB', { timeZone: LONDON, dateStyle: 'medium', timeStyle: 'short' });
const londonZone = new Intl.DateTimeFormat('en-GB', { timeZone: LONDON, timeZoneName: 'short' });

/** "12 Nov 2026, 14:10 GMT" (BST in summer): the instant on the unit's clock, with the zone named. */
export function londonTime(/** @type {string | null | undefined} */ iso) {
  if (!iso) return '—';
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return iso;
  const zone = londonZone.formatToParts(t).find((p) => p.type === 'timeZoneName')?.value ?? 'UK time';
  return `${londonFormat.format(t)} ${zone}`;
}

const dayFormat = new Intl.DateTimeFormat('en-GB', { timeZone: 'UTC', dateStyle: 'medium' });

/** A calendar day (`2026-11-25`, no zone: an order's end, a breach's date) as "25 Nov 2026". */
export function calendarDay(/** @type {string | null | undefined} */ day) {
  if (!day) return '—';
  const t = Date.parse(`${day}T00:00:00Z`);
  return /^\d{4}-\d{2}-\d{2}$/.test(day) && !Number.isNaN(t) ? dayFormat.format(t) : day;
}

/** A <time> for an instant on the London clock; its title says which zone it is. */
export function londonTimeElement(/** @type {string | null | undefined} */ iso) {
  if (!iso) return document.createTextNode('—');
  return h('time', { datetime: iso, title: `${LONDON} (UK local time)` }, londonTime(iso));
}

/** The offset of London from UTC at an instant, in minutes (0 in winter, 60 in summer). */
function londonOffsetMinutes(/** @type {number} */ t) {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-GB', { timeZone: LONDON, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' })
      .formatToParts(t)
      .map((p) => [p.type, p.value]),
  );
  const asUtc = Date.UTC(Number(parts.year), Number(parts.month) - 1, Number(parts.day), Number(parts.hour), Number(parts.minute), Number(parts.second));
  return Math.round((asUtc - Math.floor(t / 1000) * 1000) / 60_000);
}

/**
 * A wall-clock time typed in a form (`2026-11-12T14:10`), read as London time, to an ISO instant. In the hour the
 * clocks go back (a time that happens twice) the first, summer-time one is meant; a time skipped when the clocks
 * go forward is read as if the clocks had not yet changed (01:30 on that day is 02:30 BST).
 */
export function londonWallClockToIso(/** @type {string} */ local) {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/.exec(local);
  if (!m) return new Date(local).toISOString();
  const asUtc = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6] ?? 0));
  // Try the summer offset first, then the winter one: keep the first that reads back as the time typed.
  for (const offset of [60, 0]) {
    const t = asUtc - offset * 60_000;
    if (londonOffsetMinutes(t) === offset) return new Date(t).toISOString();
  }
  return new Date(asUtc - londonOffsetMinutes(asUtc - 3 * 3_600_000) * 60_000).toISOString();
}

/** "3 hours", "1 day", "45 minutes": whole units, rounded down (an understatement of the time left is the safe one). */
export function duration(/** @type {number} */ ms) {
  const minutes = Math.floor(Math.abs(ms) / 60_000);
  const plural = (/** @type {number} */ n, /** @type {string} */ unit) => `${n} ${unit}${n === 1 ? '' : 's'}`;
  if (minutes < 1) return 'less than a minute';
  if (minutes < 60) return plural(minutes, 'minute');
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return plural(hours, 'hour');
  return plural(Math.floor(hours / 24), 'day');
}

/** Due within this long is "soon": amber rather than green. */
const SOON_MS = 24 * 60 * 60_000;

/**
 * A deadline's state in words and the colour that goes with it (the words alone must be enough: colour is never
 * the only signal). Takes the API's status (`due`, `overdue`, `met`, `missed`) or the referral state's
 * (`open`, `missed`, `met`, `cancelled`, `expired`).
 * @param {{ status: string, dueAt: string, closedAt?: string | null, late?: boolean, missedAt?: string | null }} d
 * @returns {{ words: string, tone: 'over' | 'near' | 'ok' | 'done', overdue: boolean }}
 */
export function countdown(d, now = Date.now()) {
  const left = Date.parse(d.dueAt) - now;
  if (d.status === 'met') return { words: d.late ? `Met late${d.closedAt ? `, ${duration(Date.parse(d.closedAt) - Date.parse(d.dueAt))} after it was due` : ''}` : 'Met in time', tone: d.late ? 'near' : 'ok', overdue: false };
  if (d.status === 'cancelled') return { words: 'Cancelled: no longer applies', tone: 'done', overdue: false };
  if (d.status === 'expired') return { words: 'Ended (the order expired)', tone: 'done', overdue: false };
  // Open, due, overdue, or missed and still unmet: the time is what matters.
  if (left <= 0) return { words: `${d.status === 'missed' || d.missedAt ? 'Missed: overdue' : 'Overdue'} by ${duration(left)}`, tone: 'over', overdue: true };
  return { words: `Due in ${duration(left)}`, tone: left <= SOON_MS ? 'near' : 'ok', overdue: false };
}

/** The countdown as a badge: its text says it all, its colour repeats it; `refreshCountdowns` keeps it current. */
export function countdownBadge(/** @type {Parameters<typeof countdown>[0]} */ d, now = Date.now()) {
  const c = countdown(d, now);
  return h('span', { class: `badge age-${c.tone}`, 'data-countdown': JSON.stringify({ status: d.status, dueAt: d.dueAt, closedAt: d.closedAt ?? null, late: d.late ?? false, missedAt: d.missedAt ?? null }) }, c.words);
}

/** Recomputes every countdown badge under `root` (a page left open keeps saying the truth). */
export function refreshCountdowns(/** @type {ParentNode} */ root, now = Date.now()) {
  for (const el of root.querySelectorAll('[data-countdown]')) {
    const c = countdown(JSON.parse(el.getAttribute('data-countdown') ?? '{}'), now);
    el.textContent = c.words;
    el.className = `badge age-${c.tone}`;
  }
}
