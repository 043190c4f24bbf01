/** RFC 9457 problem details, as every error of the API is answered. */
import { z } from 'zod';

export const problemSchema = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    detail: z.string(),
    instance: z.string().optional(),
    code: z.string(),
    requestId: z.string(),
    errors: z.array(z.object({ path: z.string(), message: z.string(), in: z.string().optional() })).optional(),
    allowedCommands: z.array(z.string()).optional(),
  })
  .loose()
  .meta({ id: 'Problem', description: 'RFC 9457 problem details (application/problem+json)' });

export type Problem = z.infer<typeof problemSchema>;

export const PROBLEM_TYPE_BASE = 'urn:hru:problem:';

/** The error responses every authenticated route may give, for the OpenAPI document. */
export const commonProblems = {
  400: problemSchema,
  401: problemSchema,
  403: problemSchema,
  429: problemSchema,
  500: problemSchema,
} as const;
