/**
 * One synthetic referral's life as a list of commands, shaped on the unit's own figures (seed: in ten months
 * 260 referrals, 83 adopted and 177 advice-only). Every name is made up; nothing here is real.
 */
import type { Role } from '@hru/events';
import { Random } from './random.js';

export interface ScriptedCommand {
  name: string;
  payload: Record<string, unknown>;
  /** Who issues it: a source system, or a member of staff with this role. */
  by: { system: string } | { role: Role; sub: string; agency: string };
  at: Date;
}

const firstNames = ['Alex', 'Sam', 'Jo', 'Chris', 'Robin', 'Jamie', 'Morgan', 'Taylor', 'Casey', 'Jordan'];
const lastNames = ['Smith', 'Jones', 'Taylor', 'Brown', 'Williams', 'Evans', 'Davies', 'Wilson', 'Roberts', 'Walker'];
const offences = [
  { code: '8/65', description: 'Stalking involving fear of violence' },
  { code: '8/64', description: 'Stalking' },
  { code: '8/1', description: 'Harassment' },
  { code: '8/71', description: 'Controlling or coercive behaviour' },
];
const staff = {
  officer: { role: 'officer', sub: 'pc.demo', agency: 'police' },
  supervisor: { role: 'supervisor', sub: 'ds.demo', agency: 'police' },
  psychologist: { role: 'psychologist', sub: 'psych.demo', agency: 'forensic_psychology' },
  advocate: { role: 'victim_advocate', sub: 'isa.demo', agency: 'advocacy' },
} as const;

const day = 86_400_000;
const isoDate = (d: Date) => d.toISOString().slice(0, 10);

/**
 * Whose referral this is: about three in ten are about a suspect of one of the forty referrals before (a serial
 * perpetrator, against a new victim), so the perpetrators' ranking has people with several referrals and victims
 * to rank. From a hash of the index, not from `random`, so every other figure of a seeded demo stays as it was.
 */
export function suspectIndexFor(index: number): number {
  // Followed back to the referral that named the suspect first, so each repeat is about the same person.
  for (let at = index; ; ) {
    const hash = Math.imul(at + 1, 2654435761) >>> 0;
    if (at < 4 || hash % 100 >= 30) return at;
    at = at - 1 - ((hash >>> 8) % Math.min(at, 40));
  }
}

const areas = ['North', 'South', 'East', 'West', 'Central'] as const;

/**
 * The policing area: the one of the suspect's first referral (serial offending stays local in this demo), from a
 * hash of the index rather than `random`, so every other figure of a seeded demo stays as it was.
 */
function areaFor(suspectIndex: number): string {
  return areas[(Math.imul(suspectIndex + 11, 2246822519) >>> 0) % areas.length]!;
}

/**
 * `series` keeps two demos apart (`hru demo` passes its seed): their crimes and people are others, so a second demo
 * on the same data dir adds a caseload rather than resending the first one's crimes.
 */
export function syntheticCase(index: number, random: Random, receivedAt: Date, series = ''): ScriptedCommand[] {
  const commands: ScriptedCommand[] = [];
  let clock = receivedAt.getTime();
  const at = (afterDays: number) => new Date((clock += Math.max(1, afterDays) * day * (0.5 + random.next())));
  const crimeReference = `DEMO/${receivedAt.getUTCFullYear() % 100}/${series}${String(index + 1).padStart(6, '0')}`;
  const urgent = random.chance(0.1);
  const problemBehaviour = random.weighted([['stalking', 62], ['serial_domestic_abuse', 24], ['sexual_violence', 7], ['querulance', 7]] as const);
  const offence = random.pick(offences);
  commands.push({
    name: 'receive-referral',
    by: { system: 'demo' },
    at: new Date(clock),
    payload: {
      source: { system: 'demo', crimeReference, recordedAt: new Date(clock - day).toISOString(), area: areaFor(suspectIndexFor(index)) },
      offences: [{ ...offence, principal: true }],
      problemBehaviour,
      summary: 'Synthetic referral for demonstration: repeated unwanted contact, following and messages.',
      victim: { ref: `DV-${series}${index}`, name: `${random.pick(firstNames)} ${random.pick(lastNames)}`, dateOfBirth: `19${random.int(60, 99)}-0${random.int(1, 9)}-1${random.int(0, 9)}` },
      suspect: { ref: `DS-${series}${suspectIndexFor(index)}`, name: `${random.pick(firstNames)} ${random.pick(lastNames)}` },
      risk: { dashYesCount: urgent ? random.int(14, 20) : random.int(2, 13), sdashAnswers: Array.from({ length: 11 }, () => random.chance(0.35)) },
      indicators: urgent ? [random.pick(['threats_to_kill', 'weapon', 'attending_address', 'breach_of_order'])] : random.chance(0.2) ? ['escalating'] : [],
    },
  });
  if (urgent) {
    commands.push({ name: 'acknowledge-urgent-action', by: staff.supervisor, at: new Date(clock + 5 * 60_000), payload: { alertId: '$alert', note: 'Acknowledged: safeguarding visit arranged.' } });
  }
  const triage = random.weighted([['proceed', 86], ['not_stalking', 9], ['out_of_scope', 5]] as const);
  commands.push({ name: 'triage', by: staff.officer, at: at(1), payload: { decision: triage, reason: triage === 'proceed' ? 'Fixated, obsessive, unwanted and repeated.' : 'Single incident; advice returned to the officer in the case.' } });
  if (triage !== 'proceed') return commands;
  const screen = random.weighted([['adopt', 32], ['advice_only', 62], ['no_added_value', 6]] as const);
  commands.push({ name: 'screen', by: staff.psychologist, at: at(3), payload: { decision: screen, reason: 'Screened at the weekly meeting.' } });
  const outcome = () =>
    commands.push({
      name: 'record-crime-outcome',
      by: staff.officer,
      at: at(20),
      payload: { crimeReference, outcomeCode: random.weighted([['1', 20], ['3', 1], ['16', 12], ['15', 30], ['18', 5]] as const), outcomeDate: isoDate(new Date(clock)) },
    });
  if (screen === 'no_added_value') return commands;
  if (screen === 'advice_only') {
    commands.push({ name: 'record-advice', by: staff.psychologist, at: at(2), payload: { advice: 'Advised the investigating officer on risk and an SPO application.' } });
    if (random.chance(0.4)) commands.push({ name: 'record-intervention', by: staff.officer, at: at(1), payload: { intervention: { kind: 'spo_advised' }, occurredOn: isoDate(new Date(clock)) } });
    outcome();
    return commands;
  }
  commands.push({ name: 'schedule-case-discussion', by: staff.supervisor, at: at(2), payload: { scheduledFor: new Date(clock + 7 * day).toISOString(), invitedAgencies: ['police', 'forensic_psychology', 'health', 'advocacy', 'probation'] } });
  commands.push({
    name: 'record-case-discussion',
    by: staff.psychologist,
    at: at(7),
    payload: {
      heldAt: new Date(clock).toISOString(),
      attendees: [
        { agency: 'police', discipline: 'police', count: 2 },
        { agency: 'forensic_psychology', discipline: 'forensic psychology', count: 1 },
        { agency: 'advocacy', discipline: 'victim advocacy', count: 1 },
      ],
      decisions: ['Formulate motivation', 'Agree a management plan'],
    },
  });
  commands.push({
    name: 'record-risk-assessment',
    by: staff.psychologist,
    at: at(1),
    payload: {
      assessedOn: isoDate(new Date(clock)),
      srp: { violence: random.pick(['low', 'moderate', 'high']), persistence: random.pick(['moderate', 'high']), recurrence: random.pick(['low', 'moderate', 'high']), psychosocialDamage: random.pick(['low', 'moderate']) },
      rationale: 'Stalking Risk Profile completed at the case discussion.',
    },
  });
  commands.push({ name: 'formulate', by: staff.psychologist, at: at(1), payload: { stalkerType: random.weighted([['rejected', 50], ['resentful', 20], ['intimacy_seeking', 12], ['incompetent_suitor', 12], ['predatory', 6]] as const), rationale: 'Formulated by the clinic.' } });
  commands.push({
    name: 'agree-management-plan',
    by: staff.psychologist,
    at: at(1),
    payload: {
      actions: [
        { kind: 'victim_safety_planning', description: 'Safety plan with the victim', owner: { sub: staff.advocate.sub, agency: staff.advocate.agency }, dueDate: isoDate(new Date(clock + 14 * day)) },
        { kind: 'legal_proceedings', description: 'Consider an SPO application', owner: { sub: staff.officer.sub, agency: staff.officer.agency }, dueDate: isoDate(new Date(clock + 21 * day)) },
      ],
    },
  });
  const interventions = [
    { kind: 'victim_advocate_contact', outcome: random.weighted([['engaged', 7], ['declined', 2], ['uncontactable', 1]] as const) },
    ...(random.chance(0.5) ? [{ kind: 'tactical_review' }] : []),
    ...(random.chance(0.2) ? [{ kind: 'mappa_support', category: random.int(1, 3), level: random.int(1, 2) }] : []),
    ...(random.chance(0.25) ? [{ kind: 'therapeutic_intervention_started' }] : []),
    ...(random.chance(0.3) ? [{ kind: 'direct_constable_intervention' }] : []),
    ...(random.chance(0.15) ? [{ kind: 'da_disclosure_to_probation' }] : []),
  ];
  for (const intervention of interventions) {
    commands.push({ name: 'record-intervention', by: staff.advocate.role === 'victim_advocate' && intervention.kind === 'victim_advocate_contact' ? staff.advocate : staff.officer, at: at(3), payload: { intervention, occurredOn: isoDate(new Date(clock)) } });
  }
  if (random.chance(0.35)) legalMeasures(commands, random, at, () => clock, crimeReference);
  if (random.chance(0.3)) commands.push({ name: 'direct-to-service', by: staff.psychologist, at: at(2), payload: { service: 'health_pathway', reason: 'Referred for mental health assessment.' } });
  commands.push({ name: 'log-time', by: staff.officer, at: at(1), payload: { agency: 'police', minutes: random.int(60, 600), activity: 'case management' } });
  commands.push({ name: 'log-time', by: staff.psychologist, at: at(1), payload: { agency: 'forensic_psychology', minutes: random.int(60, 300), activity: 'formulation' } });
  outcome();
  if (random.chance(0.45)) {
    commands.push({ name: 'close', by: staff.supervisor, at: at(30), payload: { reason: 'Management plan complete; risk reduced.' } });
    return commands;
  }
  // Cases still under management are reviewed; the next review falls in the coming weeks (a few are overdue).
  const reviewed = at(20);
  const nextReviewDue = isoDate(new Date(Math.max(reviewed.getTime(), Date.now()) + (random.chance(0.05) ? -3 : random.int(1, 40)) * day));
  commands.push({ name: 'review', by: staff.supervisor, at: reviewed, payload: { summary: 'Reviewed at the monthly case review.', nextReviewDue } });
  return commands;
}

/**
 * An SPO's life as the unit runs it: applied for, an interim order granted and served, the subject notifying in
 * time (nearly always), the victim told of the order; sometimes pre-charge bail first, with its contact.
 */
function legalMeasures(commands: ScriptedCommand[], random: Random, at: (afterDays: number) => Date, now: () => number, crimeReference: string): void {
  // `$spo`: the order the application started (the demo runner reads its id from the application's event).
  const step = (name: string, step: Record<string, unknown>, when: Date) =>
    commands.push({ name, by: staff.officer, at: when, payload: { ...(step.step === 'applied' ? {} : { measureId: '$spo' }), at: when.toISOString(), step } });
  if (random.chance(0.4)) {
    const arrested = at(1);
    commands.push({ name: 'record-arrest', by: staff.officer, at: arrested, payload: { at: arrested.toISOString() } });
    commands.push({ name: 'record-victim-contact', by: staff.advocate, at: new Date(arrested.getTime() + 4 * 3_600_000), payload: { deadlineId: '$victim_contact', at: new Date(arrested.getTime() + 3 * 3_600_000).toISOString(), method: 'phone' } });
  }
  step('record-spo', { step: 'applied', order: 'interim' }, at(3));
  const granted = at(7);
  step('record-spo', { step: 'granted', order: 'interim', endsOn: isoDate(new Date(now() + 42 * day)) }, granted);
  commands.push({ name: 'record-victim-contact', by: staff.advocate, at: new Date(granted.getTime() + 2 * 3_600_000), payload: { deadlineId: '$victim_contact', at: new Date(granted.getTime() + 2 * 3_600_000).toISOString(), method: 'phone' } });
  step('record-spo', { step: 'served' }, at(1));
  if (random.chance(0.92)) step('record-spo', { step: 'notified' }, at(1));
  if (random.chance(0.1)) {
    // A breach raises an urgent action, and a case with one open cannot be closed: the supervisor answers it.
    const breached = at(10);
    step('record-spo', { step: 'breached', breachOn: isoDate(breached), crimeReference: `${crimeReference}/B` }, breached);
    commands.push({ name: 'acknowledge-urgent-action', by: staff.supervisor, at: new Date(breached.getTime() + 20 * 60_000), payload: { alertId: '$alert', note: 'Breach acknowledged: arrest attempted.' } });
  }
}
