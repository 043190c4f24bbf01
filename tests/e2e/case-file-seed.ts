/**
 * A case with something in every part of the case file, built through the API as the unit would: an urgent
 * intake (an open alert), triage, screening, a case discussion, two risk assessments, two formulations, a management
 * plan (which starts the plan-review clock) and enough logged time to fill more than one page of the timeline.
 */
import { mintDevToken } from '@hru/infra';
import type { Role } from '@hru/events';
import { JWT_SECRET } from '../support/test-app.js';
import type { TestEngine } from '../support/test-engine.js';

export const SEEDED_EXTRA_EVENTS = 25;

export async function seedCaseFile(engine: TestEngine): Promise<{ referralId: string; crimeReference: string }> {
  const crimeReference = `CC/26/E2E${Date.now() % 1_000_000}`;
  const { referralId } = await engine.intake({
    source: { system: 'niche', crimeReference, recordedAt: new Date().toISOString() },
    indicators: ['threats_to_kill', 'attending_address'],
  });
  const token = async (role: Role, sub: string) => mintDevToken(JWT_SECRET, { sub, name: `Seed ${role}`, roles: [role], agency: 'police' });
  const officer = await token('officer', 'pc-seed');
  const psychologist = await token('psychologist', 'dr-seed');
  const send = async (bearer: string, name: string, body: unknown) => {
    const res = await fetch(`${engine.baseUrl}/v1/referrals/${referralId}/commands/${name}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${bearer}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    if (res.status !== 200) throw new Error(`${name} answered ${res.status}: ${await res.text()}`);
  };
  const today = new Date().toISOString().slice(0, 10);
  const inDays = (n: number) => new Date(Date.now() + n * 86_400_000).toISOString().slice(0, 10);
  await send(officer, 'triage', { decision: 'proceed', reason: 'Fixated, repeated, unwanted contact: stalking.' });
  await send(officer, 'screen', { decision: 'adopt', reason: 'The unit adds value: escalating behaviour.' });
  await send(officer, 'record-case-discussion', {
    heldAt: new Date(Date.now() - 3_600_000).toISOString(),
    attendees: [{ agency: 'police', discipline: 'police', count: 2 }, { agency: 'nhs', discipline: 'forensic psychology', count: 1 }],
    decisions: ['Adopt; psychology to formulate'],
  });
  // An earlier assessment and formulation, superseded by the ones after them: the page shows the latest, the rest folded.
  await send(officer, 'record-risk-assessment', { assessedOn: today, dashYesCount: 10, rationale: 'First assessment at screening.' });
  await send(psychologist, 'formulate', { stalkerType: 'not_yet_formulated', rationale: 'Too early to say.' });
  await send(officer, 'record-risk-assessment', {
    assessedOn: today,
    dashYesCount: 14,
    sdashAnswers: [true, true, true, false, true, false, false, true, false, false, true],
    srp: { violence: 'high', persistence: 'high', recurrence: 'moderate', psychosocialDamage: 'high' },
    rationale: 'Threats to kill and attending the address after the relationship ended.',
  });
  await send(psychologist, 'formulate', { stalkerType: 'rejected', rationale: 'Pursues the former partner to reconcile; anger at the rejection.' });
  await send(officer, 'agree-management-plan', {
    actions: [
      { kind: 'victim_safety_planning', description: 'Safety plan with the victim and target hardening at home', owner: { sub: 'va-1', agency: 'advocacy' }, dueDate: inDays(7) },
      { kind: 'legal_proceedings', description: 'Apply for an interim SPO', owner: { sub: 'pc-seed', agency: 'police' }, dueDate: inDays(3) },
    ],
  });
  for (let i = 0; i < SEEDED_EXTRA_EVENTS; i++) await send(officer, 'log-time', { agency: 'police', minutes: 15, activity: `case work ${i + 1}` });
  return { referralId, crimeReference };
}
