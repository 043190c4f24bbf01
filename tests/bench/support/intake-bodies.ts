/**
 * Intake bodies for the benches: every call is a distinct crime (a new referral), and one in five trips a
 * default intake rule (an indicator or a DASH count of 14+), so urgent actions and alerts are part of the load.
 */

const urgentVariants: ReadonlyArray<{ indicators: string[]; risk: { dashYesCount: number } }> = [
  { indicators: ['threats_to_kill'], risk: { dashYesCount: 9 } },
  { indicators: ['weapon', 'escalating'], risk: { dashYesCount: 11 } },
  { indicators: ['attending_address'], risk: { dashYesCount: 7 } },
  { indicators: ['breach_of_order'], risk: { dashYesCount: 5 } },
  { indicators: [], risk: { dashYesCount: 16 } },
];

/** `runId` keeps crimes of different runs apart; `n` numbers the crime within the run. */
export function benchIntakeBody(runId: string, n: number, kind: 'mixed' | 'plain' | 'urgent' = 'mixed'): Record<string, unknown> {
  const urgent = kind === 'urgent' || (kind === 'mixed' && n % 5 === 0);
  const variant = urgent ? urgentVariants[Math.floor(n / 5) % urgentVariants.length]! : { indicators: ['escalating'], risk: { dashYesCount: 6 } };
  return {
    source: { system: 'niche', crimeReference: `BN/${runId}/${n}`, recordedAt: '2026-11-20T10:00:00Z' },
    offences: [
      { code: '8/65', description: 'Stalking involving fear of violence', principal: true },
      { code: '8/31', description: 'Malicious communications', principal: false },
    ],
    problemBehaviour: n % 3 === 0 ? 'serial_domestic_abuse' : 'stalking',
    summary:
      'Repeated unwanted contact after the end of a relationship: messages at night, waiting outside the ' +
      'victim\u2019s workplace, contact through friends after being told to stop.',
    victim: { ref: `V-${runId}-${n}`, name: 'Alex Example', dateOfBirth: '1990-01-01' },
    suspect: { ref: `S-${runId}-${n % 997}`, name: 'Sam Example' },
    risk: { ...variant.risk, sdashAnswers: [true, false, true, false, false, true, false, false, false, false, false] },
    indicators: variant.indicators,
  };
}
