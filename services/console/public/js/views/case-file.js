// @ts-check
/**
 * The referral page's case file, read from the referral's own state (GET /v1/referrals/:id): the urgent banner,
 * the summary, the parties by Part 3 category, the current risk assessment, the formulation in words and the
 * management plan. Every value is said in words; free text erased with the case's key reads "(erased)".
 */
import { session } from '../api.js';
import { h, humanise } from '../dom.js';
import { calendarDay, countdownBadge, londonTimeElement } from '../clocks.js';
import { tableWrap } from './common.js';

/** Free text as the referral reads it: null once erased (the case's key destroyed: an erasure or a disposal). */
const said = (/** @type {string | null | undefined} */ text) => text ?? '(erased)';
const staff = (/** @type {{ sub: string, agency: string } | null | undefined} */ s) => (s ? `${s.sub} (${s.agency})` : 'nobody');

/** Part 3 categories (DPA 2018 s38(3)): the order the page lists them in, and their names. */
const categories = /** @type {const} */ ([
  ['victim', 'Victims'],
  ['suspect', 'Suspects'],
  ['offender', 'Offenders'],
  ['witness', 'Witnesses'],
]);

/** Mullen et al. (1999): each motivational type in a sentence, so the formulation reads without the textbook. */
/** @type {Record<string, string>} */
const stalkerTypes = {
  rejected: 'Rejected: pursues a former partner after the relationship ended, to reconcile or to avenge the rejection.',
  resentful: 'Resentful: pursues to frighten and distress someone they feel has wronged or humiliated them.',
  intimacy_seeking: 'Intimacy seeking: pursues a relationship with someone they believe is, or will become, their partner.',
  incompetent_suitor: 'Incompetent suitor: seeks a date or a short relationship without the social skills to do so; usually brief.',
  predatory: 'Predatory: gathers information and stalks in preparation for a (usually sexual) attack.',
  not_yet_formulated: 'Not yet formulated: the motivation is still being assessed.',
};

/** Who or what raised an alert, in words. @type {Record<string, string>} */
const raisers = { intake_rule: 'the intake rules', person: 'a member of staff', deadline: 'a missed deadline', breach: 'a breach of an order' };

/**
 * The open urgent action as a banner: it says what is urgent, to whom it is addressed and by when it must be
 * acknowledged; an acknowledged one stays (amber) until resolved. Nothing when no alert is open. `acknowledge`
 * opens that command's form: the banner offers it as a button to supervisors and to the role the alert is
 * addressed to (the engine refuses anyone else).
 * @param {any} r @param {(() => unknown) | null} [acknowledge]
 */
export function urgentBanner(r, acknowledge = null) {
  /** @type {any[]} */
  const open = (r.urgentActions ?? []).filter((/** @type {any} */ a) => a.status === 'raised' || a.status === 'acknowledged');
  if (open.length === 0) return null;
  const raised = open.some((a) => a.status === 'raised');
  return h(
    'section',
    { class: `urgent-banner ${raised ? 'urgent-raised' : 'urgent-acknowledged'}`, id: 'urgent-banner', 'aria-labelledby': 'urgent-h' },
    h('h2', { id: 'urgent-h' }, raised ? 'Urgent action required' : 'Urgent action acknowledged, not yet resolved'),
    h(
      'ul',
      null,
      open.map((a) =>
        h(
          'li',
          null,
          h('strong', null, said(a.reason)),
          h(
            'span',
            { class: 'urgent-meta' },
            ` Raised by ${raisers[a.raisedBy] ?? humanise(a.raisedBy)} `,
            londonTimeElement(a.raisedAt),
            `; addressed to ${humanise(a.addressedTo)}${a.level ? ` (escalated ${a.level} time${a.level === 1 ? '' : 's'})` : ''}. `,
            a.status === 'raised' && a.ackDueAt ? ['Acknowledge by ', londonTimeElement(a.ackDueAt), ' ', countdownBadge({ status: 'open', dueAt: a.ackDueAt })] : null,
            a.status === 'acknowledged' ? ['Acknowledged ', londonTimeElement(a.acknowledgedAt), '.'] : null,
          ),
        ),
      ),
    ),
    acknowledge && open.some((a) => a.status === 'raised' && session.hasRole('supervisor', a.addressedTo)) ? h('div', { class: 'actions' }, h('button', { type: 'button', class: 'primary', onclick: acknowledge }, 'Acknowledge now')) : null,
  );
}

/** The section headings' level: 2 on the referral page, 3 where the case file sits under a heading of its own (the audit page). */
let level = 2;
const heading = (/** @type {string} */ id, /** @type {string} */ text) => h(`h${level}`, { id }, text);

/** @param {any} r @param {{ headingLevel?: 2 | 3 }} [options] */
export function caseFileSections(r, options = {}) {
  level = options.headingLevel ?? 2;
  try {
    return [summary(r), parties(r), riskAssessment(r), formulation(r), managementPlan(r)];
  } finally {
    level = 2;
  }
}

/** @param {any} r */
function summary(r) {
  const principal = (r.offences ?? []).find((/** @type {any} */ o) => o.principal);
  const dash = r.intakeRisk?.dashYesCount;
  const sdash = r.intakeRisk?.sdashAnswers;
  return h(
    'section',
    { 'aria-labelledby': 'summary-h' },
    heading('summary-h', 'Summary'),
    h(
      'dl',
      { class: 'facts' },
      h('dt', null, 'Stage'), h('dd', { id: 'stage' }, humanise(r.stage)),
      h('dt', null, 'Problem behaviour'), h('dd', null, humanise(r.problemBehaviour ?? '—')),
      h('dt', null, 'Crime reference'), h('dd', { id: 'crime-reference' }, r.source ? `${r.source.crimeReference} (${r.source.system})` : '—'),
      h('dt', null, 'Principal offence'), h('dd', null, principal ? `${principal.description} (${principal.code})` : '—'),
      h('dt', null, 'Received'), h('dd', null, londonTimeElement(r.receivedAt)),
      h('dt', null, 'Risk indicators'), h('dd', null, (r.indicators ?? []).map(humanise).join(', ') || 'none'),
      h('dt', null, 'Risk at intake'), h('dd', null, [dash !== undefined ? `DASH ${dash} of 27 yes` : null, sdash ? `S-DASH ${sdash.filter(Boolean).length} of ${sdash.length} yes` : null].filter(Boolean).join('; ') || '—'),
      h('dt', null, 'Triage'), h('dd', null, r.triage ? `${humanise(r.triage.decision)}: ${said(r.triage.reason)}` : 'not yet'),
      h('dt', null, 'Screening'), h('dd', null, r.screening ? `${humanise(r.screening.decision)}: ${said(r.screening.reason)}` : 'not yet'),
      h('dt', null, 'Assigned to'), h('dd', null, staff(r.assignee)),
      r.closed ? [h('dt', null, 'Closed'), h('dd', null, londonTimeElement(r.closed.at), `: ${said(r.closed.reason)}`)] : null,
      h('dt', null, 'Revision'), h('dd', null, String(r.revision)),
    ),
    r.personal?.erased ? h('p', null, h('strong', null, 'Account: '), said(null)) : r.personal?.summary ? h('p', { id: 'account' }, h('strong', null, 'Account: '), r.personal.summary) : null,
  );
}

/** @param {any} r */
function parties(r) {
  const people = new Map((r.personal?.people ?? []).map((/** @type {any} */ p) => [p.partyId, p]));
  /** @type {any[]} */
  const all = r.parties ?? [];
  const known = new Set(categories.map(([c]) => c));
  const groups = [...categories, ...[...new Set(all.map((p) => p.category))].filter((c) => !known.has(c)).map((c) => [c, humanise(c)])];
  return h(
    'section',
    { 'aria-labelledby': 'parties-h', id: 'parties-section' },
    heading('parties-h', 'Parties'),
    h('p', { class: 'muted small' }, 'By category of data subject (Data Protection Act 2018, Part 3, section 38).'),
    all.length === 0 ? h('p', null, 'No parties recorded.') : null,
    tableWrap(
      'Parties',
      h(
        'table',
        { id: 'parties' },
        h('thead', null, h('tr', null, ['Category', 'Name', 'Date of birth', 'Source reference'].map((t) => h('th', { scope: 'col' }, t)))),
        groups.map(([category, name]) => {
          const members = all.filter((p) => p.category === category);
          if (members.length === 0) return null;
          return h(
            'tbody',
            { 'data-category': category },
            members.map((p, i) => {
              const person = /** @type {any} */ (people.get(p.partyId) ?? {});
              return h(
                'tr',
                null,
                i === 0 ? h('th', { scope: 'rowgroup', rowspan: String(members.length) }, `${name} (${members.length})`) : null,
                h('td', null, person.erased ? '(erased)' : person.name ?? '(not given)'),
                h('td', null, person.dateOfBirth ? calendarDay(person.dateOfBirth) : '—'),
                h('td', null, person.sourceRef ?? '—'),
              );
            }),
          );
        }),
      ),
    ),
  );
}

/** @param {string | null | undefined} level */
const rating = (level) => (level ? humanise(level) : '—');

/** @param {any} r */
function riskAssessment(r) {
  /** @type {any[]} */
  const all = r.riskAssessments ?? [];
  const current = all.at(-1);
  return h(
    'section',
    { 'aria-labelledby': 'risk-h', id: 'risk-section' },
    heading('risk-h', 'Risk assessment'),
    !current
      ? h('p', null, 'No risk assessment recorded since intake (command: record risk assessment).')
      : [
          h('p', null, `Current: assessed on ${calendarDay(current.assessedOn)}.`),
          h(
            'dl',
            { class: 'facts', id: 'risk-current' },
            h('dt', null, 'DASH'), h('dd', null, current.dashYesCount === null ? 'not done' : `${current.dashYesCount} of 27 questions answered yes`),
            h('dt', null, 'S-DASH'), h('dd', null, current.sdashYesCount === null ? 'not done' : `${current.sdashYesCount} of ${current.sdashAnswers?.length ?? 11} questions answered yes (S-DASH has no official bands)`),
            current.srp
              ? [
                  h('dt', null, 'Stalking Risk Profile'),
                  h('dd', null, `Violence ${rating(current.srp.violence).toLowerCase()}; persistence ${rating(current.srp.persistence).toLowerCase()}; recurrence ${rating(current.srp.recurrence).toLowerCase()}; psychosocial damage ${rating(current.srp.psychosocialDamage).toLowerCase()}.`),
                ]
              : [h('dt', null, 'Stalking Risk Profile'), h('dd', null, 'not done')],
            h('dt', null, 'Rationale'), h('dd', null, said(current.rationale)),
            h('dt', null, 'Recorded'), h('dd', null, londonTimeElement(current.recordedAt)),
          ),
          all.length > 1
            ? h(
                'details',
                { id: 'risk-earlier' },
                h('summary', null, `${all.length - 1} earlier assessment${all.length === 2 ? '' : 's'}`),
                h('ul', null, all.slice(0, -1).reverse().map((a) => h('li', null, `${calendarDay(a.assessedOn)}: ${riskLine(a)}`))),
              )
            : null,
        ],
  );
}

/** One assessment in a line: what was done and what it found. @param {any} a */
function riskLine(a) {
  return [
    a.dashYesCount === null ? null : `DASH ${a.dashYesCount} of 27`,
    a.sdashYesCount === null ? null : `S-DASH ${a.sdashYesCount} of ${a.sdashAnswers?.length ?? 11}`,
    a.srp ? `SRP violence ${a.srp.violence}, persistence ${a.srp.persistence}, recurrence ${a.srp.recurrence}, psychosocial damage ${a.srp.psychosocialDamage}` : null,
  ]
    .filter(Boolean)
    .join('; ') + `. ${said(a.rationale)}`;
}

/** @param {any} r */
function formulation(r) {
  const f = r.formulation;
  const earlier = (r.formulationHistory ?? []).length - 1;
  return h(
    'section',
    { 'aria-labelledby': 'formulation-h', id: 'formulation-section' },
    heading('formulation-h', 'Formulation'),
    !f
      ? h('p', null, 'Not formulated yet.')
      : [
          h('p', { id: 'formulation' }, h('strong', null, 'Motivational type (Mullen et al., 1999): '), stalkerTypes[f.stalkerType] ?? humanise(f.stalkerType)),
          h('p', null, h('strong', null, 'Why: '), said(f.rationale)),
          h('p', { class: 'muted' }, 'Recorded ', londonTimeElement(f.recordedAt), earlier > 0 ? `; it supersedes ${earlier} earlier formulation${earlier === 1 ? '' : 's'}.` : '.'),
          earlier > 0
            ? h(
                'details',
                { id: 'formulation-earlier' },
                h('summary', null, `Earlier formulation${earlier === 1 ? '' : 's'}`),
                h('ul', null, r.formulationHistory.slice(0, -1).reverse().map((/** @type {any} */ e) => h('li', null, `${humanise(e.stalkerType)} (recorded `, londonTimeElement(e.recordedAt), `): ${said(e.rationale)}`))),
              )
            : null,
        ],
  );
}

/** @param {any} r */
function managementPlan(r) {
  const plan = r.plan;
  /** @type {any[]} */
  const actions = plan?.actions ?? [];
  const outstanding = actions.filter((a) => a.status === 'open').sort((a, b) => a.dueDate.localeCompare(b.dueDate));
  const done = actions.filter((a) => a.status !== 'open');
  const today = new Date().toISOString().slice(0, 10);
  const reviewClock = (r.deadlines ?? []).find((/** @type {any} */ d) => d.kind === 'plan_review' && (d.status === 'open' || d.status === 'missed'));
  const lastReview = (r.reviews ?? []).at(-1);
  return h(
    'section',
    { 'aria-labelledby': 'plan-h', id: 'plan-section' },
    heading('plan-h', 'Management plan'),
    !plan
      ? h('p', null, 'No plan agreed yet.')
      : [
          h('p', null, `Plan ${plan.planId}, agreed `, londonTimeElement(plan.agreedAt), `: ${outstanding.length} outstanding action${outstanding.length === 1 ? '' : 's'} of ${actions.length}.`),
          outstanding.length
            ? tableWrap(
                'Outstanding actions',
                h(
                  'table',
                  { id: 'plan-actions' },
                  h('caption', null, 'Outstanding actions, soonest due first'),
                  h('thead', null, h('tr', null, ['Due', 'Strategy', 'Action', 'Owner'].map((t) => h('th', { scope: 'col' }, t)))),
                  h(
                    'tbody',
                    null,
                    outstanding.map((a) =>
                      h('tr', { class: a.dueDate < today ? 'overdue' : undefined }, h('td', null, calendarDay(a.dueDate), a.dueDate < today ? h('span', { class: 'badge age-over' }, ' Overdue') : null), h('td', null, humanise(a.kind)), h('td', null, said(a.description)), h('td', null, staff(a.owner))),
                    ),
                  ),
                ),
              )
            : h('p', null, 'Every action is completed.'),
          done.length
            ? h('details', null, h('summary', null, `${done.length} completed action${done.length === 1 ? '' : 's'}`), h('ul', null, done.map((a) => h('li', null, `${humanise(a.kind)}: ${said(a.description)}, completed `, londonTimeElement(a.completedAt), a.note ? ` (${a.note})` : ''))))
            : null,
        ],
    h(
      'p',
      { id: 'next-review' },
      h('strong', null, 'Next review: '),
      reviewClock ? [londonTimeElement(reviewClock.dueAt), ' ', countdownBadge(reviewClock)] : lastReview?.nextReviewDue ? calendarDay(lastReview.nextReviewDue) : 'none set',
    ),
    lastReview ? h('p', null, h('strong', null, 'Last review: '), londonTimeElement(lastReview.at), `: ${said(lastReview.summary)}`) : null,
  );
}

