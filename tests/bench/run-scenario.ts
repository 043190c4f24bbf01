/**
 * Runs one scenario file in a process of its own (started by run.ts) and sends its results to the parent: a
 * scenario never inherits another's heap, JIT state or open handles, and its ours and floor still share a run.
 */
import { pathToFileURL } from 'node:url';
import type { BenchResult, BenchScenario } from './harness.js';

const file = process.argv[2];
if (!file || !process.send) throw new Error('run-scenario.ts is started by run.ts with a scenario file');
const scenario = (await import(pathToFileURL(file).href)).default as BenchScenario;
process.stderr.write(`running ${scenario.name} …\n`);
const results: BenchResult[] = await scenario.run();
process.send(results, () => process.exit(0));
