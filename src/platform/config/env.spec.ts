import { EnvError, parseEnv } from './env.js';

describe('parseEnv', () => {
  it('applies defaults', () => {
    const env = parseEnv({});
    expect(env).toMatchObject({
      port: 3000,
      databaseUrl: null,
      dataDir: './.data',
      accessTokenTtlSeconds: 900,
      bodyLimitBytes: 1_048_576,
      runMigrations: true,
    });
    expect(Object.isFrozen(env)).toBe(true);
  });

  it('collects every problem at once', () => {
    try {
      parseEnv({ PORT: '70000', CRM_RUN_MIGRATIONS: 'perhaps', CRM_ADMIN_PASSWORD: 'short' });
      throw new Error('expected an EnvError');
    } catch (e) {
      expect(e).toBeInstanceOf(EnvError);
      expect((e as EnvError).problems).toEqual([
        'CRM_ADMIN_PASSWORD must be at least 12 characters',
        'CRM_ADMIN_PASSWORD is set but CRM_ADMIN_EMAIL is not',
        'PORT must be between 0 and 65535, got 70000',
        'CRM_RUN_MIGRATIONS must be true or false, got "perhaps"',
      ]);
    }
  });

  it('reads the job and webhook settings and checks the allow-list and the cron expression', () => {
    const env = parseEnv({
      CRM_WEBHOOK_ALLOWED_HOSTS: ' Hooks.Intranet.example , 10.20.0.0/16,::1,192.168.1.5 ',
      CRM_JOB_CLEANUP_CRON: '*/5 * * * * *',
    });
    expect(env.webhookAllowedHosts).toEqual([
      'hooks.intranet.example',
      '10.20.0.0/16',
      '::1',
      '192.168.1.5',
    ]);
    expect(env).toMatchObject({
      jobPollMs: 2000,
      jobLockTimeoutMs: 60_000,
      webhookTimeoutMs: 10_000,
      webhookRetryBaseMs: 30_000,
      webhookPauseAfterFailures: 20,
      secretKey: null,
    });
    expect(() =>
      parseEnv({
        CRM_WEBHOOK_ALLOWED_HOSTS: '10.0.0.0/33,bad host,http://x',
        CRM_JOB_CLEANUP_CRON: 'every day',
        CRM_SECRET_KEY: 'short',
      }),
    ).toThrow(
      expect.objectContaining({
        problems: [
          'CRM_SECRET_KEY must be at least 32 characters',
          expect.stringMatching(/^CRM_JOB_CLEANUP_CRON is not a cron expression/),
          'CRM_WEBHOOK_ALLOWED_HOSTS: "10.0.0.0/33" is neither a hostname, an IP address nor a CIDR range',
          'CRM_WEBHOOK_ALLOWED_HOSTS: "bad host" is neither a hostname, an IP address nor a CIDR range',
          'CRM_WEBHOOK_ALLOWED_HOSTS: "http://x" is neither a hostname, an IP address nor a CIDR range',
        ],
      }),
    );
  });

  it('reads the replica and direct URLs and refuses a replica without its primary', () => {
    const env = parseEnv({
      DATABASE_URL: 'postgres://u:p@pooler:6432/crm',
      DATABASE_READ_URL: 'postgres://u:p@replica:5432/crm',
      DATABASE_DIRECT_URL: 'postgresql://u:p@primary:5432/crm',
      CRM_READ_REPLICA_MAX_LAG_MS: '2500',
    });
    expect(env).toMatchObject({
      databaseReadUrl: 'postgres://u:p@replica:5432/crm',
      databaseDirectUrl: 'postgresql://u:p@primary:5432/crm',
      readReplicaMaxLagMs: 2500,
    });
    expect(parseEnv({}).readReplicaMaxLagMs).toBe(10_000);
    expect(() =>
      parseEnv({ DATABASE_READ_URL: 'mysql://replica/crm', DATABASE_DIRECT_URL: 'primary:5432' }),
    ).toThrow(
      expect.objectContaining({
        problems: [
          'DATABASE_READ_URL must start with postgres:// or postgresql://',
          'DATABASE_READ_URL is set but DATABASE_URL is not: a replica needs its primary',
          'DATABASE_DIRECT_URL must start with postgres:// or postgresql://',
        ],
      }),
    );
  });
});
