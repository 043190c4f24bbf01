/**
 * Structured logging with pino. Only ids reach the log: personal data (names, dates of birth, narrative,
 * the `personal` section of events, request bodies, credentials) is censored by path.
 */
import { pino, type Logger, type LoggerOptions } from 'pino';

export type { Logger } from 'pino';

export const redactedPaths = [
  'personal',
  '*.personal',
  '*.*.personal',
  'summary',
  '*.summary',
  'name',
  '*.name',
  '*.*.name',
  'dateOfBirth',
  '*.dateOfBirth',
  '*.*.dateOfBirth',
  'victim',
  'suspect',
  '*.victim',
  '*.suspect',
  'body',
  '*.body',
  'reason',
  '*.reason',
  'note',
  '*.note',
  'req.headers.authorization',
  'req.headers["x-justification"]',
  'req.headers.cookie',
  'headers.authorization',
  'token',
  '*.token',
  'secret',
  '*.secret',
];

export function createLogger(options: { level?: string; name?: string; destination?: pino.DestinationStream } = {}): Logger {
  const loggerOptions: LoggerOptions = {
    level: options.level ?? 'info',
    redact: { paths: redactedPaths, censor: '[redacted]' },
    base: { service: options.name ?? 'hru' },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
  };
  return options.destination ? pino(loggerOptions, options.destination) : pino(loggerOptions);
}
