/** Parses any stored event by type and version: upcasts old versions, then validates against the current schema. */
import type { z } from 'zod';
import { EventSchemaError, UnknownEventTypeError } from './errors.js';
import { eventMetadataSchema, type Envelope, type EventDefinition } from './envelope.js';
import { fieldErrorsOf } from './zod-issues.js';

export interface StoredEventLike {
  type: string;
  data: unknown;
  metadata: unknown;
}

export class EventRegistry {
  private readonly definitions = new Map<string, EventDefinition>();

  constructor(definitions: readonly EventDefinition[] = []) {
    for (const definition of definitions) this.register(definition);
  }

  register(definition: EventDefinition): this {
    if (this.definitions.has(definition.type)) {
      throw new Error(`Event type ${definition.type} is registered twice`);
    }
    this.definitions.set(definition.type, definition);
    return this;
  }

  has(type: string): boolean {
    return this.definitions.has(type);
  }

  types(): string[] {
    return [...this.definitions.keys()];
  }

  definition(type: string): EventDefinition {
    const definition = this.definitions.get(type);
    if (!definition) throw new UnknownEventTypeError(type);
    return definition;
  }

  /** Validates an event about to be written; returns it with its data as the schema parsed it. */
  prepare<T extends string, D>(event: Envelope<T, D>): Envelope<T, D> {
    const definition = this.definition(event.type);
    const metadata = { ...event.metadata, schemaVersion: definition.version };
    return { type: event.type, data: this.validate(definition, event.data, definition.version) as D, metadata };
  }

  /** Reads a stored event of any known version as the current version. */
  parse(stored: StoredEventLike): Envelope {
    const definition = this.definition(stored.type);
    const metadataResult = eventMetadataSchema.safeParse(stored.metadata);
    if (!metadataResult.success) {
      throw new EventSchemaError(stored.type, 0, fieldErrorsOf(metadataResult.error));
    }
    const metadata = metadataResult.data;
    let data = stored.data;
    for (let v = metadata.schemaVersion; v < definition.version; v++) {
      const upcaster = definition.upcasters.find((u) => u.fromVersion === v);
      if (!upcaster) throw new EventSchemaError(stored.type, v, [{ path: '', message: `no upcaster from v${v}` }]);
      data = upcaster.upcast(data);
    }
    if (metadata.schemaVersion > definition.version) {
      throw new EventSchemaError(stored.type, metadata.schemaVersion, [
        { path: '', message: `written by a newer version (this build knows up to v${definition.version})` },
      ]);
    }
    return {
      type: stored.type,
      data: this.validate(definition, data, metadata.schemaVersion),
      metadata: { ...metadata, schemaVersion: definition.version },
    };
  }

  /**
   * Reads a stored event as the current version WITHOUT validating it: for replaying the log into read
   * models, where validation would cost most of the time. Safe because every write path validated the
   * event against its schema (`prepare`, or the schema's `parse`), and the hash chain (`audit verify`)
   * shows whether a stored row changed since. Upcasters still run; unknown types and newer versions still fail.
   */
  readTrusted(stored: StoredEventLike & { metadata: { schemaVersion: number } }): Envelope {
    const definition = this.definition(stored.type);
    const version = stored.metadata.schemaVersion;
    if (version > definition.version) {
      throw new EventSchemaError(stored.type, version, [
        { path: '', message: `written by a newer version (this build knows up to v${definition.version})` },
      ]);
    }
    let data = stored.data;
    for (let v = version; v < definition.version; v++) {
      const upcaster = definition.upcasters.find((u) => u.fromVersion === v);
      if (!upcaster) throw new EventSchemaError(stored.type, v, [{ path: '', message: `no upcaster from v${v}` }]);
      data = upcaster.upcast(data);
    }
    const metadata = version === definition.version ? stored.metadata : { ...stored.metadata, schemaVersion: definition.version };
    return { type: stored.type, data, metadata: metadata as Envelope['metadata'] };
  }

  private validate(definition: EventDefinition, data: unknown, version: number): unknown {
    const result = (definition.schema as z.ZodType).safeParse(data);
    if (!result.success) throw new EventSchemaError(definition.type, version, fieldErrorsOf(result.error));
    return result.data;
  }
}
