/**
 * Fuzzing of the intake body through the real HTTP stack (inject): (a) arbitrary JSON values, (b) mutations
 * of a valid body. Whatever arrives: never a 5xx; every refusal is problem+json, with field-level `errors`
 * when it is a validation error; and never a half-written referral: a refusal leaves the stream the body's
 * (system, crimeReference) maps to exactly as it was (absent for a new crime), an acceptance leaves a stream
 * that starts with ReferralReceived.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { referralIdFor } from '@hru/workflows';
import { apiKey, createTestApp, type TestApp } from '../support/test-app.js';
import { intakeBody } from '../support/intake-body.js';

let t: TestApp;

beforeAll(async () => {
  t = await createTestApp({ app: { rateLimitPerMinute: 1_000_000 } });
});
afterAll(async () => t.close());

type Path = readonly (string | number)[];

let crimeCounter = 0;

/** A valid body; its crime is new at every call, so every execution (shrinks included) starts from a fresh referral. */
function validBody() {
  return intakeBody({
    offences: [
      { code: '8/65', description: 'Stalking involving fear of violence', principal: true },
      { code: '8/31', description: 'Malicious communications', principal: false },
    ],
    indicators: ['escalating'],
  }, `FZ/${process.pid}/${++crimeCounter}`);
}

const leafPaths: Path[] = [
  ['source', 'system'], ['source', 'crimeReference'], ['source', 'recordedAt'],
  ['offences', 0, 'code'], ['offences', 0, 'description'], ['offences', 0, 'principal'], ['offences', 1, 'principal'],
  ['problemBehaviour'], ['summary'],
  ['victim', 'ref'], ['victim', 'name'], ['victim', 'dateOfBirth'], ['suspect', 'ref'], ['suspect', 'name'],
  ['risk', 'dashYesCount'], ['risk', 'sdashAnswers', 0], ['indicators', 0],
];
const objectPaths: Path[] = [[], ['source'], ['offences', 0], ['victim'], ['suspect'], ['risk']];
const containerPaths: Path[] = [...objectPaths.slice(1), ['offences'], ['risk', 'sdashAnswers'], ['indicators']];
const allPaths: Path[] = [...leafPaths, ...containerPaths];

/** String fields and their documented maximum length. */
const stringLimits: [Path, number][] = [
  [['source', 'crimeReference'], 64], [['source', 'system'], 40], [['offences', 0, 'code'], 16], [['offences', 0, 'description'], 200],
  [['summary'], 20_000], [['victim', 'ref'], 100], [['victim', 'name'], 200], [['suspect', 'ref'], 100], [['suspect', 'name'], 200],
];

type Mutation =
  | { kind: 'drop'; path: Path }
  | { kind: 'set'; path: Path; value: unknown }
  /** Replaces a value with raw JSON text that JSON.stringify cannot produce (1e400, deep nesting). */
  | { kind: 'raw'; path: Path; text: string }
  | { kind: 'add'; path: Path; key: string; value: unknown };

const pathArb = fc.constantFrom(...allPaths);
const anyValue = fc.oneof(
  fc.constant(null), fc.boolean(), fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true }), fc.string(),
  fc.array(fc.jsonValue({ maxDepth: 2 }), { maxLength: 3 }), fc.dictionary(fc.string(), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 3 }),
);
const nastyStrings = fc.constantFrom(
  '', ' ', '   ', '\u0000', 'a\u0000b', '\ud800', '\udfff', 'x\ud83d', '\u202eevil', '\ufeff', '👩‍👩‍👧‍👦', 'Zoë Ünïcödé', 'ǅ', '𝕏'.repeat(100),
  '\n\r\t', '%s%n', "'; DROP TABLE events; --", '../../etc/passwd', '{"a":1}', 'null', '2026-02-30', '1990-13-01', '2026-11-20T25:00:00Z',
  '2026-11-20T10:00:00', '2026-11-20T10:00:00+25:00', 'CC/26/000123', '__proto__',
);
const unicodeString = fc.oneof(fc.string({ unit: 'binary', maxLength: 50 }), fc.string({ unit: 'grapheme', maxLength: 50 }), nastyStrings);
const boundaryNumbers = fc.constantFrom(-1, 0, 1, 13, 14, 27, 28, 0.5, -0.0001, 1e21, 2 ** 53, -(2 ** 53), Number.MAX_VALUE, Number.MIN_VALUE);
const rawNumbers = fc.constantFrom('1e400', '-1e400', '27.0', '14.00000000000000001', '-0', '1E1', '0.0e0');
const deepNesting = fc.constantFrom(100, 1_000, 10_000, 100_000).map((depth) => '['.repeat(depth) + ']'.repeat(depth));

const fieldMutationArb: fc.Arbitrary<Mutation> = fc.oneof(
  pathArb.map((path): Mutation => ({ kind: 'drop', path })),
  fc.record({ kind: fc.constant('set' as const), path: pathArb, value: anyValue }),
  fc
    .tuple(fc.constantFrom(...stringLimits), fc.constantFrom(-1, 0, 1, 1_000))
    .map(([[path, max], over]): Mutation => ({ kind: 'set', path, value: 'A'.repeat(Math.max(1, max + over)) })),
  fc
    .tuple(fc.constantFrom<[Path, unknown, number]>(
      [['offences'], { code: '8/65', description: 'Stalking', principal: false }, 20],
      [['indicators'], 'escalating', 20],
      [['risk', 'sdashAnswers'], true, 11],
    ), fc.constantFrom(-1, 0, 1, 30))
    .map(([[path, item, max], over]): Mutation => {
      const items = Array.from({ length: Math.max(0, max + over) }, () => structuredClone(item));
      // Offences need exactly one principal: keep the first principal so the length is what is tested.
      if (path[0] === 'offences' && items.length > 0) (items[0] as { principal: boolean }).principal = true;
      return { kind: 'set', path, value: items };
    }),
  fc.record({ kind: fc.constant('set' as const), path: pathArb, value: unicodeString }),
  fc.record({ kind: fc.constant('set' as const), path: fc.constantFrom<Path>(['risk', 'dashYesCount'], ['risk', 'sdashAnswers', 0], ['offences', 0, 'principal']), value: boundaryNumbers }),
  fc.record({ kind: fc.constant('raw' as const), path: fc.constantFrom<Path>(['risk', 'dashYesCount'], ['summary'], ['offences', 0, 'code']), text: rawNumbers }),
  fc.record({ kind: fc.constant('raw' as const), path: fc.constantFrom<Path>(['summary'], ['offences'], ['indicators'], ['victim']), text: deepNesting }),
  fc.record({
    kind: fc.constant('add' as const),
    path: fc.constantFrom(...objectPaths),
    key: fc.oneof(fc.string({ maxLength: 20 }), fc.constantFrom('__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', 'summary ', 'Summary')),
    value: fc.jsonValue({ maxDepth: 2 }),
  }),
);

const mutationArb: fc.Arbitrary<Mutation> = fc.oneof(
  { arbitrary: fieldMutationArb, weight: 40 },
  // Past the body limit (256 KiB): refused before parsing, with 413. Rare, so it does not mask the rest.
  { arbitrary: fc.constant<Mutation>({ kind: 'set', path: ['summary'], value: 'A'.repeat(300_000) }), weight: 1 },
);

/** Applies mutations to a fresh valid body and serialises it; a mutation whose parent is gone does nothing. */
function mutatedBody(mutations: readonly Mutation[]): string {
  const body: unknown = validBody();
  const raws = new Map<string, string>();
  for (const [i, m] of mutations.entries()) {
    const target = m.kind === 'add' ? m.path : m.path.slice(0, -1);
    let parent: unknown = body;
    for (const key of target) parent = parent !== null && typeof parent === 'object' ? (parent as Record<string | number, unknown>)[key] : undefined;
    if (parent === null || typeof parent !== 'object') continue;
    const record = parent as Record<string | number, unknown>;
    const key = m.kind === 'add' ? m.key : m.path[m.path.length - 1]!;
    if (m.kind === 'drop') {
      if (Array.isArray(record) && typeof key === 'number') record.splice(key, 1);
      else delete record[key];
      continue;
    }
    const value: unknown = m.kind === 'raw' ? `__raw_${i}__` : m.value;
    if (m.kind === 'raw') raws.set(`"__raw_${i}__"`, m.text);
    // defineProperty, not assignment: a key such as __proto__ must become an own field of the JSON, as a
    // client would send it, rather than change the prototype of the object being built.
    Object.defineProperty(record, key, { value, enumerable: true, writable: true, configurable: true });
  }
  let text = JSON.stringify(body);
  for (const [placeholder, raw] of raws) text = text.replace(placeholder, raw);
  return text;
}

/** The referral a body would map to, read the way the server parses it; undefined when it names none. */
function referralIdOf(text: string): string | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return undefined;
  }
  const source = parsed !== null && typeof parsed === 'object' ? (parsed as { source?: unknown }).source : undefined;
  if (source === null || typeof source !== 'object') return undefined;
  const { system, crimeReference } = source as { system?: unknown; crimeReference?: unknown };
  return typeof system === 'string' && typeof crimeReference === 'string' ? referralIdFor(system, crimeReference) : undefined;
}

/** How many runs reached each side of the property (checked at the end of (b)). */
const seen = { accepted: 0, refused: 0, validation: 0 };

async function sendAndCheck(text: string): Promise<void> {
  const referralId = referralIdOf(text);
  const before = referralId ? (await t.store.readStream(referralId)).length : 0;
  const res = await t.app.inject({
    method: 'POST',
    url: '/v1/referrals',
    headers: { ...apiKey(), 'content-type': 'application/json' },
    payload: text,
  });
  expect(res.statusCode, res.body.slice(0, 500)).toBeLessThan(500);
  const after = referralId ? await t.store.readStream(referralId) : [];
  if (res.statusCode >= 400) {
    seen.refused++;
    expect(String(res.headers['content-type'])).toContain('application/problem+json');
    const problem = res.json() as Record<string, unknown>;
    expect(problem).toMatchObject({ status: res.statusCode, type: expect.any(String), title: expect.any(String), detail: expect.any(String), code: expect.any(String) });
    if (problem.code === 'validation_failed') {
      seen.validation++;
      expect(problem.errors, JSON.stringify(problem)).toEqual(expect.any(Array));
      const errors = problem.errors as { path: unknown; message: unknown }[];
      expect(errors.length).toBeGreaterThan(0);
      for (const e of errors) expect(e).toMatchObject({ path: expect.stringMatching(/^\//), message: expect.any(String) });
    }
    // Nothing of a refused intake reaches the log.
    expect(after.length).toBe(before);
  } else {
    seen.accepted++;
    expect([200, 201]).toContain(res.statusCode);
    expect(referralId).toBeDefined();
    expect(res.json()).toMatchObject({ referralId });
    expect(after[0]?.type).toBe('ReferralReceived');
    if (res.statusCode === 201) expect(before).toBe(0);
  }
}

/**
 * The properties' size is a count of runs, so the test's timeout is only a guard against a hang, not a time
 * budget: the runs cost from under a millisecond to a few hundred (a 100,000-deep body), 8-20 s for (b)'s
 * 1,500 on an idle 2-core machine depending on what the seed draws, and two to three times that while
 * other processes want the cores. Under the suite's 30 s default, a busy machine failed a sound run.
 */
const RUNS_GUARD_MS = 300_000;

describe('intake fuzzing', () => {
  it('(a) arbitrary JSON values as the body: never a 5xx, problem+json refusals, nothing written', { timeout: RUNS_GUARD_MS }, async () => {
    const keys = ['source', 'offences', 'problemBehaviour', 'summary', 'victim', 'suspect', 'risk', 'indicators'] as const;
    const shaped = fc.record(Object.fromEntries(keys.map((k) => [k, fc.jsonValue({ maxDepth: 3 })])), { requiredKeys: [] });
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.jsonValue(), shaped), async (value) => sendAndCheck(JSON.stringify(value) ?? 'null')),
      { numRuns: 500 },
    );
  });

  it('(b) mutations of a valid body: never a 5xx, problem+json with errors, never a half-written referral', { timeout: RUNS_GUARD_MS }, async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(mutationArb, { minLength: 1, maxLength: 3 }), async (mutations) => sendAndCheck(mutatedBody(mutations))),
      { numRuns: 1_500 },
    );
    // The fuzz must reach both sides of the property, or it proves nothing about either.
    expect(seen.accepted).toBeGreaterThan(20);
    expect(seen.validation).toBeGreaterThan(100);
  });

  it('accepts the unmutated body, so the mutations start from something valid', async () => {
    await sendAndCheck(mutatedBody([]));
    const res = await t.app.inject({ method: 'POST', url: '/v1/referrals', headers: { ...apiKey(), 'content-type': 'application/json' }, payload: mutatedBody([]) });
    expect(res.statusCode).toBe(201);
  });
});
