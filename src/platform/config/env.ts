import { randomBytes } from 'node:crypto';

/**
 * Typed view of the process environment. Parsed once at start; every problem is collected so
 * that an operator sees the whole list at once instead of fixing one variable per restart.
 */
export interface Env {
  readonly port: number;
  readonly host: string;
  readonly databaseUrl: string | null;
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

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

export function parseEnv(source: Source = process.env): Env {
  const r = new EnvReader(source);
  const databaseUrl = r.optional('DATABASE_URL');
  if (databaseUrl && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    r.problems.push('DATABASE_URL must start with postgres:// or postgresql://');
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
  const env: Env = {
    port: r.int('PORT', 3000, 0, 65535),
    host: r.string('HOST', '0.0.0.0'),
    databaseUrl,
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
  };
  if (r.problems.length > 0) throw new EnvError(r.problems);
  return Object.freeze(env);
}

/** A secret for tests and single-node trials; production sets CRM_JWT_SECRET or lets it be stored. */
export function randomSecret(): string {
  return randomBytes(48).toString('base64url');
}
