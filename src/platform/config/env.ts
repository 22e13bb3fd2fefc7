import { randomBytes } from 'node:crypto';
import { isIP } from 'node:net';
import { Cron } from 'croner';

/**
 * Typed view of the process environment. Parsed once at start; every problem is collected so
 * that an operator sees the whole list at once instead of fixing one variable per restart.
 */
export interface Env {
  readonly port: number;
  readonly host: string;
  readonly databaseUrl: string | null;
  /** A streaming replica that list, timeline, report and analytics reads may be served from. */
  readonly databaseReadUrl: string | null;
  /** PostgreSQL itself when DATABASE_URL is a transaction-mode pooler: for LISTEN, which holds a session. */
  readonly databaseDirectUrl: string | null;
  /** A replica further behind than this serves no reads until it catches up. */
  readonly readReplicaMaxLagMs: number;
  readonly dataDir: string;
  readonly embeddedPgPort: number;
  readonly configPath: string | null;
  readonly adminEmail: string | null;
  readonly adminPassword: string | null;
  readonly jwtSecret: string | null;
  readonly accessTokenTtlSeconds: number;
  readonly refreshTokenTtlSeconds: number;
  readonly runMigrations: boolean;
  readonly dbPoolSize: number;
  readonly statementTimeoutMs: number;
  readonly logLevel: string;
  readonly bodyLimitBytes: number;
  readonly shutdownTimeoutMs: number;
  readonly loginMaxFailuresPerAccount: number;
  readonly loginMaxFailuresPerIp: number;
  readonly loginLockSeconds: number;
  readonly principalCacheTtlMs: number;
  readonly idempotencyTtlHours: number;
  readonly trustProxy: boolean;
  /** Whether this process runs background work (event dispatch, jobs); `npm run worker` runs only that. */
  readonly runWorkers: boolean;
  readonly outboxPollMs: number;
  /** How often an idle worker looks for due jobs; NOTIFY wakes it sooner for new ones. */
  readonly jobPollMs: number;
  /** A job whose worker stopped heartbeating for this long is handed to another worker. */
  readonly jobLockTimeoutMs: number;
  /** Completed jobs are deleted after this many days; dead-lettered (failed) ones are kept longer. */
  readonly jobRetentionDays: number;
  readonly jobFailedRetentionDays: number;
  /** Cron expression (UTC) of the housekeeping that applies the retention periods. */
  readonly jobCleanupCron: string;
  /** Hostnames, IP addresses or CIDR ranges webhooks may reach although they are private. */
  readonly webhookAllowedHosts: readonly string[];
  readonly webhookTimeoutMs: number;
  /** Delay before the first retry of a failed delivery; the later ones scale with it. */
  readonly webhookRetryBaseMs: number;
  /** Consecutive failed deliveries after which a subscription is paused. */
  readonly webhookPauseAfterFailures: number;
  /** Deliveries in flight at once in one process. */
  readonly webhookConcurrency: number;
  readonly webhookLogRetentionDays: number;
  /** Key that encrypts stored secrets (webhook signing secrets); without it they are stored as given. */
  readonly secretKey: string | null;
  /** Largest CSV file an import accepts, in bytes (separate from the JSON body limit). */
  readonly importMaxBytes: number;
  /** Rows an import writes per transaction. */
  readonly importBatchSize: number;
  /** Imports one process runs at once. */
  readonly importConcurrency: number;
  /** API requests a caller may make per window in one process; 0: no limit. */
  readonly rateLimitRequests: number;
  readonly rateLimitWindowSeconds: number;
  /** Browser origins allowed to call the API (CORS); `['*']` allows any; empty: no CORS headers. */
  readonly corsOrigins: readonly string[];
}

export class EnvError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid environment:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

type Source = Record<string, string | undefined>;

class EnvReader {
  readonly problems: string[] = [];
  constructor(private readonly source: Source) {}

  string(name: string, fallback: string): string {
    const raw = this.source[name];
    return raw === undefined || raw === '' ? fallback : raw;
  }

  optional(name: string): string | null {
    const raw = this.source[name];
    return raw === undefined || raw === '' ? null : raw;
  }

  int(name: string, fallback: number, min: number, max: number): number {
    const raw = this.source[name];
    if (raw === undefined || raw === '') return fallback;
    if (!/^\d+$/.test(raw.trim())) {
      this.problems.push(`${name} must be a whole number, got "${raw}"`);
      return fallback;
    }
    const value = Number(raw);
    if (value < min || value > max) {
      this.problems.push(`${name} must be between ${min} and ${max}, got ${value}`);
      return fallback;
    }
    return value;
  }

  bool(name: string, fallback: boolean): boolean {
    const raw = this.source[name];
    if (raw === undefined || raw === '') return fallback;
    const v = raw.trim().toLowerCase();
    if (['1', 'true', 'yes', 'on'].includes(v)) return true;
    if (['0', 'false', 'no', 'off'].includes(v)) return false;
    this.problems.push(`${name} must be true or false, got "${raw}"`);
    return fallback;
  }
}

/** `10.0.0.0/8`, `fd00::/8`, `192.168.1.20` or a hostname such as `hooks.intranet.example`. */
function isHostOrCidr(entry: string): boolean {
  const [address, prefix, ...rest] = entry.split('/');
  if (rest.length > 0) return false;
  const family = isIP(address);
  if (prefix !== undefined) {
    const max = family === 4 ? 32 : family === 6 ? 128 : -1;
    return /^\d{1,3}$/.test(prefix) && Number(prefix) <= max;
  }
  return (
    family !== 0 ||
    /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/i.test(
      address,
    )
  );
}

/** `https://app.example.com` or `http://localhost:5173`: scheme, host and port, nothing else. */
function isOrigin(entry: string): boolean {
  try {
    const url = new URL(entry);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.origin === entry;
  } catch {
    return false;
  }
}

/** The largest upload CRM_IMPORT_MAX_BYTES may allow (64 GiB). */
export const IMPORT_MAX_BYTES_CEILING = 68_719_476_736;

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

export function parseEnv(source: Source = process.env): Env {
  const r = new EnvReader(source);
  const databaseUrl = r.optional('DATABASE_URL');
  if (databaseUrl && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    r.problems.push('DATABASE_URL must start with postgres:// or postgresql://');
  }
  const databaseReadUrl = r.optional('DATABASE_READ_URL');
  if (databaseReadUrl && !/^postgres(ql)?:\/\//.test(databaseReadUrl)) {
    r.problems.push('DATABASE_READ_URL must start with postgres:// or postgresql://');
  }
  if (databaseReadUrl && !databaseUrl) {
    r.problems.push(
      'DATABASE_READ_URL is set but DATABASE_URL is not: a replica needs its primary',
    );
  }
  const databaseDirectUrl = r.optional('DATABASE_DIRECT_URL');
  if (databaseDirectUrl && !/^postgres(ql)?:\/\//.test(databaseDirectUrl)) {
    r.problems.push('DATABASE_DIRECT_URL must start with postgres:// or postgresql://');
  }
  const adminEmail = r.optional('CRM_ADMIN_EMAIL');
  if (adminEmail && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(adminEmail)) {
    r.problems.push(`CRM_ADMIN_EMAIL is not an email address: "${adminEmail}"`);
  }
  const adminPassword = r.optional('CRM_ADMIN_PASSWORD');
  if (adminPassword !== null && adminPassword.length < 12) {
    r.problems.push('CRM_ADMIN_PASSWORD must be at least 12 characters');
  }
  if (adminPassword !== null && adminEmail === null) {
    r.problems.push('CRM_ADMIN_PASSWORD is set but CRM_ADMIN_EMAIL is not');
  }
  const jwtSecret = r.optional('CRM_JWT_SECRET');
  if (jwtSecret !== null && jwtSecret.length < 32) {
    r.problems.push('CRM_JWT_SECRET must be at least 32 characters');
  }
  const logLevel = r.string('CRM_LOG_LEVEL', 'info');
  if (!LOG_LEVELS.includes(logLevel)) {
    r.problems.push(`CRM_LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}, got "${logLevel}"`);
  }
  const secretKey = r.optional('CRM_SECRET_KEY');
  if (secretKey !== null && secretKey.length < 32) {
    r.problems.push('CRM_SECRET_KEY must be at least 32 characters');
  }
  const jobCleanupCron = r.string('CRM_JOB_CLEANUP_CRON', '23 * * * *');
  try {
    new Cron(jobCleanupCron, { paused: true, mode: '5-or-6-parts' });
  } catch (e) {
    r.problems.push(`CRM_JOB_CLEANUP_CRON is not a cron expression: ${(e as Error).message}`);
  }
  const webhookAllowedHosts = (r.optional('CRM_WEBHOOK_ALLOWED_HOSTS') ?? '')
    .split(',')
    .map((h) => h.trim().toLowerCase())
    .filter(Boolean);
  for (const entry of webhookAllowedHosts) {
    if (!isHostOrCidr(entry))
      r.problems.push(
        `CRM_WEBHOOK_ALLOWED_HOSTS: "${entry}" is neither a hostname, an IP address nor a CIDR range`,
      );
  }
  const corsOrigins = (r.optional('CRM_CORS_ORIGINS') ?? '')
    .split(',')
    .map((o) => o.trim().replace(/\/$/, ''))
    .filter(Boolean);
  for (const origin of corsOrigins) {
    if (origin !== '*' && !isOrigin(origin))
      r.problems.push(
        `CRM_CORS_ORIGINS: "${origin}" is not an origin such as https://app.example.com (scheme, host and optional port, lower case)`,
      );
  }
  if (corsOrigins.includes('*') && corsOrigins.length > 1)
    r.problems.push('CRM_CORS_ORIGINS: "*" allows every origin and cannot be combined with others');
  const env: Env = {
    port: r.int('PORT', 3000, 0, 65535),
    host: r.string('HOST', '0.0.0.0'),
    databaseUrl,
    databaseReadUrl,
    databaseDirectUrl,
    readReplicaMaxLagMs: r.int('CRM_READ_REPLICA_MAX_LAG_MS', 10_000, 0, 3_600_000),
    dataDir: r.string('CRM_DATA_DIR', './.data'),
    embeddedPgPort: r.int('CRM_EMBEDDED_PG_PORT', 54329, 1, 65535),
    configPath: r.optional('CRM_CONFIG'),
    adminEmail,
    adminPassword,
    jwtSecret,
    accessTokenTtlSeconds: r.int('CRM_ACCESS_TOKEN_TTL', 900, 30, 86_400),
    refreshTokenTtlSeconds: r.int('CRM_REFRESH_TOKEN_TTL', 30 * 86_400, 300, 365 * 86_400),
    runMigrations: r.bool('CRM_RUN_MIGRATIONS', true),
    dbPoolSize: r.int('CRM_DB_POOL_SIZE', 10, 1, 500),
    statementTimeoutMs: r.int('CRM_STATEMENT_TIMEOUT_MS', 15_000, 1, 3_600_000),
    logLevel,
    bodyLimitBytes: r.int('CRM_BODY_LIMIT_BYTES', 1_048_576, 1024, 104_857_600),
    shutdownTimeoutMs: r.int('CRM_SHUTDOWN_TIMEOUT_MS', 10_000, 0, 600_000),
    loginMaxFailuresPerAccount: r.int('CRM_LOGIN_MAX_FAILURES_PER_ACCOUNT', 5, 1, 1000),
    loginMaxFailuresPerIp: r.int('CRM_LOGIN_MAX_FAILURES_PER_IP', 20, 1, 100_000),
    loginLockSeconds: r.int('CRM_LOGIN_LOCK_SECONDS', 900, 1, 86_400),
    principalCacheTtlMs: r.int('CRM_PRINCIPAL_CACHE_TTL_MS', 5000, 0, 300_000),
    idempotencyTtlHours: r.int('CRM_IDEMPOTENCY_TTL_HOURS', 24, 1, 24 * 30),
    trustProxy: r.bool('CRM_TRUST_PROXY', false),
    runWorkers: r.bool('CRM_RUN_WORKERS', true),
    outboxPollMs: r.int('CRM_OUTBOX_POLL_MS', 5000, 50, 600_000),
    jobPollMs: r.int('CRM_JOB_POLL_MS', 2000, 50, 600_000),
    jobLockTimeoutMs: r.int('CRM_JOB_LOCK_TIMEOUT_MS', 60_000, 500, 3_600_000),
    jobRetentionDays: r.int('CRM_JOB_RETENTION_DAYS', 7, 1, 3650),
    jobFailedRetentionDays: r.int('CRM_JOB_FAILED_RETENTION_DAYS', 30, 1, 3650),
    jobCleanupCron,
    webhookAllowedHosts,
    webhookTimeoutMs: r.int('CRM_WEBHOOK_TIMEOUT_MS', 10_000, 100, 60_000),
    webhookRetryBaseMs: r.int('CRM_WEBHOOK_RETRY_BASE_MS', 30_000, 10, 3_600_000),
    webhookPauseAfterFailures: r.int('CRM_WEBHOOK_PAUSE_AFTER_FAILURES', 20, 1, 10_000),
    webhookConcurrency: r.int('CRM_WEBHOOK_CONCURRENCY', 10, 1, 200),
    webhookLogRetentionDays: r.int('CRM_WEBHOOK_LOG_RETENTION_DAYS', 30, 1, 3650),
    secretKey,
    importMaxBytes: r.int('CRM_IMPORT_MAX_BYTES', 1_073_741_824, 1024, IMPORT_MAX_BYTES_CEILING),
    importBatchSize: r.int('CRM_IMPORT_BATCH_SIZE', 2000, 1, 10_000),
    importConcurrency: r.int('CRM_IMPORT_CONCURRENCY', 2, 1, 32),
    rateLimitRequests: r.int('CRM_RATE_LIMIT_REQUESTS', 6000, 0, 100_000_000),
    rateLimitWindowSeconds: r.int('CRM_RATE_LIMIT_WINDOW_SECONDS', 60, 1, 86_400),
    corsOrigins,
  };
  if (r.problems.length > 0) throw new EnvError(r.problems);
  return Object.freeze(env);
}

/** A secret for tests and single-node trials; production sets CRM_JWT_SECRET or lets it be stored. */
export function randomSecret(): string {
  return randomBytes(48).toString('base64url');
}
