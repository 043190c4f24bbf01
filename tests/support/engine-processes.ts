/**
 * The engine split into separate `hru` processes on one data dir and one Redis, as an operator runs it on one
 * machine: `hru api` on two ports (each with its own read-model file), `hru worker`, `hru projector`. Each part can
 * be killed with SIGKILL and started again with the same environment.
 */
import type { ChildProcess } from 'node:child_process';
import { spawnHru, untilHealthy } from './spawn-hru.js';
import { finished } from './spawn-ts.js';

export type Exit = Awaited<ReturnType<typeof finished>>;

export interface EngineProcess {
  readonly name: string;
  /** The API's base URL; undefined for the worker and the projector, which do not listen. */
  readonly base: string | undefined;
  child: ChildProcess;
  exited: Promise<Exit>;
  /** Everything it printed to stdout since its last start (its JSON log lines). */
  output(): string;
  /** Resolves once the process is serving: `/readyz` answers 200 (API), or it logged that it started. */
  ready(): Promise<void>;
  kill9(): Promise<Exit>;
  /** Starts it again with the same command and environment. */
  restart(): Promise<void>;
  stop(): Promise<Exit>;
}

export function engineProcess(name: string, command: 'api' | 'worker' | 'projector', env: Record<string, string>): EngineProcess {
  const base = command === 'api' ? `http://127.0.0.1:${env.PORT}` : undefined;
  let out = '';
  const spawnIt = () => {
    out = '';
    const child = spawnHru([command], env);
    child.stdout!.on('data', (chunk: Buffer) => (out += chunk.toString()));
    return { child, exited: finished(child) };
  };
  const part: EngineProcess = {
    name,
    base,
    ...spawnIt(),
    output: () => out,
    async ready() {
      if (base) return untilHealthy(base, part.exited, '/readyz');
      let gone: Exit | undefined;
      void part.exited.then((result) => (gone = result));
      // Never on a clock: a loaded machine starts slowly, and the test's timeout is the bound.
      while (!out.includes('"msg":"hru engine started"')) {
        if (gone) throw new Error(`${name} exited with ${gone.code ?? gone.signal} before it started: ${gone.stderr}`);
        await new Promise((r) => setTimeout(r, 50));
      }
    },
    async kill9() {
      part.child.kill('SIGKILL');
      return part.exited;
    },
    async restart() {
      Object.assign(part, spawnIt());
      await part.ready();
    },
    async stop() {
      if (part.child.exitCode === null && part.child.signalCode === null) part.child.kill('SIGTERM');
      return part.exited;
    },
  };
  return part;
}
