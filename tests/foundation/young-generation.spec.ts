/**
 * The engine's V8 young generation (services/cli/src/young-generation.ts): every way this repository starts the engine
 * gives the flag, and an engine started without it is told apart (it warns at start-up).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { YOUNG_GENERATION_FLAG, hasYoungGenerationFlag } from '../../services/cli/src/young-generation.js';

const repo = new URL('../../', import.meta.url);

describe('the young generation flag', () => {
  it('is given by npm start, npm run hru, npm run bench and the launcher’s shebang', () => {
    const scripts = (JSON.parse(readFileSync(new URL('package.json', repo), 'utf8')) as { scripts: Record<string, string> }).scripts;
    expect(scripts.start).toContain(`node ${YOUNG_GENERATION_FLAG} services/cli/bin/hru.js`);
    expect(scripts.hru).toContain(`node ${YOUNG_GENERATION_FLAG} services/cli/bin/hru.js`);
    expect(scripts.bench).toContain(`node ${YOUNG_GENERATION_FLAG} `);
    expect(readFileSync(new URL('services/cli/bin/hru.js', repo), 'utf8').split('\n')[0]).toBe(`#!/usr/bin/env -S node ${YOUNG_GENERATION_FLAG}`);
  });

  it('is found on the command line or in NODE_OPTIONS, and its absence is seen', () => {
    expect(hasYoungGenerationFlag(['--max-semi-space-size=64'], '')).toBe(true);
    expect(hasYoungGenerationFlag([], '--enable-source-maps --max-semi-space-size=32')).toBe(true);
    expect(hasYoungGenerationFlag(['--conditions=@hru/source'], '--max-old-space-size=4096')).toBe(false);
  });
});
