/** Parent side of the bench client process: start it, ask it to run things, stop it. */
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { AlertRunArgs, AlertRunResult, ClientMark, ClientReply, LoadArgs, LoadResult } from './client-protocol.js';

export interface BenchClient {
  /** Starts the client's webhook receiver (once) and returns its URL. */
  receiver(): Promise<string>;
  /** Runs a load; `serverCpuUs` is this (the server's) process's CPU time over the measured window only. */
  load(args: LoadArgs): Promise<LoadResult & { serverCpuUs: number }>;
  alerts(args: AlertRunArgs): Promise<AlertRunResult>;
  stop(): Promise<void>;
}

export async function startBenchClient(): Promise<BenchClient> {
  // fork() reuses this process's execArgv (--import tsx), so the child runs the TypeScript source directly.
  const child: ChildProcess = fork(fileURLToPath(new URL('./client-process.ts', import.meta.url)), [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const waiting = new Map<number, { resolve(v: unknown): void; reject(e: Error): void }>();
  let nextId = 1;
  let ready!: () => void;
  const isReady = new Promise<void>((resolve) => (ready = resolve));
  // CPU of this process (every thread) between the client's marks: what the server spent on the measured requests.
  let cpuAtStart: NodeJS.CpuUsage | undefined;
  let serverCpuUs = 0;
  child.on('message', (reply: ClientReply | ClientMark) => {
    if ('mark' in reply) {
      if (reply.mark === 'measuring') cpuAtStart = process.cpuUsage();
      else if (cpuAtStart) serverCpuUs = ((used) => used.user + used.system)(process.cpuUsage(cpuAtStart));
      return;
    }
    if (reply.id === 0) return ready();
    const w = waiting.get(reply.id);
    waiting.delete(reply.id);
    if (reply.ok) w?.resolve(reply.result);
    else w?.reject(new Error(`bench client: ${reply.error}`));
  });
  child.on('exit', (code) => {
    for (const w of waiting.values()) w.reject(new Error(`bench client exited (${code})`));
    waiting.clear();
  });
  await isReady;
  const ask = <T>(op: string, args?: unknown): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      const id = nextId++;
      waiting.set(id, { resolve: resolve as (v: unknown) => void, reject });
      child.send({ id, op, args });
    });
  let receiverUrl: Promise<string> | undefined;
  return {
    receiver: () => (receiverUrl ??= ask<string>('receiver')),
    load: async (args) => {
      serverCpuUs = 0;
      const result = await ask<LoadResult>('load', args);
      return { ...result, serverCpuUs };
    },
    alerts: (args) => ask<AlertRunResult>('alerts', args),
    async stop() {
      if (child.exitCode !== null) return;
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.disconnect();
      await exited;
    },
  };
}
