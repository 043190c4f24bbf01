/** Single sign-on configuration (HRU_OIDC_*): validated at start, one line naming each variable at fault. */
import { describe, expect, it } from 'vitest';
import { ConfigurationError } from '@hru/events';
import { loadConfig } from '@hru/infra';

const OIDC = {
  HRU_OIDC_ISSUER: 'https://login.force.example/realms/hru',
  HRU_OIDC_CLIENT_ID: 'hru-console',
  HRU_OIDC_AUDIENCE: 'https://hru.force.example/api',
};

function refusal(env: Record<string, string>): string {
  try {
    loadConfig(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigurationError);
    return (error as Error).message;
  }
  return '';
}

describe('single sign-on configuration', () => {
  it('is off by default: no provider, the token form offered', () => {
    expect(loadConfig({})).toMatchObject({ oidc: undefined, signInTokenForm: true, jwtIssuer: undefined, jwtAudience: undefined });
  });

  it('reads the provider, with default scopes and name, and pins its issuer and audience for the API', () => {
    const config = loadConfig(OIDC);
    expect(config.oidc).toEqual({
      issuer: OIDC.HRU_OIDC_ISSUER,
      clientId: 'hru-console',
      scopes: ['openid', 'profile', 'offline_access'],
      audience: OIDC.HRU_OIDC_AUDIENCE,
      resourceIndicator: true,
      providerName: 'your organisation',
    });
    expect(config).toMatchObject({ jwtIssuer: OIDC.HRU_OIDC_ISSUER, jwtAudience: OIDC.HRU_OIDC_AUDIENCE, jwksUrl: undefined, signInTokenForm: false });
    // Pinned apart when the provider's access tokens name another issuer (Entra ID's v1 tokens).
    expect(loadConfig({ ...OIDC, HRU_JWT_ISSUER: 'https://sts.windows.net/tenant/' }).jwtIssuer).toBe('https://sts.windows.net/tenant/');
    expect(loadConfig({ ...OIDC, HRU_SIGN_IN_TOKEN_FORM: 'true' }).signInTokenForm).toBe(true);
    expect(loadConfig({ HRU_SIGN_IN_TOKEN_FORM: 'false' }).signInTokenForm).toBe(false);
    expect(loadConfig({ ...OIDC, HRU_OIDC_SCOPES: ' openid  api://hru/.default ', HRU_OIDC_PROVIDER_NAME: 'Northshire Police' }).oidc).toMatchObject({
      scopes: ['openid', 'api://hru/.default'],
      providerName: 'Northshire Police',
    });
  });

  it('stands for HRU_JWKS_URL: production starts with it alone; local tokens and development sign-in are refused beside it', () => {
    expect(loadConfig({ ...OIDC, NODE_ENV: 'production' }).production).toBe(true);
    expect(refusal({ ...OIDC, HRU_ALLOW_LOCAL_TOKENS: 'true' })).toMatch(/HRU_ALLOW_LOCAL_TOKENS: cannot be used with HRU_OIDC_ISSUER/);
    expect(refusal({ ...OIDC, HRU_DEV_SIGN_IN: 'true' })).toMatch(/HRU_DEV_SIGN_IN: cannot be used with HRU_OIDC_ISSUER/);
    // An explicit key set still wins, its issuer and audience defaulting to the provider's.
    expect(loadConfig({ ...OIDC, HRU_JWKS_URL: 'https://keys.force.example/jwks.json' })).toMatchObject({ jwksUrl: 'https://keys.force.example/jwks.json', jwtIssuer: OIDC.HRU_OIDC_ISSUER });
  });

  it('refuses a half-configured provider, naming what is missing', () => {
    expect(refusal({ HRU_OIDC_ISSUER: OIDC.HRU_OIDC_ISSUER })).toMatch(/HRU_OIDC_CLIENT_ID: required with HRU_OIDC_ISSUER.*HRU_OIDC_AUDIENCE: required/);
    expect(refusal({ HRU_OIDC_CLIENT_ID: 'hru-console' })).toMatch(/HRU_OIDC_ISSUER: required with HRU_OIDC_CLIENT_ID/);
    expect(refusal({ HRU_OIDC_AUDIENCE: 'hru' })).toMatch(/HRU_OIDC_ISSUER: required with HRU_OIDC_AUDIENCE/);
  });

  it('refuses a bad issuer, client id, scopes or resource, one line naming each variable', () => {
    for (const [env, message] of [
      [{ HRU_OIDC_ISSUER: 'http://login.force.example' }, /HRU_OIDC_ISSUER: expected an https URL/],
      [{ HRU_OIDC_ISSUER: 'not a url' }, /HRU_OIDC_ISSUER: expected an https URL/],
      [{ HRU_OIDC_ISSUER: 'https://login.force.example/?tenant=1' }, /HRU_OIDC_ISSUER: an issuer has no query/],
      [{ HRU_OIDC_CLIENT_ID: 'hru console' }, /HRU_OIDC_CLIENT_ID: printable ASCII without spaces/],
      [{ HRU_OIDC_SCOPES: 'profile email' }, /HRU_OIDC_SCOPES: must include openid/],
      [{ HRU_OIDC_SCOPES: 'openid "quoted"' }, /HRU_OIDC_SCOPES\/1: scope names are printable ASCII/],
      [{ HRU_OIDC_AUDIENCE: 'hru' }, /HRU_OIDC_AUDIENCE: a resource indicator \(RFC 8707\) is an absolute URI/],
      [{ HRU_OIDC_RESOURCE_INDICATOR: 'no' }, /HRU_OIDC_RESOURCE_INDICATOR: expected true or false/],
      [{ HRU_SIGN_IN_TOKEN_FORM: '1' }, /HRU_SIGN_IN_TOKEN_FORM: expected true or false/],
    ] as const) {
      const message_ = refusal({ ...OIDC, ...env });
      expect(message_, JSON.stringify(env)).toMatch(message);
      expect(message_.split('\n')).toHaveLength(1);
    }
    // A provider on this machine may use http (development, tests); an audience picked by scope needs no URI.
    expect(loadConfig({ ...OIDC, HRU_OIDC_ISSUER: 'http://127.0.0.1:8080/' }).oidc?.issuer).toBe('http://127.0.0.1:8080/');
    expect(loadConfig({ ...OIDC, HRU_OIDC_AUDIENCE: 'hru', HRU_OIDC_RESOURCE_INDICATOR: 'false' }).oidc).toMatchObject({ audience: 'hru', resourceIndicator: false });
  });
});
