/** Messages between a bench and its client process (client-process.ts). */

export interface LoadArgs {
  url: string;
  headers: Record<string, string>;
  /** Concurrent keep-alive connections, each with one request in flight. */
  connections: number;
  /** Unmeasured run first, so both sides are past JIT warm-up and connections are open. */
  warmupMs: number;
  durationMs: number;
  maxRequests: number;
  /** Keeps the crimes of each run distinct from every other run's. */
  runId: string;
  /** `mixed` (default): one intake in five urgent; `urgent`: every one (issue 19's second mix). */
  bodies?: 'mixed' | 'urgent';
}

export interface LoadResult {
  latencies: number[];
  statuses: Record<string, number>;
  seconds: number;
  requests: number;
  /** CPU time of the client over wall time: near 1.0 means the client, not the server, was the limit. */
  clientCpuShare: number;
  firstError?: string;
}

export interface AlertRunArgs {
  url: string;
  headers: Record<string, string>;
  runId: string;
  backgroundPerSecond: number;
  /** Background load alone before the first probe. */
  settleMs: number;
  warmupProbes: number;
  probes: number;
  probeIntervalMs: number;
  drainTimeoutMs: number;
}

export interface AlertRunResult {
  /** Per urgent probe: webhook arrival minus the moment its intake reply was complete. */
  alertMs: number[];
  intakeMs: number[];
  /** The same moments as wall-clock epoch milliseconds, to line up with the engine's own timestamps. */
  probes: { referralId: string; repliedAtEpoch: number; arrivedAtEpoch: number | undefined }[];
  missing: number;
  webhooksReceived: number;
  background: { sent: number; skipped: number; perSecond: number; statuses: Record<string, number>; latencies: number[] };
}

export type ClientRequest =
  | { id: number; op: 'receiver' }
  | { id: number; op: 'load'; args: LoadArgs }
  | { id: number; op: 'alerts'; args: AlertRunArgs };

export type ClientReply = { id: number; ok: true; result: unknown } | { id: number; ok: false; error: string };

/** Sent unasked while a load runs, so the parent can sample its own CPU over exactly the measured window. */
export interface ClientMark {
  mark: 'measuring' | 'measured';
}
