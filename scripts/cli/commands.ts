import type { ParseArgsConfig } from 'node:util';
import type { CrmConfig } from '#platform/config/crm-config.js';
import { EnvError, parseEnv, type Env } from '#platform/config/env.js';
import type { CliDatabase, OpenOptions } from './cli-database.js';
import { CliError, EXIT } from './cli-errors.js';

// A command's code (and the application it loads) is imported when the command runs, so that
// `relasi --help` and usage errors answer at once.

export interface CliIo {
  /** The command's result, on stdout. */
  print(line: string): void;
  /** Notes about how it ran, on stderr. */
  note(line: string): void;
}

type Values = Record<string, string | boolean | undefined>;

export interface Command {
  name: string;
  summary: string;
  usage: string;
  /** Lines of the command's own --help after the usage line. */
  details: string[];
  options: NonNullable<ParseArgsConfig['options']>;
  run(values: Values, io: CliIo): Promise<void>;
}

async function settings(): Promise<{ env: Env; config: CrmConfig }> {
  const [{ CrmConfigError, loadCrmConfig }, { APP_CONFIG }] = await Promise.all([
    import('#platform/config/crm-config.js'),
    import('../../src/app-config-sections.js'),
  ]);
  try {
    const env = parseEnv({ ...process.env, CRM_LOG_LEVEL: 'silent' });
    return { env, config: loadCrmConfig(env.configPath, APP_CONFIG) };
  } catch (e) {
    if (e instanceof EnvError || e instanceof CrmConfigError)
      throw new CliError(EXIT.failure, e.message);
    throw e;
  }
}

async function withDatabase(
  env: Env,
  io: CliIo,
  options: Omit<OpenOptions, 'note'>,
  work: (db: CliDatabase) => Promise<void>,
): Promise<void> {
  const { openCliDatabase } = await import('./cli-database.js');
  const db = await openCliDatabase(env, { ...options, note: io.note });
  try {
    await work(db);
  } finally {
    await db.close();
  }
}

function required(values: Values, name: string): string {
  const value = values[name];
  if (typeof value !== 'string' || !value) throw new CliError(EXIT.usage, `--${name} is required`);
  return value;
}

const text = (values: Values, name: string) =>
  typeof values[name] === 'string' ? values[name] : undefined;

const PASSWORD_OPTIONS = {
  email: { type: 'string' },
  password: { type: 'string' },
  'password-stdin': { type: 'boolean' },
} as const;

const PASSWORD_DETAILS = [
  'The password comes from --password, else the first line of standard input with',
  '--password-stdin, else RELASI_ADMIN_PASSWORD; with none of them a random one is printed',
  'once. It must be as long as security.passwordMinLength of the config (12 by default).',
];

async function passwordFrom(values: Values, config: CrmConfig) {
  const { choosePassword } = await import('./password-input.js');
  return choosePassword(
    {
      flag: text(values, 'password'),
      fromStdin: values['password-stdin'] === true,
      env: process.env.RELASI_ADMIN_PASSWORD,
    },
    config.security.passwordMinLength,
  );
}

export const COMMANDS: Command[] = [
  {
    name: 'migrate',
    summary: 'apply pending database migrations (--dry-run prints their SQL)',
    usage: 'relasi migrate [--dry-run]',
    details: [
      '--dry-run  run the pending migrations inside a transaction that is rolled back,',
      '           printing every SQL statement; the database is left as it was.',
    ],
    options: { 'dry-run': { type: 'boolean' } },
    async run(values, io) {
      const { env } = await settings();
      const { runMigrateCommand } = await import('./migrate-command.js');
      await withDatabase(env, io, {}, (db) =>
        runMigrateCommand(db.dataSource, { dryRun: values['dry-run'] === true }, io.print),
      );
    },
  },
  {
    name: 'create-admin',
    summary: 'add a user with the admin role',
    usage:
      'relasi create-admin --email <address> --name <full name> [--password <p> | --password-stdin]',
    details: PASSWORD_DETAILS,
    options: { ...PASSWORD_OPTIONS, name: { type: 'string' } },
    async run(values, io) {
      const { checkEmail, createAdminCommand } = await import('./admin-commands.js');
      const email = checkEmail(text(values, 'email'));
      const name = required(values, 'name');
      const { env, config } = await settings();
      const password = await passwordFrom(values, config);
      await withDatabase(env, io, { requireCurrentSchema: true }, (db) =>
        createAdminCommand(db.dataSource, { email, name, password }, io.print),
      );
    },
  },
  {
    name: 'reset-password',
    summary: "set a user's password, end their sessions and lift a login lock",
    usage: 'relasi reset-password --email <address> [--password <p> | --password-stdin]',
    details: PASSWORD_DETAILS,
    options: PASSWORD_OPTIONS,
    async run(values, io) {
      const { checkEmail, resetPasswordCommand } = await import('./admin-commands.js');
      const email = checkEmail(text(values, 'email'));
      const { env, config } = await settings();
      const password = await passwordFrom(values, config);
      await withDatabase(env, io, { requireCurrentSchema: true }, (db) =>
        resetPasswordCommand(db.dataSource, { email, password }, io.print),
      );
    },
  },
  {
    name: 'config-check',
    summary: 'validate a crm.config.yaml and print what it would change',
    usage: 'relasi config-check [--config <file>]',
    details: [
      '--config  the file to check (default: CRM_CONFIG, else crm.config.yaml).',
      'Every problem is listed with its path; with DATABASE_URL the indexes it would create',
      'or drop and removed picklist values still in use are printed too.',
    ],
    options: { config: { type: 'string' } },
    async run(values, io) {
      const file = text(values, 'config') ?? process.env.CRM_CONFIG ?? 'crm.config.yaml';
      let env: Env;
      try {
        env = parseEnv({ ...process.env, CRM_LOG_LEVEL: 'silent' });
      } catch (e) {
        throw e instanceof EnvError ? new CliError(EXIT.failure, e.message) : e;
      }
      const [{ checkConfig }, { CrmConfigError }] = await Promise.all([
        import('./config-check-command.js'),
        import('#platform/config/crm-config.js'),
      ]);
      const outcome = await checkConfig(file, env, io.print).catch((e: unknown) => {
        throw e instanceof CrmConfigError ? new CliError(EXIT.failure, e.message) : e;
      });
      if (outcome.blocked)
        throw new CliError(EXIT.failure, 'the config removes picklist values still in use');
    },
  },
  {
    name: 'seed-demo',
    summary: 'fill an empty database with realistic demo records through the API',
    usage: 'relasi seed-demo [--scale <n>] [--force]',
    details: [
      '--scale  size (1 to 1000, default 5): per unit 10 accounts, 20 contacts,',
      '         10 opportunities, 20 calls and 10 leads, owned by the first admin.',
      '--force  add them even when the database already holds records.',
    ],
    options: { scale: { type: 'string' }, force: { type: 'boolean' } },
    async run(values, io) {
      const raw = text(values, 'scale') ?? '5';
      const scale = Number(raw);
      if (!/^\d+$/.test(raw) || scale < 1 || scale > 1000)
        throw new CliError(
          EXIT.usage,
          `--scale must be a whole number from 1 to 1000 (got ${raw})`,
        );
      const { env, config } = await settings();
      const { seedDemoCommand } = await import('./seed-demo-command.js');
      await withDatabase(env, io, { requireCurrentSchema: true }, (db) =>
        seedDemoCommand(
          db.dataSource,
          { env, config, databaseUrl: db.url },
          { scale, force: values.force === true },
          io.print,
        ),
      );
    },
  },
  {
    name: 'backup',
    summary: "write the application's data to a file (a consistent snapshot, online)",
    usage: 'relasi backup --out <file>',
    details: [
      'Every table of the schema, read in one snapshot while the server keeps running,',
      'gzip-compressed, with the schema version, row counts and a SHA-256 checksum.',
      'The file holds customer data and password hashes: it is written readable by its owner only.',
    ],
    options: { out: { type: 'string' } },
    async run(values, io) {
      const file = required(values, 'out');
      const { env } = await settings();
      const { backupCommand } = await import('./backup-command.js');
      await withDatabase(env, io, { requireCurrentSchema: true }, (db) =>
        backupCommand(db.url, file, io.print),
      );
    },
  },
  {
    name: 'restore',
    summary: "replace the database's data with a backup",
    usage: 'relasi restore --in <file> [--force]',
    details: [
      "An empty database is first migrated to the backup's schema version; the rows are",
      'loaded in one transaction, checked against the row counts and checksum, and newer',
      'migrations then bring them up to this release. A damaged file changes nothing.',
      '--force  replace a database that already has users. Needs the database to itself:',
      '         stop a server running on the embedded database first.',
    ],
    options: { in: { type: 'string' }, force: { type: 'boolean' } },
    async run(values, io) {
      const file = required(values, 'in');
      const { env } = await settings();
      const { restoreCommand } = await import('./restore-command.js');
      await withDatabase(env, io, { exclusive: true }, (db) =>
        restoreCommand(db, env, { file, force: values.force === true }, io.print),
      );
    },
  },
];
