/**
 * A raw read takes the metadata's three fields out of the stored text by where canonical JSON puts them, and
 * parses the text whole when it has any other shape: either way the fields must be the ones JSON.parse gives,
 * however the values are spelled (keys in a person's name, escapes, extra or nested keys, other key orders).
 */
import { describe, expect, it } from 'vitest';
import { canonicalJson } from '../../infra/src/audit/integrity/canonical-json.js';
import { rawMetadataOf } from '../../infra/src/eventstore/sqlite/raw-metadata.js';

function parsed(text: string) {
  const m = JSON.parse(text) as { occurredAt: string; schemaVersion: number; actor: { sub?: string; system?: string } };
  return { occurredAt: m.occurredAt, schemaVersion: m.schemaVersion, actorId: m.actor.sub ?? m.actor.system };
}

const person = { kind: 'person', sub: 'u-1', name: 'Test Officer', roles: ['officer'], agency: 'police' };
const base = {
  eventId: '8a4d8735-980d-4c63-a850-e4c7753a652e',
  occurredAt: '2024-01-02T10:00:00Z',
  actor: person,
  correlationId: 'c-1',
  causationId: null,
  schemaVersion: 3,
};

const cases: [string, unknown][] = [
  ['a person', base],
  ['a system', { ...base, actor: { kind: 'system', system: 'intake-rules' } }],
  ['with a machine version', { ...base, machineVersion: '2.1.0', schemaVersion: 12 }],
  ['a name spelling the keys', { ...base, actor: { ...person, name: 'Ann ,"sub":"x","occurredAt":"1999" \\' } }],
  ['a correlation id spelling the tail', { ...base, correlationId: ',"occurredAt":"1999-01-01","schemaVersion":7}' }],
  ['a sub with escapes', { ...base, actor: { ...person, sub: 'u"1\\' } }],
  ['a system name with escapes', { ...base, actor: { kind: 'system', system: 'a\nb' } }],
  ['an offset time', { ...base, occurredAt: '2024-03-31T00:30:00+01:00' }],
  ['a key after the version', { ...base, zeta: 1 }],
  ['a nested object after the version spelling the tail', { ...base, zz: { occurredAt: '1999-01-01T00:00:00Z', schemaVersion: 9 } }],
  ['an actor with a key after sub', { ...base, actor: { ...person, team: 'north' } }],
];

describe('rawMetadataOf', () => {
  it.each(cases)('gives the parsed fields for canonical text: %s', (_, metadata) => {
    const text = canonicalJson(metadata);
    expect(rawMetadataOf(text)).toEqual(parsed(text));
  });

  it.each(cases)('gives the parsed fields for text in another form: %s', (_, metadata) => {
    const spaced = JSON.stringify(metadata, null, 1);
    expect(rawMetadataOf(spaced)).toEqual(parsed(spaced));
    const reversed = JSON.stringify(Object.fromEntries(Object.entries(metadata as object).reverse()));
    expect(rawMetadataOf(reversed)).toEqual(parsed(reversed));
  });

  it('finds the fields of the canonical text without parsing it', () => {
    const text = canonicalJson(base);
    const parse = JSON.parse;
    let parses = 0;
    JSON.parse = ((...args: Parameters<typeof JSON.parse>) => {
      parses++;
      return parse(...args);
    }) as typeof JSON.parse;
    try {
      expect(rawMetadataOf(text)).toEqual({ occurredAt: '2024-01-02T10:00:00Z', schemaVersion: 3, actorId: 'u-1' });
      expect(rawMetadataOf(canonicalJson({ ...base, actor: { kind: 'system', system: 'niche' } }))).toEqual({
        occurredAt: '2024-01-02T10:00:00Z',
        schemaVersion: 3,
        actorId: 'niche',
      });
    } finally {
      JSON.parse = parse;
    }
    expect(parses).toBe(0);
  });
});
