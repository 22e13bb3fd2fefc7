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
});
