/**
 * How a failed command reports itself. The operator gets one line for what is theirs to fix (configuration,
 * the data directory, a domain refusal) and the exit code; a stack only when asked for (`LOG_LEVEL=debug` or
 * `trace`), because a stack buries the one line that says what to do. Anything else is a bug: its stack always.
 */
import { dataFileProblemOf } from '@hru/infra';
import { isHruError } from '@hru/events';

export interface Failure {
  /** What to print on stderr. */
  lines: unknown[];
  exitCode: number;
}

function wantsStack(): boolean {
  return ['debug', 'trace'].includes(process.env.LOG_LEVEL ?? '');
}

/** A file-system error on a data file that did not pass through a store (the generated JWT secret, say). */
function systemErrorPath(error: unknown): string | undefined {
  const e = error as { path?: unknown; syscall?: unknown };
  return typeof e?.path === 'string' && typeof e.syscall === 'string' && dataFileProblemOf(error) ? e.path : undefined;
}

/** Node's parseArgs refusals (an unknown option, an option without its value, a stray argument): the caller's to fix. */
const argumentErrors = new Set(['ERR_PARSE_ARGS_UNKNOWN_OPTION', 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE', 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL']);

export function failureOf(error: unknown): Failure {
  const debug = wantsStack() ? [error] : [];
  const code = (error as { code?: unknown })?.code;
  if (typeof code === 'string' && argumentErrors.has(code)) {
    return { lines: [`hru: ${(error as Error).message.split('\n')[0]} (\`hru help\` lists each command's options)`, ...debug], exitCode: 2 };
  }
  // DataFileError (a damaged event log, a read-only data directory) is one of these.
  if (isHruError(error)) return { lines: [`hru: ${error.message}`, ...debug], exitCode: error.code === 'configuration_invalid' ? 2 : 1 };
  const path = systemErrorPath(error);
  if (path !== undefined) {
    const dataDir = process.env.HRU_DATA_DIR ?? './.data';
    const { code, syscall } = error as { code: string; syscall: string };
    return { lines: [`hru: cannot ${syscall} ${path} (${code}): HRU_DATA_DIR=${dataDir} must be a directory this user can read and write.`, ...debug], exitCode: 1 };
  }
  return { lines: [error], exitCode: 1 };
}
