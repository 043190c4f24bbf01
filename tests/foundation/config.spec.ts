import { describe, expect, it } from 'vitest';
import { ConfigurationError } from '@hru/events';
import { loadConfig } from '@hru/infra';

describe('configuration', () => {
  it('has the documented defaults', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      port: 3000,
      host: '127.0.0.1',
      dataDir: './.data',
      eventStoreUrl: undefined,
      redisUrl: 'redis://127.0.0.1:6379',
      alertAckSlaMs: 15 * 60_000,
      logLevel: 'info',
      alertWebhookUrls: [],
    });
    expect(config.sourceKeys.size).toBe(0);
  });

  it('parses durations, source keys and webhook lists', () => {
    const config = loadConfig({
      HRU_ALERT_ACK_SLA: '30s',
      HRU_SOURCE_KEYS: 'niche=0123456789abcdef0123,athena=abcdefabcdefabcdef99',
      HRU_ALERT_WEBHOOK_URL: 'https://a.example/hook, http://127.0.0.1:9000/x',
      EVENTSTORE_URL: 'kurrentdb://127.0.0.1:2113?tls=false',
    });
    expect(config.alertAckSlaMs).toBe(30_000);
    expect(config.sourceKeys.get('athena')).toBe('abcdefabcdefabcdef99');
    expect(config.alertWebhookUrls).toEqual(['https://a.example/hook', 'http://127.0.0.1:9000/x']);
    expect(config.eventStoreUrl).toContain('kurrentdb://');
  });

  it('stops with one message naming each bad variable', () => {
    let error: unknown;
    try {
      loadConfig({ PORT: 'eighty', HRU_ALERT_ACK_SLA: 'soon', REDIS_URL: 'http://x', HRU_SOURCE_KEYS: 'niche' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigurationError);
    const message = (error as Error).message;
    expect(message.split('\n')).toHaveLength(1);
    for (const name of ['PORT', 'HRU_ALERT_ACK_SLA', 'REDIS_URL', 'HRU_SOURCE_KEYS']) expect(message).toContain(name);
    expect(message).toContain('"soon"');
  });
});

describe('identity provider configuration', () => {
  it('refuses a JWKS without a pinned issuer and audience (a shared key set would admit other tenants)', () => {
    expect(() => loadConfig({ HRU_JWKS_URL: 'https://idp.example/jwks' })).toThrow(/HRU_JWT_ISSUER.*HRU_JWT_AUDIENCE|HRU_JWT_AUDIENCE.*HRU_JWT_ISSUER/);
    const config = loadConfig({ HRU_JWKS_URL: 'https://idp.example/jwks', HRU_JWT_ISSUER: 'https://idp.example', HRU_JWT_AUDIENCE: 'hru' });
    expect(config).toMatchObject({ jwtIssuer: 'https://idp.example', jwtAudience: 'hru' });
  });
});
