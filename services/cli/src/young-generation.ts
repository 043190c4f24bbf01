/**
 * The V8 young generation the engine is meant to run with. A large reply is built in memory before it is sent (the
 * research extract's page of 1,000 cases: 1.4 MB of JSON from about 3,000 rows), and with V8's default semi-spaces
 * (16 MB) every scavenge during the build copies the half-built page and soon promotes it to the old generation:
 * 20–30 ms of a 40 ms read went to the garbage collector. With 64 MB semi-spaces the page dies young (the read took
 * 14.5 ms instead of 37 in the same run). The flag is read when the heap is set up, so it can only be given on the
 * command line (`npm start`, `npm run hru`, `npm run bench` and the launcher's shebang give it) or in NODE_OPTIONS;
 * an engine started without it runs correctly and says so at start-up.
 */
import type { Logger } from '@hru/infra';

export const YOUNG_GENERATION_FLAG = '--max-semi-space-size=64';

export function hasYoungGenerationFlag(execArgv: readonly string[] = process.execArgv, nodeOptions = process.env.NODE_OPTIONS ?? ''): boolean {
  return [...execArgv, ...nodeOptions.split(/\s+/)].some((arg) => arg.startsWith('--max-semi-space-size'));
}

export function announceYoungGeneration(logger: Logger): void {
  if (hasYoungGenerationFlag()) return;
  logger.warn(
    `node was started without ${YOUNG_GENERATION_FLAG}: large replies (the research extract's pages) spend much of their time in the ` +
      `garbage collector. Start the engine with \`node ${YOUNG_GENERATION_FLAG} services/cli/bin/hru.js …\` or set it in NODE_OPTIONS.`,
  );
}
