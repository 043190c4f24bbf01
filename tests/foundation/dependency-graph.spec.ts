/**
 * The house stays as drawn: dependencies point one way. Reads every import of every package's sources (static,
 * re-export and dynamic) and fails when a pure package reaches for I/O or a package reaches for a service.
 *
 *   events ← workflows ← application ← infra ← projections ← services (api, worker, projector, console) ← cli
 *
 * Only the CLI, which is the composition root, may import other services.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..', '..');

const packages: Record<string, string> = {
  '@hru/events': 'events/src',
  '@hru/workflows': 'workflows/src',
  '@hru/application': 'application/src',
  '@hru/infra': 'infra/src',
  '@hru/projections': 'projections/src',
  '@hru/api': 'services/api/src',
  '@hru/worker': 'services/worker/src',
  '@hru/projector': 'services/projector/src',
  '@hru/console': 'services/console/src',
  '@hru/cli': 'services/cli/src',
};
const services = new Set(['@hru/api', '@hru/worker', '@hru/projector', '@hru/console', '@hru/cli']);

/** What each package may import besides external libraries; `pure` packages may import no other module at all. */
const allowed: Record<string, { hru: string[]; pure?: { external: string[] } }> = {
  '@hru/events': { hru: [], pure: { external: ['zod', 'node:crypto'] } },
  // node:crypto for hashing ids (createHash is a pure function); its randomness is refused below.
  // luxon (zone arithmetic) and date-holidays (bank holiday rules) compute from bundled data: no I/O, no clock.
  '@hru/workflows': { hru: ['@hru/events'], pure: { external: ['xstate', 'zod', 'node:crypto', 'luxon', 'date-holidays'] } },
  '@hru/application': { hru: ['@hru/events', '@hru/workflows'], pure: { external: ['zod', 'node:crypto'] } },
  '@hru/infra': { hru: ['@hru/events', '@hru/application'] },
  '@hru/projections': { hru: ['@hru/events', '@hru/workflows', '@hru/application', '@hru/infra'] },
  '@hru/api': { hru: ['@hru/events', '@hru/workflows', '@hru/application', '@hru/infra', '@hru/projections'] },
  '@hru/worker': { hru: ['@hru/events', '@hru/application', '@hru/infra'] },
  '@hru/projector': { hru: ['@hru/events', '@hru/application', '@hru/infra', '@hru/projections'] },
  '@hru/console': { hru: [] },
  '@hru/cli': { hru: Object.keys(packages).filter((p) => p !== '@hru/cli') },
};

function sourcesOf(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.ts') && !f.endsWith('.spec.ts'))
    .map((f) => join(dir, f));
}

const IMPORT = /(?:^|\n)\s*(?:import|export)\s[^;]*?\sfrom\s+'([^']+)'|import\(\s*'([^']+)'\s*\)|(?:^|\n)\s*import\s+'([^']+)'/g;

export function importsOf(source: string): string[] {
  return [...source.matchAll(IMPORT)].map((m) => (m[1] ?? m[2] ?? m[3])!);
}

/** The package a relative import lands in, or undefined when it stays inside `dir`. */
function packageOfRelative(file: string, specifier: string): string | undefined {
  const target = relative(ROOT, join(ROOT, file, '..', specifier));
  return Object.entries(packages).find(([, dir]) => target.startsWith(dir + '/') || target === dir)?.[0] ?? `outside the packages: ${target}`;
}

function violations(): string[] {
  const found: string[] = [];
  for (const [name, dir] of Object.entries(packages)) {
    const rule = allowed[name]!;
    for (const file of sourcesOf(dir)) {
      for (const specifier of importsOf(readFileSync(join(ROOT, file), 'utf8'))) {
        if (specifier.startsWith('.')) {
          const target = packageOfRelative(file, specifier);
          if (target !== name) found.push(`${file} reaches into ${target} by a relative path (${specifier})`);
          continue;
        }
        const hru = specifier.match(/^@hru\/[a-z-]+/)?.[0];
        if (hru) {
          if (hru !== name && !rule.hru.includes(hru)) {
            found.push(`${file} imports ${hru}${services.has(hru) ? ' (a service)' : ''}: ${name} may import only ${rule.hru.join(', ') || 'no other package'}`);
          }
          continue;
        }
        if (rule.pure && !rule.pure.external.includes(specifier)) {
          found.push(`${file} imports ${specifier}: ${name} is pure and may import only ${rule.pure.external.join(', ')}`);
        }
      }
    }
  }
  return found;
}

describe('the dependency graph', () => {
  it('points one way: pure packages import no I/O, and no package but the CLI imports a service', () => {
    expect(violations()).toEqual([]);
  });

  it('keeps the deciders free of clocks and randomness (time arrives with the command)', () => {
    const impure = /\b(randomUUID|randomBytes|Math\.random|Date\.now|performance\.now|new Date\(\s*\))/;
    const found = sourcesOf(packages['@hru/workflows']!).filter((f) => impure.test(readFileSync(join(ROOT, f), 'utf8')));
    expect(found).toEqual([]);
  });

  it('declares in each package.json exactly the @hru packages its sources import', () => {
    for (const [name, dir] of Object.entries(packages)) {
      const manifest = JSON.parse(readFileSync(join(ROOT, dir, '..', 'package.json'), 'utf8')) as { dependencies?: Record<string, string> };
      const declared = Object.keys(manifest.dependencies ?? {}).filter((d) => d.startsWith('@hru/')).sort();
      const used = [
        ...new Set(sourcesOf(dir).flatMap((f) => importsOf(readFileSync(join(ROOT, f), 'utf8'))).map((s) => s.match(/^@hru\/[a-z-]+/)?.[0]).filter((s): s is string => !!s && s !== name)),
      ].sort();
      expect({ name, declared }).toEqual({ name, declared: used });
    }
  });

  it('sees every kind of import it checks (so the check above can fail)', () => {
    const sample = [
      "import { a } from '@hru/api';",
      "import type { B } from '../x.js';",
      "export * from './y.js';",
      "const k = await import('@hru/worker');",
      "import 'node:fs';",
      'import {\n  c,\n  d,\n} from \'@hru/projector\';',
    ].join('\n');
    expect(importsOf(sample)).toEqual(['@hru/api', '../x.js', './y.js', 'node:fs', '@hru/projector', '@hru/worker'].sort((a, b) => sample.indexOf(a) - sample.indexOf(b)));
  });
});
