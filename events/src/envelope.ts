/**
 * The event envelope `{type, data, metadata}` shared by every event, and the helper that declares an
 * event type with its schema, version and upcasters.
 */
import { z } from 'zod';
import { roleSchema, staffRoles } from './roles.js';

export const personActorSchema = z.strictObject({
  kind: z.literal('person'),
  sub: z.string().min(1).max(200),
  name: z.string().max(200),
  roles: z.array(roleSchema).max(staffRoles.length),
  agency: z.string().max(100),
});

export const systemActorSchema = z.strictObject({
  kind: z.literal('system'),
  /** A source system (`niche`), or a part of the engine (`intake-rules`, `alert-timer`). */
  system: z.string().min(1).max(100),
});

export const actorSchema = z.discriminatedUnion('kind', [personActorSchema, systemActorSchema]);
export type Actor = z.infer<typeof actorSchema>;
export type PersonActor = z.infer<typeof personActorSchema>;

/** Who acted, in one string: a person's `sub`, or the system's name (what read models record as "by"). */
export function actorIdOf(actor: Actor): string {
  return actor.kind === 'person' ? actor.sub : actor.system;
}

export const eventMetadataSchema = z.object({
  eventId: z.uuid(),
  occurredAt: z.iso.datetime({ offset: true }),
  actor: actorSchema,
  correlationId: z.string().min(1).max(200),
  causationId: z.string().min(1).max(200).nullable(),
  schemaVersion: z.number().int().positive(),
  /** Version of the workflow machine that decided this event (absent for events not decided by a machine). */
  machineVersion: z.string().max(50).optional(),
});
export type EventMetadata = z.infer<typeof eventMetadataSchema>;

export interface Envelope<TType extends string = string, TData = unknown> {
  type: TType;
  data: TData;
  metadata: EventMetadata;
}

/** Moves the data of version `fromVersion` to `fromVersion + 1`. Pure; never loses information. */
export interface Upcaster {
  fromVersion: number;
  upcast(data: unknown): unknown;
}

export interface EventDefinition<TType extends string = string, TSchema extends z.ZodType = z.ZodType> {
  type: TType;
  /** Current schema version: new events are written with it; older ones are upcast to it on read. */
  version: number;
  schema: TSchema;
  upcasters: readonly Upcaster[];
}

export function defineEvent<const TType extends string, TSchema extends z.ZodType>(
  type: TType,
  schema: TSchema,
  options: { version?: number; upcasters?: readonly Upcaster[] } = {},
): EventDefinition<TType, TSchema> {
  const version = options.version ?? 1;
  const upcasters = [...(options.upcasters ?? [])].sort((a, b) => a.fromVersion - b.fromVersion);
  const missing = Array.from({ length: version - 1 }, (_, i) => i + 1).filter(
    (v) => !upcasters.some((u) => u.fromVersion === v),
  );
  if (missing.length > 0) {
    throw new Error(`Event ${type} v${version} lacks upcasters from version(s) ${missing.join(', ')}`);
  }
  return { type, version, schema, upcasters };
}

export type EventOf<D> = D extends EventDefinition<infer T, infer S> ? Envelope<T, z.infer<S>> : never;
export type DataOf<D> = D extends EventDefinition<string, infer S> ? z.infer<S> : never;
