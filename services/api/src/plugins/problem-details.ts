/**
 * One error handler for the whole API: every error becomes application/problem+json (RFC 9457). Domain errors
 * keep their code and safe details; validation errors list fields; 5xx answers hide internals, except a 503 that
 * knows when to retry (an UnavailableError with `retryAfterSeconds`: its message and details are written for the
 * caller), which says what is happening and carries Retry-After, as a 429 that knows its wait does.
 */
import fp from 'fastify-plugin';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { HruError, retryAfterOf, type FieldError } from '@hru/events';
import { PROBLEM_TYPE_BASE, type Problem } from '../schemas/problem.js';

const titles: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  409: 'Conflict',
  412: 'Precondition Failed',
  413: 'Content Too Large',
  415: 'Unsupported Media Type',
  428: 'Precondition Required',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

const fastifyCodes: Record<string, string> = {
  FST_ERR_CTP_BODY_TOO_LARGE: 'payload_too_large',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'unsupported_media_type',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'validation_failed',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'validation_failed',
  FST_ERR_CTP_INVALID_JSON_BODY: 'validation_failed',
};

export function problemOf(error: unknown, request: FastifyRequest): Problem {
  const base = { instance: request.url.split('?')[0], requestId: request.id };
  if (error instanceof HruError) {
    const told = error.status < 500 || retryAfterOf(error) !== undefined;
    return {
      type: PROBLEM_TYPE_BASE + error.code,
      title: titles[error.status] ?? 'Error',
      status: error.status,
      detail: told ? error.message : 'The server could not complete the request.',
      code: error.code,
      ...(told ? error.details : {}),
      ...base,
    };
  }
  if (hasZodFastifySchemaValidationErrors(error)) {
    const where = (error as FastifyError).validationContext;
    const errors: FieldError[] = error.validation.map((v) => ({
      path: v.instancePath || '/',
      message: v.message ?? 'invalid',
      ...(where && where !== 'body' ? { in: where } : {}),
    }));
    return {
      type: PROBLEM_TYPE_BASE + 'validation_failed',
      title: titles[400]!,
      status: 400,
      detail: validationDetail(where ?? 'body', errors),
      code: 'validation_failed',
      errors,
      ...base,
    };
  }
  const fastifyError = error as Partial<FastifyError>;
  const status = fastifyError.statusCode && fastifyError.statusCode >= 400 ? fastifyError.statusCode : 500;
  const code = (fastifyError.code && fastifyCodes[fastifyError.code]) ?? (status === 429 ? 'rate_limited' : status >= 500 ? 'internal' : 'bad_request');
  return {
    type: PROBLEM_TYPE_BASE + code,
    title: titles[status] ?? 'Error',
    status,
    detail: status >= 500 ? 'The server could not complete the request.' : (fastifyError.message ?? 'Bad request'),
    code,
    ...(code === 'validation_failed' ? { errors: [{ path: '/', message: fastifyError.message ?? 'invalid body' }] } : {}),
    ...base,
  };
}

/**
 * A header has one value and its name is what a caller looks for, so a header's errors are spelt out in the
 * detail; a body or query can have many field errors, which `errors` lists with their JSON pointers.
 */
function validationDetail(where: string, errors: FieldError[]): string {
  if (where === 'headers') {
    return errors.map((e) => (e.message.startsWith(headerName(e.path)) ? e.message : `Header ${headerName(e.path)}: ${e.message}`)).join('; ');
  }
  return `The request ${where} is not valid: ${errors.length} field error(s)`;
}

/** `/x-justification` → `X-Justification`, as the header is written in the documentation. */
function headerName(path: string): string {
  return path.replace(/^\//, '').replace(/(^|-)([a-z])/g, (_, dash: string, letter: string) => dash + letter.toUpperCase());
}

export function sendProblem(reply: FastifyReply, problem: Problem): FastifyReply {
  return reply.status(problem.status).type('application/problem+json').send(problem);
}

export default fp(
  async (app) => {
    app.setErrorHandler((error, request, reply) => {
      const problem = problemOf(error, request);
      if (problem.status >= 500) request.log.error({ err: error, requestId: request.id }, 'request failed');
      else request.log.info({ code: problem.code, status: problem.status }, 'request refused');
      if (problem.status === 401) reply.header('WWW-Authenticate', 'Bearer realm="hru", ApiKey realm="hru"');
      const retryAfter = retryAfterOf(error);
      if (retryAfter !== undefined) reply.header('Retry-After', String(retryAfter));
      return sendProblem(reply, problem);
    });
    app.setNotFoundHandler((request, reply) =>
      sendProblem(reply, {
        type: PROBLEM_TYPE_BASE + 'not_found',
        title: 'Not Found',
        status: 404,
        detail: `No route ${request.method} ${request.url.split('?')[0]}`,
        code: 'not_found',
        requestId: request.id,
      }),
    );
  },
  { name: 'problem-details' },
);
