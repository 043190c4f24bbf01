/** The engine's configuration: the environment of ARCHITECTURE.md §4, validated once at start. */
import { z } from 'zod';
import {
  ConfigurationError,
  fieldErrorsOf,
  harmKindSchema,
  mopiGroupSchema,
  problemBehaviourSchema,
  riskIndicatorSchema,
  serviceSchema,
} from '@hru/events';
import { parseDuration } from './duration.js';
import { decodePseudonymKey } from './research/pseudonym-key.js';
import { checkOidcEnv, oidcClientConfig, oidcEnvSchema, type OidcClientConfig } from './auth/oidc-config.js';

const duration = z
  .string()
  .transform((text, ctx) => {
    const ms = parseDuration(text);
    if (ms === undefined || ms <= 0) {
      ctx.addIssue({ code: 'custom', message: `expected a duration such as 30s, 15m or 2h, got "${text}"` });
      return z.NEVER;
    }
    return ms;
  });

/** `true` or `false`, spelled out: a security switch must not turn on by a typo such as `yes` or `1`. */
const flag = z.enum(['true', 'false'], { error: 'expected true or false' }).transform((text) => text === 'true');

const commaList = z.string().transform((text) => text.split(',').map((s) => s.trim()).filter(Boolean));

const sourceKeys = z.string().transform((text, ctx) => {
  const keys = new Map<string, string>();
  for (const pair of text.split(',').map((s) => s.trim()).filter(Boolean)) {
    const at = pair.indexOf('=');
    const system = pair.slice(0, at).trim();
    const key = pair.slice(at + 1).trim();
    if (at <= 0 || !/^[a-z0-9][a-z0-9_-]{0,39}$/.test(system) || key.length < 16) {
      ctx.addIssue({ code: 'custom', message: 'expected system=key pairs (system in lower case, key of 16+ characters)' });
      return z.NEVER;
    }
    keys.set(system, key);
  }
  return keys;
});

const url = (protocols: string[]) =>
  z.string().refine((text) => {
    try {
      return protocols.includes(new URL(text).protocol);
    } catch {
      return false;
    }
  }, `expected a URL starting with ${protocols.map((p) => p + '//').join(' or ')}`);

/**
 * A KurrentDB/EventStoreDB connection string: a scheme, then one host or a comma-separated list of a cluster's nodes
 * (`kurrentdb://k1:2113,k2:2113,k3:2113?tls=true`), which a URL parser refuses (a port cannot hold a comma); the
 * client checks the rest when it connects.
 */
const kurrentConnectionString = z
  .string()
  .regex(
    /^(?:kurrentdb|esdb|kdb)(?:\+discover)?:\/\/(?:[^\s@/?#]+@)?[A-Za-z0-9.[\]:_-]+(?::\d+)?(?:,[A-Za-z0-9.[\]:_-]+(?::\d+)?)*\/?(?:\?\S*)?$/,
    'expected a connection string such as kurrentdb://host:2113?tls=true, kurrentdb://k1:2113,k2:2113,k3:2113 or kurrentdb+discover://cluster:2113',
  );

/** A variable holding JSON, parsed and then checked against `schema`. */
const jsonOf = <S extends z.ZodType>(schema: S) =>
  z
    .string()
    .transform((text, ctx) => {
      try {
        return JSON.parse(text) as unknown;
      } catch {
        ctx.addIssue({ code: 'custom', message: 'expected JSON' });
        return z.NEVER;
      }
    })
    .pipe(schema);

/**
 * A variable holding a JSON object that a package infra does not depend on checks in full at start (the clock
 * table, the RFG score's settings): here only that it is one, and kept as the text.
 */
const jsonObjectText = (message: string) =>
  z
    .string()
    .max(20_000)
    .refine((text) => {
      try {
        const value: unknown = JSON.parse(text);
        return typeof value === 'object' && value !== null && !Array.isArray(value);
      } catch {
        return false;
      }
    }, message)
    .optional();

/**
 * Where the engine anchors the log digest: `file:///abs/path` (JSON lines, appended) or an http(s) webhook.
 * A file URL must be absolute; the README says to put it on another mount than the data dir.
 */
const anchorSink = url(['file:', 'https:', 'http:']).refine((text) => !text.startsWith('file:') || new URL(text).pathname.length > 1, 'a file URL names a file, e.g. file:///mnt/audit/anchors.jsonl');

const percent = z.number().min(0).max(100);

/** A published outcome comparison the unit's rates are set against (seed, Table 1); it varies by force. */
export const outcomeComparatorSchema = z.strictObject({
  label: z.string().trim().min(1).max(200),
  chargedPct: percent,
  cautionedPct: percent,
  victimWithdrawalPct: percent.optional(),
});
export type OutcomeComparatorConfig = z.output<typeof outcomeComparatorSchema>;

const money = z.number().nonnegative().max(100_000_000);

const sourceText = z.string().trim().min(1).max(300);

/** A financial year, `2015/16`: the year the unit costs of crime are priced in, and the reporting year. */
export const priceYearSchema = z
  .string()
  .regex(/^\d{4}\/\d{2}$/, 'expected a financial year such as 2015/16')
  .refine((y) => (Number(y.slice(0, 4)) + 1) % 100 === Number(y.slice(5)), 'expected consecutive years, such as 2015/16');

/**
 * One harm's unit cost per perspective and component (what the Home Office tables split it into). A component left
 * out keeps its default; `priceYear` is the year the figures given here are priced in.
 */
const harmCostOverrideSchema = z.strictObject({
  source: sourceText.optional(),
  priceYear: priceYearSchema.optional(),
  state: z.strictObject({ police: money, courts: money, health: money }).partial().optional(),
  victim: z.strictObject({ physical_emotional: money, lost_output: money }).partial().optional(),
  society: z.strictObject({ wider: money }).partial().optional(),
});

/** Shares of a re-offence by harm, summing to 1: what one avoided re-offence would have been. */
const harmMixSchema = z
  .partialRecord(harmKindSchema, z.number().gt(0).max(1))
  .refine((mix) => Math.abs(Object.values(mix).reduce((a: number, b) => a + (b ?? 0), 0) - 1) < 1e-9, 'the shares must sum to 1');

/** Overrides of the value-for-money unit costs (defaults and their sources: projections/src/value-for-money). */
export const unitCostOverridesSchema = z.strictObject({
  /** Where the overriding figures come from; shown beside each overridden figure. */
  source: sourceText.optional(),
  staffHourByAgency: z.record(z.string().min(1).max(100), money).optional(),
  otherAgenciesStaffHour: money.optional(),
  crimeByProblemBehaviour: z.partialRecord(problemBehaviourSchema, money).optional(),
  baselineReoffendingPct: percent.optional(),
  /** The ends of the baseline rate's plausible range: the best case takes the low end, the worst case the high. */
  baselineReoffendingRange: z
    .strictObject({ low: percent, high: percent })
    .refine((r) => r.low <= r.high, { message: '`low` must not be above `high`', path: ['high'] })
    .optional(),
  harmCosts: z.partialRecord(harmKindSchema, harmCostOverrideSchema).optional(),
  /** Price index by financial year (any base): figures are uplifted by index[reportingYear] / index[priceYear]. */
  priceIndex: z.record(priceYearSchema, z.number().positive().max(10_000)).optional(),
  /** The year whose prices the value for money is reported in. */
  reportingYear: priceYearSchema.optional(),
  /** Per problem behaviour, the harms one avoided re-offence stands for in the best and in the worst case. */
  harmMix: z.partialRecord(problemBehaviourSchema, z.strictObject({ best_case: harmMixSchema, worst_case: harmMixSchema })).optional(),
});
export type UnitCostOverrides = z.output<typeof unitCostOverridesSchema>;


/** A key-encryption key: base64 of exactly 32 bytes (`openssl rand -base64 32`). */
const masterKey = z
  .string()
  .trim()
  .refine((text) => /^[A-Za-z0-9+/_-]+={0,2}$/.test(text) && Buffer.from(text, 'base64').length === 32, {
    message: 'must be base64 of exactly 32 bytes (openssl rand -base64 32)',
  });
/** What puts a case in a MoPI group (the rule and its default: workflows/src/retention/mopi-table.ts). */
const mopiCriteriaSchema = z.strictObject({
  problemBehaviours: z.array(problemBehaviourSchema).max(10),
  principalOffenceCodes: z.array(z.string().min(1).max(16)).max(200),
  indicators: z.array(riskIndicatorSchema).max(20),
  services: z.array(serviceSchema).max(10),
});
const reviewYears = z.number().int().min(1).max(100);

/** HRU_RETENTION_TABLE: the whole MoPI table (review years per group, disposable groups, group 1 and 2 criteria). */
export const retentionTableSchema = z.strictObject({
  reviewYears: z.strictObject({ '1': reviewYears, '2': reviewYears, '3': reviewYears }),
  disposableGroups: z.array(mopiGroupSchema).max(3),
  group1: mopiCriteriaSchema,
  group2: mopiCriteriaSchema,
});
export type RetentionTableConfig = z.output<typeof retentionTableSchema>;

export const configSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65_535).default(3000),
  HOST: z.string().min(1).default('127.0.0.1'),
  HRU_DATA_DIR: z.string().min(1).default('./.data'),
  HRU_READ_MODELS_FILE: z.string().trim().min(1).max(4_096).optional(),
  EVENTSTORE_URL: kurrentConnectionString.optional(),
  REDIS_URL: url(['redis:', 'rediss:']).default('redis://127.0.0.1:6379'),
  HRU_JWT_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  HRU_JWKS_URL: url(['https:', 'http:']).optional(),
  HRU_JWT_ISSUER: z.string().min(1).max(500).optional(),
  HRU_JWT_AUDIENCE: z.string().min(1).max(500).optional(),
  ...oidcEnvSchema,
  HRU_OIDC_RESOURCE_INDICATOR: flag.default(true),
  /** The pasted-token sign-in form; default: offered only when no OpenID provider is configured. */
  HRU_SIGN_IN_TOKEN_FORM: flag.optional(),
  HRU_SOURCE_KEYS: sourceKeys.default(new Map()),
  HRU_ALERT_WEBHOOK_URL: commaList.pipe(z.array(url(['https:', 'http:']))).default([]),
  HRU_ALERT_WEBHOOK_SECRET: z.string().min(16, 'must be at least 16 characters').optional(),
  HRU_PUBLIC_URL: url(['https:', 'http:']).optional(),
  HRU_ALERT_ACK_SLA: duration.default(15 * 60_000),
  HRU_ALERT_ESCALATION_TIERS: commaList
    .pipe(z.array(z.string().regex(/^[a-z][a-z0-9_]{0,39}$/, 'tier names in lower case, e.g. duty_inspector')).min(1).max(10))
    .default(['detective_sergeant', 'duty_inspector', 'superintendent']),
  HRU_CHAIN_KEY: z.string().min(32, 'must be at least 32 characters').optional(),
  HRU_MASTER_KEY: masterKey.optional(),
  HRU_MASTER_KEY_PREVIOUS: masterKey.optional(),
  /** A PostgreSQL database for the data keys, shared by engine processes on several hosts; unset: `keys.sqlite`. */
  HRU_KEY_STORE_URL: url(['postgres:', 'postgresql:']).optional(),
  HRU_BLIND_INDEX_KEY: z
    .string()
    .superRefine((text, ctx) => {
      const key = decodePseudonymKey(text);
      if (typeof key === 'string') ctx.addIssue({ code: 'custom', message: key });
    })
    .optional(),
  HRU_PSEUDONYM_KEY: z
    .string()
    .superRefine((text, ctx) => {
      const key = decodePseudonymKey(text);
      if (typeof key === 'string') ctx.addIssue({ code: 'custom', message: key });
    })
    .optional(),
  HRU_ANCHOR_SINK: anchorSink.optional(),
  HRU_ANCHOR_INTERVAL: duration.default(60 * 60_000),
  HRU_VERIFY_INTERVAL: duration.default(5 * 60_000),
  HRU_FULL_VERIFY_INTERVAL: duration.default(24 * 60 * 60_000),
  HRU_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).default(6_000),
  HRU_AUTH_FAILURES_PER_MINUTE: z.coerce.number().int().min(1).default(20),
  HRU_MAX_TOKEN_LIFETIME: duration.default(12 * 3_600_000),
  HRU_MAX_STREAMS_PER_SUBJECT: z.coerce.number().int().min(1).max(1_000).default(5),
  HRU_OWNING_AGENCY: z.string().trim().min(1, 'must name an agency').max(100).default('police'),
  HRU_DEV_SIGN_IN: flag.default(false),
  HRU_ALLOW_LOCAL_TOKENS: flag.default(false),
  NODE_ENV: z.string().optional(),
  HRU_OUTCOME_COMPARATOR: jsonOf(outcomeComparatorSchema).optional(),
  HRU_UNIT_COSTS: jsonOf(unitCostOverridesSchema).default({}),
  HRU_RETENTION_TABLE: jsonOf(retentionTableSchema).optional(),
  /**
   * Changes to the statutory clocks (JSON, workflows/src/calendar/clock-rules.ts). Checked here as JSON; the clock
   * table's own schema checks it when the engine builds its clocks at start (infra does not depend on workflows).
   */
  HRU_CLOCKS: jsonObjectText('must be a JSON object of clock changes'),
  /**
   * Overrides of the RFG(V) perpetrator score's bands, weights and windows (JSON, projections/src/perpetrators/
   * rfg-config.ts). Checked here as a JSON object; the score's own schema checks it when the API starts.
   */
  HRU_RFG: jsonObjectText('must be a JSON object of RFG score settings'),
  /** Whose bank holidays make the working days of the clocks. */
  HRU_HOLIDAY_REGION: z.enum(['england-and-wales', 'scotland', 'northern-ireland']).default('england-and-wales'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

/**
 * Cross-field rules: an identity provider's key set may sign tokens for other applications and tenants
 * too, so a JWKS without a pinned issuer and audience would admit them; refuse to start instead.
 */
const checkedConfigSchema = configSchema.superRefine((c, ctx) => {
  const issue = (path: string, message: string) => ctx.addIssue({ code: 'custom', path: [path], message });
  checkOidcEnv(c, issue);
  // An OpenID provider brings its issuer, audience and (by discovery) its key set, so it stands for HRU_JWKS_URL.
  const identityProvider = c.HRU_JWKS_URL ? 'HRU_JWKS_URL' : c.HRU_OIDC_ISSUER ? 'HRU_OIDC_ISSUER' : undefined;
  if (c.HRU_JWKS_URL && !c.HRU_JWT_ISSUER && !c.HRU_OIDC_ISSUER) issue('HRU_JWT_ISSUER', 'required with HRU_JWKS_URL (the issuer its tokens must carry)');
  if (c.HRU_JWKS_URL && !c.HRU_JWT_AUDIENCE && !c.HRU_OIDC_AUDIENCE) issue('HRU_JWT_AUDIENCE', 'required with HRU_JWKS_URL (the audience its tokens must carry)');
  // Secure by default: production trusts the force's identity provider only; a local secret is an explicit choice.
  const production = c.NODE_ENV === 'production';
  if (production && !identityProvider && !c.HRU_ALLOW_LOCAL_TOKENS) {
    issue('HRU_JWKS_URL', 'required when NODE_ENV=production, or HRU_OIDC_ISSUER (set HRU_ALLOW_LOCAL_TOKENS=true to accept tokens signed with the local secret instead)');
  }
  // Contradictions are refused rather than one setting silently winning.
  if (identityProvider && c.HRU_ALLOW_LOCAL_TOKENS) issue('HRU_ALLOW_LOCAL_TOKENS', `cannot be used with ${identityProvider} (its tokens replace local ones)`);
  if (c.HRU_DEV_SIGN_IN && production) issue('HRU_DEV_SIGN_IN', 'not allowed when NODE_ENV=production');
  if (c.HRU_PSEUDONYM_KEY && c.HRU_PSEUDONYM_KEY === c.HRU_CHAIN_KEY) issue('HRU_PSEUDONYM_KEY', 'must not be the chain key (HRU_CHAIN_KEY): give each purpose its own key');
  // The same bytes under two purposes would let whoever holds one key derive the other's results.
  const sameBytes = (a: string | undefined, b: string | undefined) => a !== undefined && b !== undefined && Buffer.from(a, 'base64').equals(Buffer.from(b, 'base64'));
  if (sameBytes(c.HRU_BLIND_INDEX_KEY, c.HRU_PSEUDONYM_KEY) || sameBytes(c.HRU_BLIND_INDEX_KEY, c.HRU_MASTER_KEY)) issue('HRU_BLIND_INDEX_KEY', 'must not be the pseudonym or master key: give each purpose its own key');
  if (sameBytes(c.HRU_PSEUDONYM_KEY, c.HRU_MASTER_KEY)) issue('HRU_PSEUDONYM_KEY', 'must not be the master key (HRU_MASTER_KEY): give each purpose its own key');
  if (c.HRU_MASTER_KEY && c.HRU_MASTER_KEY === c.HRU_MASTER_KEY_PREVIOUS) issue('HRU_MASTER_KEY_PREVIOUS', 'is the same key as HRU_MASTER_KEY: a rotation needs a new key');
  // A generated key-encryption key lives in one host's data dir: the other hosts sharing the key store could not unwrap.
  if (c.HRU_KEY_STORE_URL && !c.HRU_MASTER_KEY) issue('HRU_MASTER_KEY', 'required with HRU_KEY_STORE_URL (every host sharing the key store needs the same key-encryption key)');
  if (c.HRU_DEV_SIGN_IN && identityProvider) issue('HRU_DEV_SIGN_IN', `cannot be used with ${identityProvider} (local tokens are refused then)`);
});

export type EnvConfig = z.output<typeof configSchema>;

export interface Config {
  port: number;
  host: string;
  dataDir: string;
  /**
   * HRU_READ_MODELS_FILE: this process's read-model database, a path relative to the data dir unless absolute;
   * unset = `read-models.sqlite` there. Two API nodes on one data dir each name their own (each keeps its own
   * read models, fed by its own subscriptions).
   */
  readModelsFile: string | undefined;
  eventStoreUrl: string | undefined;
  redisUrl: string;
  jwtSecret: string | undefined;
  jwksUrl: string | undefined;
  /** The identity provider's `iss` and `aud`, checked on its tokens when set. */
  jwtIssuer: string | undefined;
  jwtAudience: string | undefined;
  /**
   * The OpenID provider the console signs staff in with (HRU_OIDC_*). Its tokens are verified against the key set
   * its discovery document names, unless HRU_JWKS_URL names one.
   */
  oidc: OidcClientConfig | undefined;
  /** Whether the console offers the pasted-token form (HRU_SIGN_IN_TOKEN_FORM; default: only without `oidc`). */
  signInTokenForm: boolean;
  sourceKeys: ReadonlyMap<string, string>;
  alertWebhookUrls: readonly string[];
  alertWebhookSecret: string | undefined;
  /** The engine's public base URL (links in alert webhooks); default `http://HOST:PORT`. */
  publicUrl: string;
  alertAckSlaMs: number;
  /** Who an alert goes to at each escalation level: level 0 when raised, then one tier up per missed SLA. */
  alertEscalationTiers: readonly string[];
  /** HRU_CHAIN_KEY: the key the hash chains are keyed with; unset = generated into the data dir (development). */
  chainKey: string | undefined;
  /**
   * HRU_MASTER_KEY: the key-encryption key wrapping every person's data key (base64 of 32 bytes); unset = generated
   * into the data dir (development). HRU_MASTER_KEY_PREVIOUS: the key before a rotation, re-wrapped away at start.
   */
  masterKey: { current: string | undefined; previous: string | undefined };
  /** HRU_KEY_STORE_URL: the shared PostgreSQL key store (postgres-key-store.ts); unset = `keys.sqlite` in the data dir. */
  keyStoreUrl: string | undefined;
  /** HRU_PSEUDONYM_KEY: base64, the research extract's pseudonym key; unset = generated into the data dir. */
  pseudonymKey: string | undefined;
  /** HRU_BLIND_INDEX_KEY: base64, the key of the name and person-reference search index; unset = generated into the data dir. */
  blindIndexKey: string | undefined;
  /** Where the log digest is anchored: a `file:` or `http(s):` URL; unset = `anchors.jsonl` in the data dir. */
  anchorSink: string | undefined;
  anchorIntervalMs: number;
  /** How often the integrity monitor verifies the events appended since its last check. */
  verifyIntervalMs: number;
  /** How often it verifies the whole log, against the anchors a file sink holds. */
  fullVerifyIntervalMs: number;
  /** Requests per minute per authenticated caller (or client address) before 429. */
  rateLimitPerMinute: number;
  /** Failed authentications a minute per client address, and per claimed identity, before 429. */
  authFailuresPerMinute: number;
  /** The longest a staff token may live (exp − iat, or exp − now); longer or unbounded tokens are refused. */
  maxTokenLifetimeMs: number;
  /** Live alert streams one subject may hold open at once. */
  maxStreamsPerSubject: number;
  /** The agency (token claim `agency`) of the owning force, whose staff read every referral. */
  owningAgency: string;
  /** POST /v1/dev/token (development sign-in): off unless asked for (`hru start --dev`). */
  devSignIn: boolean;
  /** Accept tokens signed with the local secret in production (NODE_ENV=production without HRU_JWKS_URL). */
  allowLocalTokens: boolean;
  /** NODE_ENV=production. */
  production: boolean;
  /** The comparator `/v1/stats/outcomes` reports beside the unit's rates, when configured. */
  outcomeComparator: OutcomeComparatorConfig | undefined;
  unitCostOverrides: UnitCostOverrides;
  /** The MoPI retention table; unset = the documented default (`defaultRetentionTable` of @hru/workflows). */
  retentionTable: RetentionTableConfig | undefined;
  /** HRU_CLOCKS as given (JSON); the engine reads it into the clock table. */
  clocksJson: string | undefined;
  /** HRU_RFG as given (JSON); the API reads it into the perpetrator score's configuration. */
  rfgJson: string | undefined;
  holidayRegion: EnvConfig['HRU_HOLIDAY_REGION'];
  logLevel: EnvConfig['LOG_LEVEL'];
}

/** Reads the configuration; a bad value throws one error naming each variable and what is wrong with it. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const present = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const result = checkedConfigSchema.safeParse(present);
  if (!result.success) {
    const errors = fieldErrorsOf(result.error).map((e) => ({ ...e, path: e.path.slice(1) }));
    throw new ConfigurationError(
      `Invalid configuration: ${errors.map((e) => `${e.path}: ${e.message}`).join('; ')}`,
      errors,
    );
  }
  const c = result.data;
  return {
    port: c.PORT,
    host: c.HOST,
    dataDir: c.HRU_DATA_DIR,
    readModelsFile: c.HRU_READ_MODELS_FILE,
    eventStoreUrl: c.EVENTSTORE_URL,
    redisUrl: c.REDIS_URL,
    jwtSecret: c.HRU_JWT_SECRET,
    jwksUrl: c.HRU_JWKS_URL,
    // The provider's own identifiers unless pinned apart (Entra ID's v1 access tokens name another issuer).
    jwtIssuer: c.HRU_JWT_ISSUER ?? c.HRU_OIDC_ISSUER,
    jwtAudience: c.HRU_JWT_AUDIENCE ?? c.HRU_OIDC_AUDIENCE,
    oidc: oidcClientConfig(c),
    signInTokenForm: c.HRU_SIGN_IN_TOKEN_FORM ?? !c.HRU_OIDC_ISSUER,
    sourceKeys: c.HRU_SOURCE_KEYS,
    alertWebhookUrls: c.HRU_ALERT_WEBHOOK_URL,
    alertWebhookSecret: c.HRU_ALERT_WEBHOOK_SECRET,
    publicUrl: c.HRU_PUBLIC_URL ?? `http://${c.HOST.includes(':') ? `[${c.HOST}]` : c.HOST}:${c.PORT}`,
    alertAckSlaMs: c.HRU_ALERT_ACK_SLA,
    alertEscalationTiers: c.HRU_ALERT_ESCALATION_TIERS,
    chainKey: c.HRU_CHAIN_KEY,
    masterKey: { current: c.HRU_MASTER_KEY, previous: c.HRU_MASTER_KEY_PREVIOUS },
    keyStoreUrl: c.HRU_KEY_STORE_URL,
    pseudonymKey: c.HRU_PSEUDONYM_KEY,
    blindIndexKey: c.HRU_BLIND_INDEX_KEY,
    anchorSink: c.HRU_ANCHOR_SINK,
    anchorIntervalMs: c.HRU_ANCHOR_INTERVAL,
    verifyIntervalMs: c.HRU_VERIFY_INTERVAL,
    fullVerifyIntervalMs: c.HRU_FULL_VERIFY_INTERVAL,
    rateLimitPerMinute: c.HRU_RATE_LIMIT_PER_MINUTE,
    authFailuresPerMinute: c.HRU_AUTH_FAILURES_PER_MINUTE,
    maxTokenLifetimeMs: c.HRU_MAX_TOKEN_LIFETIME,
    maxStreamsPerSubject: c.HRU_MAX_STREAMS_PER_SUBJECT,
    owningAgency: c.HRU_OWNING_AGENCY,
    devSignIn: c.HRU_DEV_SIGN_IN,
    allowLocalTokens: c.HRU_ALLOW_LOCAL_TOKENS,
    production: c.NODE_ENV === 'production',
    outcomeComparator: c.HRU_OUTCOME_COMPARATOR,
    unitCostOverrides: c.HRU_UNIT_COSTS,
    retentionTable: c.HRU_RETENTION_TABLE,
    clocksJson: c.HRU_CLOCKS,
    rfgJson: c.HRU_RFG,
    holidayRegion: c.HRU_HOLIDAY_REGION,
    logLevel: c.LOG_LEVEL,
  };
}
