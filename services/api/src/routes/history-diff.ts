/** What changed between two states of a referral: one entry per JSON pointer whose value differs. */

export interface Change {
  path: string;
  before: unknown;
  after: unknown;
}

export function diffStates(before: unknown, after: unknown, path = ''): Change[] {
  if (Object.is(before, after)) return [];
  if (isContainer(before) && isContainer(after) && Array.isArray(before) === Array.isArray(after)) {
    const keys = new Set([...Object.keys(before), ...Object.keys(after)]);
    return [...keys].flatMap((key) =>
      diffStates((before as Record<string, unknown>)[key], (after as Record<string, unknown>)[key], `${path}/${escape(key)}`),
    );
  }
  return [{ path: path || '/', before: before ?? null, after: after ?? null }];
}

function isContainer(value: unknown): value is object {
  return typeof value === 'object' && value !== null;
}

/** RFC 6901 escaping of a key inside a JSON pointer. */
function escape(key: string): string {
  return key.replaceAll('~', '~0').replaceAll('/', '~1');
}
