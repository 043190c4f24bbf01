/** The README's data dictionary of the research extract is the one the extract ships (workflows/src/research/columns.ts). */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { researchDictionary, type DictionaryEntry } from '@hru/workflows';

const readme = readFileSync(join(import.meta.dirname, '..', '..', 'README.md'), 'utf8');

/** The rows of the README's dictionary tables, from the section's start to the next section (### or ##). */
function readmeRows(): string[] {
  const start = readme.indexOf('### Research extract');
  const next = readme.slice(start + 1).search(/\n#{2,3} /);
  const section = readme.slice(start, next < 0 ? undefined : start + 1 + next);
  return section.split('\n').filter((line) => line.startsWith('| `'));
}

const rowOf = (e: DictionaryEntry) => `| \`${e.column}\` | ${e.meaning} | ${e.values} | ${e.safe} |`;

describe('the research extract data dictionary', () => {
  it('is in the README exactly as the extract carries it, every column once', () => {
    const { cases, interventions } = researchDictionary();
    expect(readmeRows()).toEqual([...cases, ...interventions].map(rowOf));
  });

  it('gives each column a meaning, its values and why it is safe, without a table-breaking bar', () => {
    for (const entry of [...researchDictionary().cases, ...researchDictionary().interventions]) {
      for (const text of [entry.meaning, entry.values, entry.safe]) {
        expect(text.length, entry.column).toBeGreaterThan(2);
        expect(text, entry.column).not.toContain('|');
      }
    }
  });
});
