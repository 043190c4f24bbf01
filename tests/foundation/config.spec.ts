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

  it('takes a KurrentDB cluster as a list of nodes, a discovery name, or one node; refuses anything else', () => {
    for (const url of ['kurrentdb://k1:2113,k2:2113,k3:2113?tls=true', 'kurrentdb+discover://cluster.internal:2113', 'esdb://admin:changeit@127.0.0.1:2113?tls=false']) {
      expect(loadConfig({ EVENTSTORE_URL: url }).eventStoreUrl).toBe(url);
    }
    for (const url of ['http://k1:2113', 'kurrentdb://', 'kurrentdb://k1:2113, k2:2113']) expect(() => loadConfig({ EVENTSTORE_URL: url }), url).toThrow(/EVENTSTORE_URL/);
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

  it('names the owning force (police by default), refusing a blank name in one line', () => {
    expect(loadConfig({}).owningAgency).toBe('police');
    expect(loadConfig({ HRU_OWNING_AGENCY: 'west-mercia-police' }).owningAgency).toBe('west-mercia-police');
    expect(() => loadConfig({ HRU_OWNING_AGENCY: '   ' })).toThrow(/^[^\n]*HRU_OWNING_AGENCY[^\n]*$/);
  });
});

describe('identity provider configuration', () => {
  it('refuses a JWKS without a pinned issuer and audience (a shared key set would admit other tenants)', () => {
    expect(() => loadConfig({ HRU_JWKS_URL: 'https://idp.example/jwks' })).toThrow(/HRU_JWT_ISSUER.*HRU_JWT_AUDIENCE|HRU_JWT_AUDIENCE.*HRU_JWT_ISSUER/);
    const config = loadConfig({ HRU_JWKS_URL: 'https://idp.example/jwks', HRU_JWT_ISSUER: 'https://idp.example', HRU_JWT_AUDIENCE: 'hru' });
    expect(config).toMatchObject({ jwtIssuer: 'https://idp.example', jwtAudience: 'hru' });
  });
});

describe('tamper evidence configuration', () => {
  it('has hourly anchors, five-minute checks and a daily full check by default, the chain key and sink unset', () => {
    expect(loadConfig({})).toMatchObject({ chainKey: undefined, anchorSink: undefined, anchorIntervalMs: 3_600_000, verifyIntervalMs: 300_000, fullVerifyIntervalMs: 86_400_000 });
  });

  it('takes a file or webhook sink, durations and a long enough key', () => {
    const config = loadConfig({
      HRU_CHAIN_KEY: 'k'.repeat(32),
      HRU_ANCHOR_SINK: 'file:///mnt/audit/anchors.jsonl',
      HRU_ANCHOR_INTERVAL: '15m',
      HRU_VERIFY_INTERVAL: '30s',
    });
    expect(config).toMatchObject({ chainKey: 'k'.repeat(32), anchorSink: 'file:///mnt/audit/anchors.jsonl', anchorIntervalMs: 900_000, verifyIntervalMs: 30_000 });
    expect(loadConfig({ HRU_ANCHOR_SINK: 'https://anchors.example/hru' }).anchorSink).toBe('https://anchors.example/hru');
  });

  it('refuses a short key, a sink of another kind, a file URL without a file, and a bad interval', () => {
    expect(() => loadConfig({ HRU_CHAIN_KEY: 'short' })).toThrow(/HRU_CHAIN_KEY/);
    expect(() => loadConfig({ HRU_ANCHOR_SINK: 'ftp://x/anchors' })).toThrow(/HRU_ANCHOR_SINK/);
    expect(() => loadConfig({ HRU_ANCHOR_SINK: 'file:///' })).toThrow(/HRU_ANCHOR_SINK/);
    expect(() => loadConfig({ HRU_VERIFY_INTERVAL: 'often' })).toThrow(/HRU_VERIFY_INTERVAL/);
  });
});

describe('security settings', () => {
  it('are secure by default', () => {
    expect(loadConfig({})).toMatchObject({
      devSignIn: false,
      allowLocalTokens: false,
      production: false,
      maxTokenLifetimeMs: 12 * 3_600_000,
      maxStreamsPerSubject: 5,
      authFailuresPerMinute: 20,
    });
  });

  it('take switches spelled true or false, and refuse contradictions, one line naming each variable', () => {
    expect(loadConfig({ HRU_DEV_SIGN_IN: 'true', HRU_MAX_TOKEN_LIFETIME: '1h', HRU_AUTH_FAILURES_PER_MINUTE: '5', HRU_MAX_STREAMS_PER_SUBJECT: '2' })).toMatchObject({
      devSignIn: true,
      maxTokenLifetimeMs: 3_600_000,
      authFailuresPerMinute: 5,
      maxStreamsPerSubject: 2,
    });
    const idp = { HRU_JWKS_URL: 'https://idp.example/jwks.json', HRU_JWT_ISSUER: 'https://idp.example', HRU_JWT_AUDIENCE: 'hru' };
    for (const [env, name] of [
      [{ HRU_ALLOW_LOCAL_TOKENS: '1' }, 'HRU_ALLOW_LOCAL_TOKENS'],
      [{ HRU_MAX_TOKEN_LIFETIME: 'forever' }, 'HRU_MAX_TOKEN_LIFETIME'],
      [{ HRU_AUTH_FAILURES_PER_MINUTE: '0' }, 'HRU_AUTH_FAILURES_PER_MINUTE'],
      [{ NODE_ENV: 'production' }, 'HRU_JWKS_URL'],
      [{ NODE_ENV: 'production', HRU_ALLOW_LOCAL_TOKENS: 'true', HRU_DEV_SIGN_IN: 'true' }, 'HRU_DEV_SIGN_IN'],
      [{ ...idp, HRU_ALLOW_LOCAL_TOKENS: 'true' }, 'HRU_ALLOW_LOCAL_TOKENS'],
    ] as const) {
      let message = '';
      try {
        loadConfig(env);
      } catch (e) {
        message = (e as Error).message;
      }
      expect(message, JSON.stringify(env)).toContain(name);
      expect(message.split('\n')).toHaveLength(1);
    }
    expect(loadConfig({ NODE_ENV: 'production', ...idp }).production).toBe(true);
  });
});

