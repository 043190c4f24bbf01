/**
 * Upcasters for the events whose free text moved under `personal` (issue #16): the old clear fields are moved,
 * not copied, so nothing personal stays outside the section, and nothing is lost.
 */
import type { Upcaster } from '../envelope.js';

type Data = Record<string, unknown>;

/** Moves `fields` of the old data (those present) into `personal`, beside whatever it already held. */
export function moveToPersonal(data: unknown, fields: readonly string[]): Data {
  const rest = { ...(data as Data) };
  const personal: Data = { ...((rest.personal as Data | undefined) ?? {}) };
  for (const field of fields) {
    if (field in rest) {
      if (rest[field] !== undefined) personal[field] = rest[field];
      delete rest[field];
    }
  }
  return { ...rest, personal };
}

/** The upcaster from `fromVersion` that moves `fields` under `personal`. */
export function movedToPersonal(fromVersion: number, ...fields: string[]): Upcaster {
  return { fromVersion, upcast: (data) => moveToPersonal(data, fields) };
}

interface OldParty {
  partyId: string;
  category: string;
  sourceRef?: string;
}

/**
 * Moves each party's `sourceRef` into that person's entry under `personal.people` (creating the entry when the
 * event named no details for them). Leaves events without `parties` (a details update that did not change them)
 * as they were.
 */
export function moveSourceRefs(data: unknown): Data {
  const old = data as Data & { parties?: OldParty[]; personal?: { people?: Data[] } & Data };
  if (!old.parties) return old;
  const personal = old.personal ?? {};
  const people = [...(personal.people ?? [])];
  const parties = old.parties.map(({ sourceRef, ...party }) => {
    if (sourceRef !== undefined) {
      const at = people.findIndex((p) => p.partyId === party.partyId);
      if (at >= 0) people[at] = { ...people[at], sourceRef };
      else people.push({ partyId: party.partyId, sourceRef });
    }
    return party;
  });
  return { ...old, parties, personal: { ...personal, people } };
}
