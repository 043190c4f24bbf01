/**
 * A fixed history for the re-offending and value-for-money specs; every expectation there is counted by hand
 * from it. Cohort (intervention started in Q1 2025): A (plan 10 Jan), B (review 1 Feb), C (directed to a
 * service 15 Feb), D (advocate contact 31 Mar), F (20 Jan). E starts in April and is not in it.
 */
import { given, referralId } from './history.js';
import { crime, timeLogged } from './perpetrators.js';

export const id = (n: number) => referralId(0x100 + n);
export const [A, A2, A4, B, B2, B3, C, C2, D, D2, D3, E, F, F2] = [1, 2, 4, 11, 12, 13, 21, 22, 31, 32, 33, 41, 51, 52].map(id) as string[] as [
  string, string, string, string, string, string, string, string, string, string, string, string, string, string,
];
export const quarter = { from: '2025-01-01', to: '2025-03-31' };

export const reoffendingHistory = [
  // A, perpetrator p1, victim v1. A4 was recorded before A's start though received after it: not a re-offence.
  crime(A, { perpetrator: 'pty-p1', victim: 'pty-v1', recordedOn: '2024-12-01' }),
  given.plan(A, '2025-01-10T09:00:00Z'),
  given.intervention(A, 1, '2025-01-15', { kind: 'spo_advised' }),
  crime(A4, { perpetrator: 'pty-p1', victim: 'pty-v1', recordedOn: '2025-01-05', receivedOn: '2025-02-01' }),
  crime(A2, { perpetrator: 'pty-p1', victim: 'pty-v1', recordedOn: '2025-06-01', perpetratorCategory: 'offender' }),
  // B, p2 against v3. B2 (a new victim, sexual violence, but a breach of order) comes before B3 (v3 again): B2 decides.
  crime(B, { perpetrator: 'pty-p2', victim: 'pty-v3', recordedOn: '2025-01-20', problemBehaviour: 'serial_domestic_abuse' }),
  given.intervention(B, 2, '2025-02-01', { kind: 'tactical_review' }),
  crime(B2, { perpetrator: 'pty-p2', victim: 'pty-v4', recordedOn: '2025-05-05', problemBehaviour: 'sexual_violence', breachOfOrder: true }),
  crime(B3, { perpetrator: 'pty-p2', victim: 'pty-v3', recordedOn: '2025-08-01' }),
  // C, p3 against v5: therapy completed 20 March; C2 (v5 again) is 12½ months after the start, 11⅓ after completion.
  crime(C, { perpetrator: 'pty-p3', victim: 'pty-v5', recordedOn: '2025-01-05' }),
  given.directed(C, '2025-02-15T09:00:00Z', 'health_pathway'),
  given.intervention(C, 3, '2025-03-01', { kind: 'therapeutic_intervention_started' }),
  given.intervention(C, 4, '2025-03-20', { kind: 'therapeutic_intervention_completed' }),
  crime(C2, { perpetrator: 'pty-p3', victim: 'pty-v5', recordedOn: '2026-03-01' }),
  // D, p4 against v6: D2 is sexual violence without a breach; D3 is recorded on the start day itself. Neither counts.
  crime(D, { perpetrator: 'pty-p4', victim: 'pty-v6', recordedOn: '2025-01-10' }),
  given.intervention(D, 5, '2025-03-31', { kind: 'victim_advocate_contact', outcome: 'engaged' }),
  crime(D2, { perpetrator: 'pty-p4', victim: 'pty-v7', recordedOn: '2025-05-01', problemBehaviour: 'sexual_violence' }),
  crime(D3, { perpetrator: 'pty-p4', victim: 'pty-v6', recordedOn: '2025-03-31' }),
  // E starts in April, outside the period, though p5 re-offends.
  crime(E, { perpetrator: 'pty-p5', victim: 'pty-v8', recordedOn: '2025-02-01' }),
  given.intervention(E, 6, '2025-04-02', { kind: 'spo_advised' }),
  // F: closed, then reopened by F2 from another system (other party ids): re-offending through the link only.
  crime(F, { perpetrator: 'pty-f-niche', victim: 'pty-v9-niche', recordedOn: '2024-11-01' }),
  given.intervention(F, 7, '2025-01-20', { kind: 'direct_constable_intervention' }),
  given.closed(F, '2025-02-01T09:00:00Z'),
  crime(F2, { perpetrator: 'pty-f-athena', victim: 'pty-v9-athena', recordedOn: '2025-04-01', problemBehaviour: 'querulance', system: 'athena' }),
  given.reopened(F, '2025-04-02T09:00:00Z', F2),
];


/** Staff time on the same referrals: E's is outside the Q1 cohort; `victim_services` has no rate of its own. */
export const staffTimeHistory = [
  timeLogged(A, '2025-01-12', 'police', 90),
  timeLogged(A, '2025-01-20', 'nhs', 60),
  timeLogged(B, '2025-02-03', 'police', 30),
  timeLogged(B, '2025-02-04', 'advocacy', 120),
  timeLogged(C, '2025-03-02', 'forensic_psychology', 120),
  timeLogged(C, '2025-03-09', 'forensic_psychology', 60),
  timeLogged(F, '2025-01-25', 'victim_services', 45),
  timeLogged(E, '2025-04-03', 'police', 600),
];
