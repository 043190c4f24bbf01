/**
 * The V8 young generation the engine is meant to run with. A large reply is built in memory before it is sent (the
 * research extract's page of 1,000 cases: 1.4 MB of JSON from about 3,000 rows), and with V8's default semi-spaces
 * (16 MB) every scavenge during the build copies the half-built page and soon promotes it to the old generation:
 * about half of the page's read went to the garbage collector (in process on a 15,000-referral log, two alternated
 * runs at load 5: 42 and 53 ms by default, 23 and 24 ms with 32 MB semi-spaces, 24 and 28 ms with 64 MB). The young
 * generation is part of the resident memory (two semi-spaces: up to 32 MB more than the default). The flag is read when
 * the heap is set up, so it can only be given on the command line (`npm start`, `npm run hru`, `npm run bench` and the
 * launcher's shebang give it) or in NODE_OPTIONS; an engine started without it runs correctly and says so at start-up.
 */
import type { Logger } from '@hru/infra';

export const YOUNG_GENERATION_FLAG = '--max-semi-space-size=32';

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
