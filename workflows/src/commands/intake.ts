/**
 * Intake from a source system, the one command that can start a referral. A new crime starts it; the same
 * crime sent again changes nothing when its facts are the same (source systems resend), or records what changed.
 */
import { isErased, type IntakeField, type Party, type PersonEntry } from '@hru/events';
import { matchIntakeRules } from '../intake/intake-rules.js';
import { intakeBodySchema, partyIdFor, referralIdFor, type IntakeBody } from '../intake/intake-body.js';
import { draft, type Decision, type DraftEvent } from '../referral/decision.js';
import { openUrgentAction, type ReferralState } from '../referral/referral-state.js';
import { defineCommand, type DecisionInput } from './command.js';
import { raiseAlert, raiseAlertSuperseding } from './urgent.js';

interface IntakeFacts {
  recordedAt: string;
  offences: IntakeBody['offences'];
  problemBehaviour: IntakeBody['problemBehaviour'];
  parties: Party[];
  risk: IntakeBody['risk'];
  indicators: IntakeBody['indicators'];
  summary: string;
  people: PersonEntry[];
}

function factsOf(body: IntakeBody): IntakeFacts {
  const victimId = partyIdFor(body.source.system, body.victim.ref);
  const suspectId = partyIdFor(body.source.system, body.suspect.ref);
  return {
    recordedAt: body.source.recordedAt,
    offences: body.offences,
    problemBehaviour: body.problemBehaviour,
    parties: [
      { partyId: victimId, category: 'victim' },
      { partyId: suspectId, category: 'suspect' },
    ],
    risk: body.risk,
    indicators: body.indicators,
    summary: body.summary,
    people: [
      // The source's reference identifies the person: it is one of their details, not a party fact.
      { partyId: victimId, name: body.victim.name, ...(body.victim.dateOfBirth ? { dateOfBirth: body.victim.dateOfBirth } : {}), sourceRef: body.victim.ref },
      { partyId: suspectId, name: body.suspect.name, sourceRef: body.suspect.ref },
    ],
  };
}

/** The facts as folded so far, to compare a repeat against (only called once the referral exists). */
function storedFacts(state: ReferralState): Record<IntakeField, unknown> {
  return {
    recordedAt: state.source?.recordedAt,
    offences: state.offences,
    problemBehaviour: state.problemBehaviour,
    parties: state.parties,
    risk: state.intakeRisk,
    indicators: state.indicators,
    summary: isErased(state.personal) ? undefined : state.personal.summary,
    people: state.personal.people,
  };
}

/** JSON with sorted keys, so facts compare equal however their objects were built. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b)))
      : v,
  );
}

const intakeFields: readonly IntakeField[] = ['recordedAt', 'offences', 'problemBehaviour', 'parties', 'risk', 'indicators', 'summary', 'people'];

export const receiveReferral = defineCommand({
  summary: 'Receive a referral (source systems use POST /v1/referrals)',
  roles: 'system',
  schema: intakeBodySchema,
  decide: decideReceiveReferral,
});

function decideReceiveReferral({ state, command, where }: DecisionInput<IntakeBody>): Decision {
  const body = command.payload;
  const facts = factsOf(body);
  const { options } = command.meta;
  if (where === 'not_received') {
    const referralId = referralIdFor(body.source.system, body.source.crimeReference);
    const events: DraftEvent[] = [
      draft('ReferralReceived', {
        referralId,
        source: body.source,
        offences: facts.offences,
        problemBehaviour: facts.problemBehaviour,
        parties: facts.parties,
        risk: facts.risk,
        indicators: facts.indicators,
        personal: { summary: facts.summary, people: facts.people },
      }),
    ];
    const rules = matchIntakeRules(options.intakeRules, facts);
    if (rules.length > 0) events.push(raiseAlert({ ...state, referralId }, intakeReason(rules), 'intake_rule', rules, command.meta));
    return events;
  }

  const before = storedFacts(state);
  const changed = intakeFields.filter((field) => canonical(before[field]) !== canonical(facts[field]));
  if (changed.length === 0) return [];
  const has = (field: IntakeField) => changed.includes(field);
  const events: DraftEvent[] = [
    draft('ReferralDetailsUpdated', {
      referralId: state.referralId,
      changedFields: changed,
      ...(has('recordedAt') ? { recordedAt: facts.recordedAt } : {}),
      ...(has('offences') ? { offences: facts.offences } : {}),
      ...(has('problemBehaviour') ? { problemBehaviour: facts.problemBehaviour } : {}),
      ...(has('parties') ? { parties: facts.parties } : {}),
      ...(has('risk') ? { risk: facts.risk } : {}),
      ...(has('indicators') ? { indicators: facts.indicators } : {}),
      personal: { ...(has('summary') ? { summary: facts.summary } : {}), people: has('people') ? facts.people : [] },
    }),
  ];
  // A closed referral takes the update but no urgent action: raising is for open cases (reopen first).
  const previously = new Set(matchIntakeRules(options.intakeRules, { risk: state.intakeRisk, indicators: state.indicators }));
  const newly = matchIntakeRules(options.intakeRules, facts).filter((rule) => !previously.has(rule));
  // A new danger signal pages again unless an alert is already paging (raised, not yet acknowledged).
  if (newly.length > 0 && where !== 'closed' && openUrgentAction(state)?.status !== 'raised') {
    events.push(...raiseAlertSuperseding(state, intakeReason(newly), 'intake_rule', newly, command.meta));
  }
  return events;
}

function intakeReason(rules: readonly string[]): string {
  return `Intake rules matched: ${rules.join(', ')}`;
}
