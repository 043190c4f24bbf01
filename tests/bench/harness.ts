/** The shape every benchmark scenario returns, and small measuring helpers shared by them. */

export interface BenchResult {
  scenario: string;
  /** Unit of `ours` and `floor`, e.g. `events/s`, `ms p99`. */
  unit: string;
  ours: number;
  /** The same work done by the bare underlying tool (raw SQLite, bare Fastify, raw BullMQ). */
  floor?: number;
  floorLabel?: string;
  /** Throughputs: higher is better; latencies: lower is better. Decides how the ratio is read. */
  higherIsBetter: boolean;
  /** The target from the issue, in words, e.g. `>= 50% of floor` or `p99 <= 5 ms`. */
  target?: string;
  /** Whether the target was met, judged by the scenario itself. */
  met?: boolean;
  extra?: Record<string, number | string>;
}

export interface BenchScenario {
  name: string;
  run(): Promise<BenchResult[]>;
}

/** ours/floor for throughputs, floor/ours for latencies: 1.0 = as fast as the floor. */
export function ratio(result: BenchResult): number | undefined {
  if (result.floor === undefined || result.floor === 0 || result.ours === 0) return undefined;
  return result.higherIsBetter ? result.ours / result.floor : result.floor / result.ours;
}

export function percentile(samples: readonly number[], p: number): number {
  if (samples.length === 0) return NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index]!;
}

export function nowMs(): number {
  return Number(process.hrtime.bigint()) / 1e6;
}

export function round(value: number, digits = 2): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}
