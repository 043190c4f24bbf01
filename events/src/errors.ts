/**
 * The one error hierarchy of the engine. It lives in the contracts package because every other
 * package (pure workflows included) raises these errors, and each code maps to one HTTP status.
 */
export type ErrorCode =
  | 'validation_failed'
  | 'unauthenticated'
  | 'forbidden'
  | 'not_found'
  | 'command_not_allowed'
  | 'concurrency_conflict'
  | 'precondition_failed'
  | 'payload_too_large'
  | 'unsupported_media_type'
  | 'rate_limited'
  | 'unknown_event_type'
  | 'event_schema_invalid'
  | 'configuration_invalid'
  | 'unavailable'
  | 'personal_data_integrity'
  | 'internal';

const statusByCode: Record<ErrorCode, number> = {
  validation_failed: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  command_not_allowed: 409,
  concurrency_conflict: 409,
  precondition_failed: 412,
  payload_too_large: 413,
  unsupported_media_type: 415,
  rate_limited: 429,
  unknown_event_type: 500,
  event_schema_invalid: 500,
  configuration_invalid: 500,
  unavailable: 503,
  personal_data_integrity: 500,
  internal: 500,
};

export interface FieldError {
  /** JSON-pointer-like path of the offending field, e.g. `/source/crimeReference`. */
  path: string;
  message: string;
  /** Where the field is, when not in the body: `querystring`, `params`, `headers`. */
  in?: string;
}

export class HruError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  /** Safe, structured details for the problem+json body (never personal data). */
  readonly details: Record<string, unknown>;

  constructor(code: ErrorCode, message: string, details: Record<string, unknown> = {}, options?: ErrorOptions) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
    this.status = statusByCode[code];
    this.details = details;
  }

  /** Domain rejections are final: retrying the same input cannot succeed (workers do not retry them). */
  get retryable(): boolean {
    return this.code === 'concurrency_conflict' || this.code === 'unavailable';
  }
}

export class ValidationError extends HruError {
  readonly errors: FieldError[];
  constructor(message: string, errors: FieldError[]) {
    super('validation_failed', message, { errors });
    this.errors = errors;
  }
}

export class NotFoundError extends HruError {
  constructor(what: string, id: string) {
    super('not_found', `${what} ${id} was not found`, { id });
  }
}

export class UnauthenticatedError extends HruError {
  constructor(message = 'Authentication is required') {
    super('unauthenticated', message);
  }
}

export class ForbiddenError extends HruError {
  constructor(message: string, details: Record<string, unknown> = {}) {
    super('forbidden', message, details);
  }
}

/** The current state of a referral does not accept the command. */
export class CommandNotAllowedError extends HruError {
  constructor(command: string, state: string, allowedCommands: readonly string[], why?: string) {
    super('command_not_allowed', why ?? `Command ${command} is not allowed in state ${state}`, {
      command,
      state,
      allowedCommands: [...allowedCommands],
    });
  }
}

/** An append found the stream at another revision than the writer expected. */
export class ConcurrencyError extends HruError {
  readonly streamId: string;
  readonly expected: string;
  readonly actual: number | 'no_stream';
  constructor(streamId: string, expected: string, actual: number | 'no_stream') {
    super('concurrency_conflict', `Stream ${streamId} is at revision ${actual}, expected ${expected}`, {
      streamId,
      expectedRevision: expected,
      actualRevision: actual,
    });
    this.streamId = streamId;
    this.expected = expected;
    this.actual = actual;
  }
}

/** The caller's `If-Match` names a revision the referral has moved past. */
export class PreconditionFailedError extends HruError {
  constructor(expected: number, actual: number) {
    super('precondition_failed', `The referral is at revision ${actual}, not ${expected}`, {
      expectedRevision: expected,
      actualRevision: actual,
    });
  }
}

export class UnknownEventTypeError extends HruError {
  constructor(type: string) {
    super('unknown_event_type', `No schema is registered for event type ${type}`, { type });
  }
}

export class EventSchemaError extends HruError {
  constructor(type: string, version: number, errors: FieldError[]) {
    super('event_schema_invalid', `Event ${type} v${version} does not match its schema`, { type, version, errors });
  }
}

/** Too many requests, failures or open streams: a 429 with Retry-After when the wait is known. */
export class RateLimitedError extends HruError {
  readonly retryAfterSeconds: number | undefined;
  constructor(message: string, retryAfterSeconds?: number) {
    super('rate_limited', message, retryAfterSeconds === undefined ? {} : { retryAfterSeconds });
    this.retryAfterSeconds = retryAfterSeconds;
  }
}

export class ConfigurationError extends HruError {
  constructor(message: string, errors: FieldError[] = []) {
    super('configuration_invalid', message, { errors });
  }
}

export interface UnavailableOptions extends ErrorOptions {
  /**
   * When the engine knows how long the thing will take (a ranking being scored): the 503 then carries Retry-After,
   * and its message and details reach the caller, so they must be written for the caller (no internals, no personal
   * data). Without it a 503 is an outage whose cause the caller is not told (a store or Redis down).
   */
  retryAfterSeconds?: number;
  details?: Record<string, unknown>;
}

/** Something the request needs is not there now: a 503, retried by workers. */
export class UnavailableError extends HruError {
  readonly retryAfterSeconds: number | undefined;
  constructor(message: string, options: UnavailableOptions = {}) {
    const { details, retryAfterSeconds: wait, ...errorOptions } = options;
    // Retry-After is a whole number of seconds.
    const retryAfterSeconds = wait === undefined ? undefined : Math.max(1, Math.ceil(wait));
    super('unavailable', message, { ...details, ...(retryAfterSeconds === undefined ? {} : { retryAfterSeconds }) }, errorOptions);
    this.retryAfterSeconds = retryAfterSeconds;
  }
}

/** The wait an error tells the caller to keep (Retry-After, in seconds), when it knows one. */
export function retryAfterOf(error: unknown): number | undefined {
  return error instanceof RateLimitedError || error instanceof UnavailableError ? error.retryAfterSeconds : undefined;
}

/**
 * A sealed personal section did not authenticate under a key that exists: the ciphertext was altered, moved to
 * another event, or the key-encryption key is not the one the keys were wrapped with. Never read as "erased":
 * that would hide tampering. The details name the event and the key id, never any content.
 */
export class PersonalDataIntegrityError extends HruError {
  constructor(event: string, keyId: string) {
    super('personal_data_integrity', `The personal data of event ${event} does not authenticate under key ${keyId}`, { event, keyId });
  }
}

export function isHruError(error: unknown): error is HruError {
  return error instanceof HruError;
}
