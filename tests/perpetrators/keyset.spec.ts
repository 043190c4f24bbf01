/**
 * The ranking's keyset pages, over scores with many ties (people often score alike): walking every page, of any
 * size, with or without a behaviour filter, gives each person once, in the order of the whole list.
 */
import Database from 'better-sqlite3';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodePerpetratorCursor, encodePerpetratorCursor, listPerpetrators, perpetratorSchema, type PerpetratorCursor } from '@hru/projections';
import { pty } from './support.js';

const behaviours = ['stalking', 'serial_domestic_abuse', 'sexual_violence', 'querulance'] as const;

describe('perpetrators keyset pages', () => {
  it('walk the whole ranking once, in order, whatever the page size, ties and filter', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ score: fc.integer({ min: 0, max: 6 }).map((n) => n / 2), behaviour: fc.constantFrom(...behaviours) }), { maxLength: 80 }),
        fc.integer({ min: 1, max: 9 }),
        fc.option(fc.constantFrom(...behaviours), { nil: undefined }),
        (people, limit, behaviour) => {
          const db = new Database(':memory:');
          db.exec(perpetratorSchema);
          const insert = db.prepare("INSERT INTO perpetrators_scores VALUES (?, ?, ?, 0, 0, 0, 0, 0, 0, 1, NULL, ?, ',', NULL)");
          people.forEach((p, i) => insert.run(pty(i + 1), pty(i + 1), p.score, `,${p.behaviour},`));
          const expected = people
            .map((p, i) => ({ ...p, partyId: pty(i + 1) }))
            .filter((p) => behaviour === undefined || p.behaviour === behaviour)
            .sort((a, b) => b.score - a.score || (a.partyId < b.partyId ? -1 : 1))
            .map((p) => p.partyId);
          const walked: string[] = [];
          let after: PerpetratorCursor | undefined;
          for (let pages = 0; pages <= people.length + 1; pages++) {
            const page = listPerpetrators(db, { limit, ...(behaviour ? { behaviour } : {}), ...(after ? { after } : {}) });
            walked.push(...page.rows.map((r) => r.partyId));
            if (!page.more) break;
            // Through the cursor's text form, as a client sends it back.
            after = decodePerpetratorCursor(encodePerpetratorCursor(page.rows.at(-1)!));
          }
          db.close();
          expect(walked).toEqual(expected);
        },
      ),
    );
  });
});
