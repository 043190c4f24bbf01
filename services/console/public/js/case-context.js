// @ts-check
/**
 * A case as the people on shift know it, wherever one is listed (alerts, queues, due list, caseload): the crime
 * reference first, then the offence, problem behaviour, DASH score and risk indicators in words, the owner and the
 * age against the stage's target; the referral id last, small, as a detail that wraps. None of it is personal data.
 */
import { h, humanise } from './dom.js';

/**
 * @typedef {{ referralId: string, crimeReference?: string | null, principalOffence?: string | null, offenceCode?: string | null,
 *   dashYesCount?: number | null, indicators?: string[], problemBehaviour?: string | null, stage?: string | null,
 *   ownerSub?: string | null, daysInStage?: number, targetDays?: number | null, overTarget?: boolean }} CaseFacts
 */

/** @type {Record<string, string>} */
const indicatorWords = {
  threats_to_kill: 'threats to kill',
  attending_address: 'attends the victim’s address',
  weapon: 'weapon',
  breach_of_order: 'breach of an order',
  escalating: 'escalating',
  sexual_violence: 'sexual violence',
  strangulation: 'strangulation',
  pregnancy: 'victim pregnant',
  children_at_risk: 'children at risk',
  suicide_threat: 'threat of suicide',
};

/** `threats_to_kill` → `threats to kill`; an indicator the console does not know yet is humanised. */
export function indicatorInWords(/** @type {string} */ name) {
  return indicatorWords[name] ?? humanise(name).toLowerCase();
}

/** The rules an intake alert matched, in words: `dash>=14` → `DASH 14 or more`, an indicator → its words. */
export function ruleInWords(/** @type {string} */ rule) {
  const dash = /^dash>=(\d+)$/.exec(rule);
  if (dash) return `DASH ${dash[1]} or more`;
  return indicatorWords[rule] ?? humanise(rule).toLowerCase();
}

/** The case's name in a list: the crime reference, or (before the read model has one) the short id. */
export function caseTitle(/** @type {CaseFacts} */ c) {
  return c.crimeReference ? `Crime ${c.crimeReference}` : `Referral ${c.referralId.slice(4, 12)}…`;
}

/** "Stalking involving fear of violence (8/65) · Stalking · DASH 15 of 27 · threats to kill, attends the victim’s address" */
export function caseSummary(/** @type {CaseFacts} */ c) {
  return [
    c.principalOffence ? `${c.principalOffence}${c.offenceCode ? ` (${c.offenceCode})` : ''}` : null,
    c.problemBehaviour ? humanise(c.problemBehaviour) : null,
    c.dashYesCount !== null && c.dashYesCount !== undefined ? `DASH ${c.dashYesCount} of 27` : null,
    c.indicators?.length ? c.indicators.map(indicatorInWords).join(', ') : null,
  ]
    .filter(Boolean)
    .join(' · ');
}

/** Days against the stage's target, in words and colour: "3 of 5 days in awaiting screening". */
export function ageBadge(/** @type {CaseFacts} */ c) {
  if (c.daysInStage === undefined) return null;
  const days = (/** @type {number} */ n) => `${n} ${n === 1 ? 'day' : 'days'}`;
  if (c.targetDays === null || c.targetDays === undefined) return h('span', { class: 'badge age-done' }, `${days(c.daysInStage)} in stage`);
  const state = c.overTarget ? 'over' : c.daysInStage >= c.targetDays * 0.75 ? 'near' : 'ok';
  const words = { over: 'Over target', near: 'Near target', ok: 'Within target' }[state];
  return h('span', { class: `badge age-${state}` }, `${words}: ${days(c.daysInStage)} of ${days(c.targetDays)}`);
}

/**
 * The block's elements, cloned for each case: a caseload page draws a thousand of them, and a clone is several times
 * cheaper than building each element one by one. Only text and the link go in afterwards (never markup).
 */
/** @type {HTMLTemplateElement | undefined} */
let blockTemplate;

/** The whole context as a block: title (a link to the referral), summary, owner, and the id as a wrapping detail. */
export function caseBlock(/** @type {CaseFacts} */ c, /** @type {{ link?: boolean }} */ options = {}) {
  if (!blockTemplate) {
    blockTemplate = document.createElement('template');
    blockTemplate.innerHTML =
      '<div class="case-context"><a class="case-title"></a><span class="case-summary"></span><span class="case-owner"></span><span class="case-id muted small"></span></div>';
  }
  const block = /** @type {HTMLElement} */ (/** @type {HTMLTemplateElement} */ (blockTemplate).content.firstElementChild?.cloneNode(true));
  const [title, summary, owner, id] = /** @type {HTMLElement[]} */ ([...block.children]);
  if (options.link === false) title.replaceWith(h('strong', null, caseTitle(c)));
  else {
    title.setAttribute('href', `#/referral/${c.referralId}`);
    title.textContent = caseTitle(c);
  }
  const words = caseSummary(c);
  if (words) summary.textContent = words;
  else summary.remove();
  owner.textContent = `${c.ownerSub ? `Owner: ${c.ownerSub}` : 'Unassigned'}${c.stage ? ` · ${humanise(c.stage)}` : ''}`;
  id.textContent = c.referralId;
  return block;
}
