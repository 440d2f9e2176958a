import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { plainToInstance, Transform } from 'class-transformer';
import {
  getMetadataStorage,
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUrl,
  Matches,
  Max,
  Min,
  MinLength,
  ValidateBy,
  validateSync,
} from 'class-validator';
import { parse as parseEnvFile } from 'dotenv';
import { DEFAULT_STREAM_PREFIX } from '@placement/event-store';
import { parseApiTokens, parseRevokedDigests, TokenConfigError } from '../auth/token-config';
import { parseTrustProxy, type TrustProxy } from './trust-proxy';

/**
 * `true`/`false` (any case) or `1`/`0`; anything else is kept as given so validation refuses
 * it by name: a misspelt `SEED_DEMO_ESTATE=yes` must stop the start, not read as false.
 */
const StrictBoolean = () =>
  Transform(({ value }: { value: unknown }) => {
    if (typeof value !== 'string') return value;
    const word = value.trim().toLowerCase();
    if (word === 'true' || word === '1') return true;
    if (word === 'false' || word === '0') return false;
    return value;
  });
const BOOLEAN_MESSAGE = '$property must be true or false (or 1 or 0), got "$value"';

/**
 * The API's configuration, validated once at start-up: a wrong value stops the process
 * with one clear message rather than surfacing later as a 500.
 */
export class Environment {
  @IsIn(['development', 'test', 'production'])
  NODE_ENV: 'development' | 'test' | 'production' = 'development';

  @Transform(({ value }) => Number(value))
  @IsInt()
  @Min(0)
  @Max(65535)
  PORT = 3000;

  @IsString()
  HOST = '0.0.0.0';

  @IsIn(['sqlite', 'eventstoredb'])
  EVENT_STORE: 'sqlite' | 'eventstoredb' = 'sqlite';

  @IsString()
  @MinLength(1)
  SQLITE_PATH = './data/events.db';

  /** Read models live in their own SQLite file, separate from the event log. */
  @IsString()
  @MinLength(1)
  READ_MODEL_PATH = './data/read-models.db';

  /**
   * Who read which child's record: its own append-only, hash-chained SQLite file, apart from the
   * event log. Default: access-log.db beside SQLITE_PATH (see accessLogPathOf).
   */
  @IsOptional()
  @IsString()
  @MinLength(1)
  ACCESS_LOG_PATH?: string;

  @IsOptional()
  @IsString()
  ESDB_CONNECTION_STRING?: string;

  /**
   * Every stream this engine writes in EventStoreDB starts with this prefix, and its $all
   * subscription is filtered to it on the server: other applications sharing the cluster
   * never reach the projections. Letters, digits and `_ . : -`; never a leading `$`.
   */
  @Matches(/^[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}$/, {
    message: '$property must be 1-64 letters, digits, _ . : or - (not starting with $ or a symbol)',
  })
  ESDB_STREAM_PREFIX = DEFAULT_STREAM_PREFIX;

  /**
   * Express `trust proxy`: unset (off), a hop count, or the reverse proxies' addresses/subnets.
   * Behind a council's reverse proxy every client otherwise has the proxy's address, and so
   * shares one failed-authentication bucket with everyone else.
   */
  @IsOptional()
  @ValidateBy({
    name: 'isTrustProxy',
    validator: {
      validate: (v) => typeof v === 'string' && parseTrustProxy(v).ok,
      defaultMessage: (args) => {
        const value: unknown = args?.value;
        const parsed = parseTrustProxy(typeof value === 'string' ? value : undefined);
        return parsed.ok ? 'must be a string' : parsed.why;
      },
    },
  })
  TRUST_PROXY?: string;

  /**
   * Production tokens: a JSON array of { "sha256": hex, "actorId", "role", "settingIds"?, "expiresAt"? }.
   * Only hashes are configured, so a leaked config file does not leak a usable token.
   */
  @IsOptional()
  @IsString()
  API_TOKENS?: string;

  /** Token hashes revoked before their expiry: comma-separated SHA-256 hex. */
  @IsOptional()
  @IsString()
  REVOKED_TOKEN_SHA256?: string;

  /** Outside production, an empty store is seeded with the demo Rotherham estate on start. */
  @StrictBoolean()
  @IsBoolean({ message: BOOLEAN_MESSAGE })
  SEED_DEMO_ESTATE = true;

  @Transform(({ value }) => Number(value))
  @IsInt()
  @Min(1)
  EMERGENCY_STAY_LIMIT_WORKING_DAYS = 6;

  /** Repairs after a crash wait this long for an in-flight command (seconds). */
  @Transform(({ value }) => Number(value))
  @IsInt()
  @Min(0)
  RECONCILE_GRACE_SECONDS = 120;

  /** At start-up nothing of this process is in flight; with several replicas set it like RECONCILE_GRACE_SECONDS. */
  @Transform(({ value }) => Number(value))
  @IsInt()
  @Min(0)
  RECONCILE_STARTUP_GRACE_SECONDS = 0;

  /** How often the reconciler runs after start-up; 0 turns the periodic run off. */
  @Transform(({ value }) => Number(value))
  @IsInt()
  @Min(0)
  RECONCILE_INTERVAL_SECONDS = 60;

  /** The least severe level written (Nest's names: `verbose` < `debug` < `log` < `warn` < `error` < `fatal`). */
  @IsIn(['log', 'error', 'warn', 'debug', 'verbose', 'fatal'])
  LOG_LEVEL: 'log' | 'error' | 'warn' | 'debug' | 'verbose' | 'fatal' = 'log';

  /**
   * Signs the board's session cookie (at least 32 characters). Required in production; elsewhere a
   * random one is made at start (signing everyone out at each restart).
   */
  @IsOptional()
  @IsString()
  @MinLength(32, { message: 'SESSION_SECRET must be at least 32 characters' })
  SESSION_SECRET?: string;

  /** The board's sessions: their own SQLite file. Default: sessions.db beside SQLITE_PATH. */
  @IsOptional()
  @IsString()
  @MinLength(1)
  SESSION_PATH?: string;

  /** A session ends after this many minutes without a request. */
  @Transform(({ value }) => Number(value))
  @IsInt()
  @Min(5)
  @Max(24 * 60)
  SESSION_MAX_AGE_MINUTES = 480;

  /** OpenID Connect sign-in for the board: the issuer's URL (discovery at /.well-known/openid-configuration). */
  @IsOptional()
  @IsUrl({ require_tld: false, require_protocol: true, protocols: ['https', 'http'] })
  OIDC_ISSUER?: string;

  @IsOptional()
  @IsString()
  @MinLength(1)
  OIDC_CLIENT_ID?: string;

  @IsOptional()
  @IsString()
  @MinLength(1)
  OIDC_CLIENT_SECRET?: string;

  /** The callback registered with the provider: this service's https://…/sign-in/callback. */
  @IsOptional()
  @IsUrl({ require_tld: false, require_protocol: true, protocols: ['https', 'http'] })
  OIDC_REDIRECT_URI?: string;

  /** The ID token claim that names the person's role (one of the four role names). */
  @IsString()
  @Matches(/^[A-Za-z0-9_:./-]{1,128}$/)
  OIDC_ROLE_CLAIM = 'roles';

  /** The ID token claim that lists a residential manager's homes (setting ids). */
  @IsString()
  @Matches(/^[A-Za-z0-9_:./-]{1,128}$/)
  OIDC_SETTINGS_CLAIM = 'setting_ids';

  /**
   * `/health/ready` answers 503 while the oldest event the read models have not applied was
   * recorded longer ago than this (seconds): a replica that is still rebuilding, or whose
   * projections are stuck, takes no traffic. `/health/live` ignores it.
   */
  @Transform(({ value }) => Number(value))
  @IsInt()
  @Min(1)
  READY_MAX_PROJECTION_LAG_SECONDS = 30;

  /**
   * An open event stream (capacity, alerts) sends a `: keep-alive` comment this often (seconds),
   * so proxies keep it open; a comment has no `id`, so it never moves a client's Last-Event-ID.
   */
  @Transform(({ value }) => Number(value))
  @IsInt()
  @Min(1)
  SSE_KEEP_ALIVE_SECONDS = 15;

  /**
   * Where the ONS geography lives (seeds, distances); unset, `reference-data/` is looked for
   * above the code. Read from the environment where it is used, listed here to be documented.
   */
  @IsOptional()
  @IsString()
  REFERENCE_DATA_DIR?: string;

  /** Largest request body accepted, in bytes; larger bodies are refused before parsing. */
  @Transform(({ value }) => Number(value))
  @IsInt()
  @Min(1024)
  MAX_BODY_BYTES = 256 * 1024;
}

/** Every variable the schema above knows, in declaration order (read from its validation decorators). */
export function configVariables(): string[] {
  const metadata = getMetadataStorage().getTargetValidationMetadatas(Environment, '', true, false);
  return [...new Set(metadata.map((m) => m.propertyName))];
}

/** The variables of an env file (dotenv syntax), or none when there is no such file. */
export function readEnvFile(file: string): Record<string, string> {
  return existsSync(file) ? parseEnvFile(readFileSync(file)) : {};
}

/**
 * Sets each variable of the env file that the environment does not already have: what the
 * process was started with wins, as with every dotenv loader. Returns the names it set.
 */
export function applyEnvFile(file: string, target: Record<string, string | undefined> = process.env): string[] {
  const applied: string[] = [];
  for (const [name, value] of Object.entries(readEnvFile(file))) {
    if (target[name] !== undefined) continue;
    target[name] = value;
    applied.push(name);
  }
  return applied;
}

export function validateEnvironment(raw: Record<string, unknown>): Environment {
  const picked: Record<string, unknown> = {};
  for (const key of configVariables()) {
    if (raw[key] !== undefined && raw[key] !== '') picked[key] = raw[key];
  }
  const env = plainToInstance(Environment, picked, { exposeDefaultValues: true });
  const errors = validateSync(env, { whitelist: true });
  const lines = errors.map((e) => `${e.property}: ${Object.values(e.constraints ?? {}).join('; ')}`);
  // A malformed token entry stops start-up (a skipped revocation would leave a leaked token working).
  for (const check of [() => parseApiTokens(env.API_TOKENS), () => parseRevokedDigests(env.REVOKED_TOKEN_SHA256)]) {
    try {
      check();
    } catch (error) {
      if (!(error instanceof TokenConfigError)) throw error;
      lines.push(...error.problems);
    }
  }
  if (lines.length > 0) throw new Error(`Invalid configuration:\n  ${lines.join('\n  ')}`);
  if (env.EVENT_STORE === 'eventstoredb' && !env.ESDB_CONNECTION_STRING) {
    throw new Error('Invalid configuration:\n  ESDB_CONNECTION_STRING is required when EVENT_STORE=eventstoredb');
  }
  const late: string[] = [];
  if (env.NODE_ENV === 'production' && !env.API_TOKENS)
    late.push('API_TOKENS is required in production (demo tokens are refused there)');
  late.push(...webProblems(env));
  if (late.length > 0) throw new Error(`Invalid configuration:\n  ${late.join('\n  ')}`);
  return env;
}

/** The board's settings that only make sense together. */
function webProblems(env: Environment): string[] {
  const problems: string[] = [];
  const oidc = ['OIDC_ISSUER', 'OIDC_CLIENT_ID', 'OIDC_CLIENT_SECRET', 'OIDC_REDIRECT_URI'] as const;
  const set = oidc.filter((key) => env[key] !== undefined);
  if (set.length > 0 && set.length < oidc.length)
    problems.push(`${oidc.filter((key) => env[key] === undefined).join(', ')}: required with ${set.join(', ')}`);
  if (env.NODE_ENV === 'production') {
    if (!env.SESSION_SECRET) problems.push('SESSION_SECRET is required in production (it signs the session cookie)');
    for (const key of ['OIDC_ISSUER', 'OIDC_REDIRECT_URI'] as const)
      if (env[key] !== undefined && !env[key].startsWith('https://'))
        problems.push(`${key} must be https in production`);
  }
  return problems;
}

/** The board's sessions' file: SESSION_PATH, or sessions.db in the event log's folder. */
export function sessionPathOf(env: Pick<Environment, 'SESSION_PATH' | 'SQLITE_PATH'>): string {
  return env.SESSION_PATH ?? path.join(path.dirname(env.SQLITE_PATH), 'sessions.db');
}

/** The access log's file: ACCESS_LOG_PATH, or access-log.db in the event log's folder. */
export function accessLogPathOf(env: Pick<Environment, 'ACCESS_LOG_PATH' | 'SQLITE_PATH'>): string {
  return env.ACCESS_LOG_PATH ?? path.join(path.dirname(env.SQLITE_PATH), 'access-log.db');
}

/** The validated TRUST_PROXY as Express takes it. */
export function trustProxyOf(env: Environment): TrustProxy {
  const parsed = parseTrustProxy(env.TRUST_PROXY);
  if (!parsed.ok) throw new Error(`Invalid configuration:\n  TRUST_PROXY: ${parsed.why}`);
  return parsed.value;
}
