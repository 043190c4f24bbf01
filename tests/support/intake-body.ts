/** A valid intake body as a crime recording system sends it, a new crime each call; `overrides` replace top-level fields. */
let crimeCounter = 0;

export function intakeBody(overrides: Record<string, unknown> = {}, crimeReference = `CC/26/${String(++crimeCounter).padStart(6, '0')}-${process.pid}`) {
  return {
    source: { system: 'niche', crimeReference, recordedAt: '2026-11-20T10:00:00Z' },
    offences: [{ code: '8/65', description: 'Stalking involving fear of violence', principal: true }],
    problemBehaviour: 'stalking',
    summary: 'Repeated unwanted contact after the end of a relationship.',
    victim: { ref: 'P-1001', name: 'Alex Example', dateOfBirth: '1990-01-01' },
    suspect: { ref: 'P-2002', name: 'Sam Example' },
    risk: { dashYesCount: 6, sdashAnswers: [true, false, true, false, false, false, false, false, false, false, false] },
    indicators: [],
    ...overrides,
  };
}
