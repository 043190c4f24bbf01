/**
 * What goes wrong with a file of the data directory, said in one line an operator can act on. SQLite and the
 * file system report these as error codes deep in a stack; the operator needs the file, the directory
 * (`HRU_DATA_DIR`) and what to do, and a stack only when asking for one (`LOG_LEVEL=debug`).
 */
import { UnavailableError } from '@hru/events';

/** corrupt: not a SQLite database, or damaged pages; read-only: writes refused; unusable: cannot be opened at all. */
export type DataFileProblem = 'corrupt' | 'read-only' | 'unusable';

const corruptCodes = new Set(['SQLITE_NOTADB', 'SQLITE_CORRUPT']);
const readOnlyCodes = new Set(['SQLITE_READONLY', 'EROFS', 'EACCES', 'EPERM']);
const unusableCodes = new Set(['SQLITE_CANTOPEN', 'SQLITE_IOERR', 'ENOTDIR', 'EISDIR', 'ENOENT', 'ELOOP', 'ENAMETOOLONG']);

/** SQLite's extended codes (`SQLITE_CORRUPT_VTAB`, `SQLITE_READONLY_DBMOVED`, …) count as their primary code. */
function primary(code: string): string {
  return code.startsWith('SQLITE_') ? code.split('_').slice(0, 2).join('_') : code;
}

export function dataFileProblemOf(error: unknown): DataFileProblem | undefined {
  const code = (error as { code?: unknown } | undefined)?.code;
  if (typeof code !== 'string') return undefined;
  const base = primary(code);
  if (corruptCodes.has(base)) return 'corrupt';
  if (readOnlyCodes.has(base)) return 'read-only';
  if (unusableCodes.has(base)) return 'unusable';
  return undefined;
}

/** A data file the engine cannot use; an HruError, so the CLI prints its message as one line. */
export class DataFileError extends UnavailableError {
  constructor(
    message: string,
    readonly file: string,
    readonly dataDir: string,
    readonly problem: DataFileProblem,
    cause: unknown,
  ) {
    super(message, { cause });
  }
}

function detailOf(error: unknown): string {
  const { code, message } = error as { code?: string; message?: string };
  // Node's file-system errors already begin with their code.
  return code && !message?.startsWith(code) ? `${code}: ${message}` : (message ?? String(code));
}

/** The event log is the record itself: never moved aside or rebuilt, so the only advice is a restore. */
export function eventLogError(error: unknown, file: string, dataDir: string): DataFileError | undefined {
  const problem = dataFileProblemOf(error);
  if (!problem) return undefined;
  const where = `the event log ${file}`;
  const message =
    problem === 'corrupt'
      ? `${where} (HRU_DATA_DIR=${dataDir}) is damaged or not a SQLite database (${detailOf(error)}). It is the record ` +
        'itself, so it is never moved aside or rebuilt: restore it from a backup, then run `hru audit verify`.'
      : problemLine(problem, where, dataDir, error);
  return new DataFileError(message, file, dataDir, problem, error);
}

/** A read model that cannot be opened for a reason other than corruption (which is handled by moving it aside). */
export function readModelFileError(error: unknown, file: string, dataDir: string): DataFileError | undefined {
  const problem = dataFileProblemOf(error);
  if (!problem || problem === 'corrupt') return undefined;
  return new DataFileError(problemLine(problem, `the read models ${file}`, dataDir, error), file, dataDir, problem, error);
}

function problemLine(problem: Exclude<DataFileProblem, 'corrupt'>, where: string, dataDir: string, error: unknown): string {
  return problem === 'read-only'
    ? `${where} cannot be written (${detailOf(error)}): HRU_DATA_DIR=${dataDir} must be writable by this user (SQLite writes journals beside each file).`
    : `${where} cannot be opened (${detailOf(error)}): HRU_DATA_DIR=${dataDir} must be a directory this user can read and write.`;
}
