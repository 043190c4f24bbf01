/**
 * The workspace modules a module loads at run time, followed across packages as the `@hru/source` condition resolves
 * them (type-only imports are erased; with verbatimModuleSyntax every other import stays): for the specs that keep a
 * worker thread's module graph light, since a thread loads its modules before it does any work.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

export const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/** Each workspace package's directory, by its name (`@hru/…`). */
const packageDirs = new Map(
  ['events', 'workflows', 'application', 'projections', 'infra', ...readdirSync(join(root, 'services')).map((name) => `services/${name}`)].map((dir) => [
    (JSON.parse(readFileSync(join(root, dir, 'package.json'), 'utf8')) as { name: string }).name,
    join(root, dir),
  ]),
);

/** The source file a workspace package's export resolves to under the `@hru/source` condition. */
function packageSource(specifier: string): string | undefined {
  const [scope, name, ...rest] = specifier.split('/');
  if (scope !== '@hru') return undefined;
  const dir = packageDirs.get(`${scope}/${name}`);
  if (!dir) throw new Error(`${specifier} is not a workspace package`);
  const exports = (JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { exports: Record<string, { '@hru/source'?: string }> }).exports;
  const entry = exports[rest.length === 0 ? '.' : `./${rest.join('/')}`]?.['@hru/source'];
  if (!entry) throw new Error(`${specifier} has no @hru/source export`);
  return join(dir, entry);
}

/** The module specifiers a source file loads at run time. */
function runtimeImports(file: string): string[] {
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.ES2022, false, ts.ScriptKind.TS);
  const specifiers: string[] = [];
  for (const statement of source.statements) {
    if (ts.isImportDeclaration(statement) && !statement.importClause?.isTypeOnly) {
      specifiers.push((statement.moduleSpecifier as ts.StringLiteral).text);
    } else if (ts.isExportDeclaration(statement) && !statement.isTypeOnly && statement.moduleSpecifier) {
      specifiers.push((statement.moduleSpecifier as ts.StringLiteral).text);
    }
  }
  return specifiers;
}

/** Every workspace source file loaded from `entry`, following relative and `@hru/*` imports. */
export function moduleGraph(entry: string): Set<string> {
  const seen = new Set<string>();
  const pending = [entry];
  while (pending.length > 0) {
    const file = pending.pop()!;
    if (seen.has(file)) continue;
    seen.add(file);
    for (const specifier of runtimeImports(file)) {
      let next: string | undefined;
      if (specifier.startsWith('.')) {
        next = resolve(dirname(file), specifier.replace(/\.js$/, '.ts'));
        if (!existsSync(next)) throw new Error(`${file} imports ${specifier}, not found as ${next}`);
      } else {
        next = packageSource(specifier);
      }
      if (next) pending.push(next);
    }
  }
  return seen;
}

export const relative = (files: Iterable<string>) => [...files].map((file) => file.slice(root.length + 1)).sort();
