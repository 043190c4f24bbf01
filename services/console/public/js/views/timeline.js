// @ts-check
/**
 * A referral's timeline, newest first, a page at a time, each event with when it happened (its occurrence time,
 * which a command may set in the past: an arrest recorded the next morning) and when the engine recorded it, both
 * on the London clock with the zone named. Supervisors and auditors page through the whole history
 * (GET /history by revision); everyone else pages through the latest events the referral itself carries.
 */
import { api, session } from '../api.js';
import { h, humanise, replace } from '../dom.js';
import { londonTime, londonTimeElement } from '../clocks.js';
import { sectionError } from './common.js';

export const PAGE_SIZE = 20;
/** Who may read GET /v1/referrals/:id/history (the API's `auditReaders`). */
const HISTORY_READERS = ['auditor', 'supervisor'];

/** @param {any} e */
export function timelineEntry(e) {
  const who = e.actor.kind === 'system' ? `${e.actor.name} (system)` : `${e.actor.name} (${e.actor.roles.join(', ')}${e.actor.agency ? `, ${e.actor.agency}` : ''})`;
  // To the minute, as shown: two labels reading the same time would only be noise.
  const same = londonTime(e.recordedAt) === londonTime(e.occurredAt);
  return h(
    'li',
    { 'data-revision': String(e.revision) },
    h('p', null, h('strong', null, humanise(e.type)), ' by ', who),
    h(
      'p',
      { class: 'when' },
      same ? ['Happened and recorded ', londonTimeElement(e.occurredAt)] : ['Happened ', londonTimeElement(e.occurredAt), h('span', { class: 'sep' }, ' · '), 'recorded ', londonTimeElement(e.recordedAt)],
      h('span', { class: 'sep' }, ' · '),
      `revision ${e.revision}`,
    ),
    e.reason ? h('p', null, 'Why: ', e.reason) : null,
  );
}

/**
 * Renders the timeline into `section` and keeps its pager working.
 * @param {HTMLElement} section @param {any} referral
 * @param {{ referralId: string, justification: string, signal: AbortSignal }} ctx
 */
export async function timelinePager(section, referral, ctx) {
  const heading = () => h('h2', { id: 'timeline-h' }, 'Timeline');
  const total = referral.revision + 1;
  // The history is for supervisors and auditors (the route refuses everyone else, so nobody else asks it);
  // everyone else pages through the latest events the referral carries, without their reasons.
  /** @type {any[] | undefined} */
  const carried = session.hasRole(...HISTORY_READERS) ? undefined : [...(referral.recentEvents ?? [])].reverse();
  try {
    await show(0);
  } catch (error) {
    if (!ctx.signal.aborted) sectionError(section, heading(), error);
  }

  /** Page `n` (0 = newest). @param {number} n */
  async function show(n) {
    /** @type {any[]} */
    let events;
    /** How many events this source can page through. */
    let reachable;
    if (carried) {
      reachable = carried.length;
      events = carried.slice(n * PAGE_SIZE, (n + 1) * PAGE_SIZE);
    } else {
      reachable = total;
      const last = referral.revision - n * PAGE_SIZE;
      const first = Math.max(0, last - PAGE_SIZE + 1);
      const page = await api(`/v1/referrals/${ctx.referralId}/history?fromRevision=${first}&limit=${last - first + 1}`, { justification: ctx.justification, signal: ctx.signal });
      events = [...page.events].reverse();
    }
    if (ctx.signal.aborted) return;
    const pages = Math.max(1, Math.ceil(reachable / PAGE_SIZE));
    const newest = n * PAGE_SIZE + 1;
    const oldest = n * PAGE_SIZE + events.length;
    const status = h(
      'p',
      { id: 'timeline-status', class: 'muted', 'aria-live': 'polite' },
      total === 1 ? 'The referral has 1 event.' : `Events ${newest} to ${oldest} of ${total}, newest first (page ${n + 1} of ${pages}).`,
      carried ? `${reachable < total ? ` The ${reachable} latest are shown here.` : ''} The full history is open to supervisors and auditors, with each event's reason.` : '',
    );
    const pager = pages > 1
      ? h(
          'nav',
          { class: 'actions pager', 'aria-label': 'Timeline pages' },
          h('button', { type: 'button', disabled: n === 0, onclick: () => go(n - 1) }, 'Newer events'),
          h('button', { type: 'button', disabled: n + 1 >= pages, onclick: () => go(n + 1) }, 'Older events'),
        )
      : null;
    replace(section, heading(), status, h('p', { class: 'muted small' }, 'Times are Europe/London. “Happened” is when the event took place as recorded by the user; “recorded” is when the engine stored it.'), h('ol', { class: 'timeline', id: 'timeline' }, events.map(timelineEntry)), pager);
  }

  /** @param {number} n */
  async function go(n) {
    try {
      await show(n);
      /** @type {HTMLElement | null} */ (section.querySelector('#timeline-status'))?.setAttribute('tabindex', '-1');
      /** @type {HTMLElement | null} */ (section.querySelector('#timeline-status'))?.focus();
    } catch (error) {
      if (!ctx.signal.aborted) sectionError(section, heading(), error);
    }
  }
}
