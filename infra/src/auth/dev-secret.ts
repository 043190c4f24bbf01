/** The development signing secret: HRU_JWT_SECRET, or one generated once into the data directory. */
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { loadOrCreateSecretFile } from '../generated-secret.js';

export function jwtSecretFile(dataDir: string): string {
  return join(dataDir, 'jwt-secret');
}

export function loadOrCreateJwtSecret(dataDir: string, configured: string | undefined): string {
  if (configured) return configured;
  // Another process starting at the same moment may create it first; then that one's secret wins.
  return loadOrCreateSecretFile(jwtSecretFile(dataDir), () => randomBytes(48).toString('base64url'));
}
