/** `statistic,value` rows of the re-offending figures, for `?format=csv` (members stay in the JSON). */
import type { CsvColumn } from '../framework/csv.js';
import type { ReoffendingRates, ReoffendingRatesOnly } from './queries.js';

export interface ReoffendingRow {
  statistic: string;
  value: number | string | null;
}

function rateRows(prefix: string, r: ReoffendingRates): ReoffendingRow[] {
  return (['cohort', 'reoffended', 'reoffendedPct', 'sameVictim', 'sameVictimPct', 'newVictim', 'newVictimPct', 'stillInFollowUp'] as const).map(
    (key) => ({ statistic: `${prefix}.${key}`, value: r[key] }),
  );
}

export function reoffendingStatsRows(stats: ReoffendingRatesOnly): ReoffendingRow[] {
  return [
    { statistic: 'from', value: stats.from },
    { statistic: 'to', value: stats.to },
    { statistic: 'windowMonths', value: stats.windowMonths },
    { statistic: 'asOf', value: stats.asOf },
    ...rateRows('afterInterventionStart', stats.afterInterventionStart),
    ...stats.afterInterventionStart.byProblemBehaviour.flatMap((b) => rateRows(`afterInterventionStart.${b.problemBehaviour}`, b)),
    ...rateRows('afterCompletedTherapeuticIntervention', stats.afterCompletedTherapeuticIntervention),
  ];
}

export const reoffendingCsvColumns: CsvColumn<ReoffendingRow>[] = [
  { header: 'statistic', value: (r) => r.statistic },
  { header: 'value', value: (r) => r.value },
];
