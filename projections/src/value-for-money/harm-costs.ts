/**
 * Unit costs of harms per perspective (who bears the cost) and component, each with its source and price year,
 * and the price index that uplifts them to the reporting year. The defaults are marked "(check)": the totals follow
 * the Home Office's published figures where they exist, the split between components is illustrative (the README
 * says which figure is which), and a force sets its own through `HRU_UNIT_COSTS.harmCosts`.
 */
import { ConfigurationError, harmKinds, type HarmKind, type Perspective } from '@hru/events';

/** The components of each perspective, in the order lines are shown. */
export const perspectiveComponents = {
  state: ['police', 'courts', 'health'],
  victim: ['physical_emotional', 'lost_output'],
  society: ['wider'],
} as const satisfies Record<Perspective, readonly string[]>;

export type ComponentOf<P extends Perspective> = (typeof perspectiveComponents)[P][number];

export interface PricedFigure {
  value: number;
  source: string;
  /** The financial year the figure is priced in (`2015/16`). */
  priceYear: string;
}

export type HarmCost = { [P in Perspective]: { [C in ComponentOf<P>]: PricedFigure } };

export interface PriceIndex {
  /** Index by financial year, any base. */
  byYear: Readonly<Record<string, number>>;
  source: string;
}

const heeks = 'default (check): Home Office, The economic and social costs of crime (Heeks et al., 2018), 2015/16 prices';
const heeksSplit = `${heeks}; the total is the published unit cost, its split between components illustrative`;
const oliver = 'default (check): Home Office, The economic and social costs of domestic abuse (Oliver et al., 2019), per victim, 2016/17 prices; the split between components illustrative';

/** A harm's figures in one price year from one source: [police, courts, health, physical and emotional, lost output, wider]. */
function harm(priceYear: string, source: string, f: readonly [number, number, number, number, number, number]): HarmCost {
  const at = (value: number): PricedFigure => ({ value, source, priceYear });
  return {
    state: { police: at(f[0]), courts: at(f[1]), health: at(f[2]) },
    victim: { physical_emotional: at(f[3]), lost_output: at(f[4]) },
    society: { wider: at(f[5]) },
  };
}

export const defaultHarmCosts: Readonly<Record<HarmKind, HarmCost>> = {
  violence_with_injury: harm('2015/16', heeksSplit, [760, 1_240, 1_390, 8_320, 2_160, 180]), // total 14,050
  violence_without_injury: harm('2015/16', heeksSplit, [420, 560, 110, 3_740, 1_010, 90]), // total 5,930
  // Heeks et al. give no separate figure: priced as violence without injury, which is how they are recorded.
  stalking_and_harassment: harm('2015/16', `${heeks}; violence without injury as a proxy, illustrative`, [420, 560, 110, 3_740, 1_010, 90]),
  domestic_abuse: harm('2016/17', oliver, [1_240, 780, 1_020, 24_300, 4_260, 2_415]), // total 34,015
  sexual_offences: harm('2015/16', `${heeksSplit} (other sexual offences)`, [280, 350, 210, 4_700, 900, 80]), // total 6,520
  rape: harm('2015/16', heeksSplit, [1_300, 2_300, 1_100, 25_800, 8_500, 360]), // total 39,360
  homicide: harm('2015/16', heeksSplit, [22_000, 120_000, 900, 2_012_000, 1_050_000, 12_840]), // total 3,217,740
  // All of it to society: lost output and the wider costs of a death by suicide, as the seed prices the perpetrator's.
  suicide: harm('2009/10', 'default, illustrative (check): cost of one suicide, after McDaid and Kennelly (2009), 2009/10 prices', [0, 0, 0, 0, 0, 1_670_000]),
};

export const defaultPriceIndex: PriceIndex = {
  byYear: {
    '2009/10': 81.5,
    '2010/11': 82.8,
    '2011/12': 84.3,
    '2012/13': 85.7,
    '2013/14': 87.5,
    '2014/15': 88.7,
    '2015/16': 89.2,
    '2016/17': 91.1,
    '2017/18': 92.8,
    '2018/19': 94.7,
    '2019/20': 96.9,
    '2020/21': 102.0,
    '2021/22': 100.0,
    '2022/23': 105.1,
    '2023/24': 112.1,
    '2024/25': 115.4,
    '2025/26': 118.4,
    '2026/27': 121.0,
  },
  source: 'default, illustrative (check): after HM Treasury GDP deflators, 2021/22 = 100; replace with the current series',
};

export const defaultReportingYear = '2026/27';

/** The factor a figure priced in `priceYear` is multiplied by to be in the reporting year's prices. */
export function upliftFactor(index: PriceIndex, priceYear: string, reportingYear: string): number {
  const from = index.byYear[priceYear];
  const to = index.byYear[reportingYear];
  if (from === undefined || to === undefined) throw new Error(`no price index for ${from === undefined ? priceYear : reportingYear}`);
  return to / from;
}

/** Refuses at start a table whose price years the index lacks: such a figure could not be uplifted. */
export function checkPriceYears(harmCosts: Readonly<Record<HarmKind, HarmCost>>, index: PriceIndex, reportingYear: string): void {
  const errors: { path: string; message: string }[] = [];
  if (index.byYear[reportingYear] === undefined) errors.push({ path: 'HRU_UNIT_COSTS/reportingYear', message: `the price index has no ${reportingYear}` });
  for (const kind of harmKinds) {
    for (const [perspective, components] of Object.entries(harmCosts[kind])) {
      for (const [component, figure] of Object.entries(components as Record<string, PricedFigure>)) {
        if (index.byYear[figure.priceYear] === undefined) {
          errors.push({ path: `HRU_UNIT_COSTS/harmCosts/${kind}/${perspective}/${component}`, message: `the price index has no ${figure.priceYear}` });
        }
      }
    }
  }
  if (errors.length > 0) throw new ConfigurationError(`Invalid configuration: ${errors.map((e) => `${e.path}: ${e.message}`).join('; ')}`, errors);
}
