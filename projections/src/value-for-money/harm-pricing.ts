/**
 * Prices one harm for one perspective in the reporting year's prices: each component uplifted by the price index
 * and rounded to pence, then summed. The cohort and the case study both price harms through here, so a figure
 * reads the same in both.
 */
import type { HarmKind, Perspective } from '@hru/events';
import { perspectiveComponents, upliftFactor, type PricedFigure } from './harm-costs.js';
import type { UnitCosts } from './unit-costs.js';
import type { ValueForMoneyLine } from './calculation.js';

export const pence = (x: number) => Math.round(x * 100) / 100;

export interface PricedComponent {
  component: string;
  /** In the reporting year's prices, rounded to pence. */
  value: number;
  source: string;
}

export interface PricedHarm {
  components: PricedComponent[];
  /** The sum of the components' (rounded) values. */
  total: number;
}

function uplifted(costs: UnitCosts, figure: PricedFigure): { value: number; source: string } {
  const reporting = costs.reportingYear.value;
  if (figure.priceYear === reporting) return { value: figure.value, source: `${figure.source} (${figure.priceYear} prices)` };
  const factor = upliftFactor(costs.priceIndex, figure.priceYear, reporting);
  return {
    value: pence(figure.value * factor),
    source: `${figure.value} at ${figure.priceYear} prices × priceIndex ${reporting} / ${figure.priceYear} (${figure.source})`,
  };
}

export function priceHarm(costs: UnitCosts, harm: HarmKind, perspective: Perspective): PricedHarm {
  const figures = costs.harmCosts[harm][perspective] as Record<string, PricedFigure>;
  const components = (perspectiveComponents[perspective] as readonly string[]).map((component) => ({ component, ...uplifted(costs, figures[component]!) }));
  return { components, total: pence(components.reduce((sum, c) => sum + c.value, 0)) };
}

/** The price index lines a set of figures was uplifted with: the reporting year's and each price year used. */
export function priceIndexLines(costs: UnitCosts, priceYears: Iterable<string>): ValueForMoneyLine[] {
  const reporting = costs.reportingYear.value;
  const years = [...new Set([reporting, ...priceYears])].sort();
  if (years.length === 1) return [{ item: `reportingYear.${reporting}`, value: null, unit: 'financial year', source: costs.reportingYear.source }];
  return [
    { item: `reportingYear.${reporting}`, value: null, unit: 'financial year', source: costs.reportingYear.source },
    ...years.map((year) => ({ item: `priceIndex.${year}`, value: costs.priceIndex.byYear[year] ?? null, unit: 'index', source: costs.priceIndex.source })),
  ];
}

/** The price years of the figures a harm's perspectives are priced from. */
export function priceYearsOf(costs: UnitCosts, harm: HarmKind, perspectives: readonly Perspective[]): string[] {
  return perspectives.flatMap((p) => Object.values(costs.harmCosts[harm][p] as Record<string, PricedFigure>).map((f) => f.priceYear));
}
