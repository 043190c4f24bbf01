import type { z } from 'zod';
import type { FieldError } from './errors.js';

/** Turns zod issues into field errors with JSON-pointer paths (RFC 6901), as problem+json reports them. */
export function fieldErrorsOf(error: z.ZodError): FieldError[] {
  return error.issues.map((issue) => ({
    path: '/' + issue.path.map((p) => String(p).replaceAll('~', '~0').replaceAll('/', '~1')).join('/'),
    message: issue.message,
  }));
}
