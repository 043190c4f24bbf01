/**
 * Development conveniences and relaxed controls are opt-in, and said out loud at start-up: a warn line in the
 * log (for whoever reads the log) and a banner on stderr (for whoever watches the terminal), so that nobody
 * runs an engine with them on without knowing.
 */
import type { Config, Logger } from '@hru/infra';

export function relaxedControls(config: Config): string[] {
  const lines: string[] = [];
  if (config.devSignIn) {
    lines.push(
      'development sign-in is ON (HRU_DEV_SIGN_IN=true or hru start --dev): POST /v1/dev/token mints a token for any role ' +
        'to any caller on this machine. For trying the engine only: never with real cases, never on a shared host.',
    );
  }
  if (config.allowLocalTokens) {
    lines.push(
      'tokens signed with the local secret are accepted in production (HRU_ALLOW_LOCAL_TOKENS=true): whoever can read ' +
        'HRU_JWT_SECRET or HRU_DATA_DIR/jwt-secret can sign in as anyone. Prefer HRU_JWKS_URL (your identity provider).',
    );
  }
  if (config.production && !config.masterKey.current) {
    lines.push(
      'HRU_MASTER_KEY is unset in production: every person\'s data key is wrapped by a key generated into HRU_DATA_DIR/master-key, ' +
        'beside the keys it protects, so a copy of the data dir decrypts all personal data. Set HRU_MASTER_KEY from a secret mount, or use a KMS.',
    );
  }
  return lines;
}

export function announceRelaxedControls(config: Config, logger: Logger, banner: (text: string) => void): void {
  const lines = relaxedControls(config);
  if (lines.length === 0) return;
  for (const line of lines) logger.warn({ securityEvent: 'relaxed_control' }, line);
  const rule = '!'.repeat(100);
  banner(['', rule, ...lines.map((line) => `!! WARNING: ${line}`), rule, ''].join('\n') + '\n');
}
