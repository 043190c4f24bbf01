/**
 * A throwaway PostgreSQL database for one test file, on the server at HRU_TEST_POSTGRES_URL (default: the machine's
 * own, postgres@127.0.0.1:5432, trust authentication). Where no server answers, the file's PostgreSQL tests are skipped
 * with a message, except under CI (`CI=true`), where a missing server is a failure: CI's machines have one.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';

export const ADMIN_URL = process.env.HRU_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

/** Whether a server answers (checked once per file, before its tests are declared). */
export async function postgresAnswers(): Promise<boolean> {
  const client = new pg.Client({ connectionString: ADMIN_URL, connectionTimeoutMillis: 3_000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return true;
  } catch (error) {
    if (process.env.CI === 'true') throw new Error(`PostgreSQL does not answer at ${ADMIN_URL} (required under CI): ${(error as Error).message}`);
    process.stderr.write(`PostgreSQL does not answer at ${ADMIN_URL}: its tests are skipped (${(error as Error).message})\n`);
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** Creates an empty database; `drop` removes it (closing whatever connections are left). */
export async function freshDatabase(prefix = 'hru_test'): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `${prefix}_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: ADMIN_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const client = new pg.Client({ connectionString: ADMIN_URL });
      await client.connect();
      await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await client.end();
    },
  };
}
