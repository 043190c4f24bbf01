/** `hru token`: mints a development JWT with the local secret (refused when an identity provider is configured). */
import { parseArgs } from 'node:util';
import { roleSchema, ConfigurationError } from '@hru/events';
import { formatDuration, loadConfig, loadOrCreateJwtSecret, mintDevToken, parseDuration, securePrivateDir } from '@hru/infra';

const DEFAULT_TTL_MS = 8 * 3_600_000;

export async function runToken(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      role: { type: 'string', multiple: true },
      sub: { type: 'string' },
      name: { type: 'string' },
      agency: { type: 'string', default: 'police' },
      ttl: { type: 'string' },
    },
  });
  const roles = (values.role ?? []).flatMap((r) => r.split(',')).map((r) => r.trim());
  if (roles.length === 0 || !values.sub) {
    console.error('hru token: --role and --sub are required, e.g. hru token --role supervisor --sub ds.smith');
    return 1;
  }
  const parsed = roles.map((r) => roleSchema.safeParse(r));
  const bad = roles.filter((_, i) => !parsed[i]!.success);
  if (bad.length > 0) {
    console.error(`hru token: unknown role(s) ${bad.join(', ')}; roles are ${roleSchema.options.join(', ')}`);
    return 1;
  }
  const config = loadConfig();
  if (config.jwksUrl || config.oidc) throw new ConfigurationError(`hru token mints development tokens only; ${config.jwksUrl ? 'HRU_JWKS_URL' : 'HRU_OIDC_ISSUER'} is set, so use your identity provider`);
  // The engine refuses tokens that live longer than HRU_MAX_TOKEN_LIFETIME: say so now, not at first use.
  const max = config.maxTokenLifetimeMs;
  const ttlMs = values.ttl === undefined ? Math.min(DEFAULT_TTL_MS, max) : parseDuration(values.ttl);
  if (ttlMs === undefined || ttlMs <= 0) {
    console.error(`hru token: --ttl "${values.ttl}" is not a lifetime (use 30m, 8h)`);
    return 1;
  }
  if (ttlMs > max) {
    console.error(`hru token: --ttl ${values.ttl} is longer than HRU_MAX_TOKEN_LIFETIME (${formatDuration(max)}); the engine refuses such tokens`);
    return 1;
  }
  if (!config.jwtSecret) securePrivateDir(config.dataDir);
  const secret = loadOrCreateJwtSecret(config.dataDir, config.jwtSecret);
  const token = await mintDevToken(secret, {
    sub: values.sub,
    name: values.name ?? values.sub,
    roles: parsed.map((p) => p.data!),
    agency: values.agency,
    ttl: formatDuration(ttlMs),
  });
  process.stdout.write(token + '\n');
  return 0;
}
