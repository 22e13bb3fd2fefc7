#!/usr/bin/env node
import 'reflect-metadata';
import { parseArgs } from 'node:util';
import { CliError, EXIT, type ExitCode } from './cli/cli-errors.js';
import { COMMANDS, type CliIo, type Command } from './cli/commands.js';

const EXIT_CODES = [
  'Exit codes:',
  '  0  done',
  '  1  failed: refused, a bad file or config, a failed step (the message says which)',
  '  2  usage error: unknown command or option, missing or invalid value; nothing was done',
  '  3  the database cannot be reached',
];

const DATABASE = [
  'Database: DATABASE_URL when set; otherwise the embedded PostgreSQL in CRM_DATA_DIR',
  '(./.data), started for the command, or the one of a server running on that directory.',
];

function overview(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  return [
    'Usage: relasi <command> [options]',
    '',
    'Commands:',
    ...COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    'Run `relasi <command> --help` for its options.',
    '',
    ...DATABASE,
    '',
    ...EXIT_CODES,
  ].join('\n');
}

function commandHelp(command: Command): string {
  return [
    `Usage: ${command.usage}`,
    '',
    command.summary,
    '',
    ...command.details,
    '',
    ...DATABASE,
    '',
    ...EXIT_CODES,
  ].join('\n');
}

const io: CliIo = {
  print: (line) => process.stdout.write(`${line}\n`),
  note: (line) => process.stderr.write(`relasi: ${line}\n`),
};

function isParseError(e: unknown): boolean {
  const code = (e as { code?: unknown }).code;
  return typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS');
}

async function run(argv: string[]): Promise<ExitCode> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    io.print(overview());
    return name === undefined ? EXIT.usage : EXIT.ok;
  }
  const command = COMMANDS.find((c) => c.name === name);
  if (!command) throw new CliError(EXIT.usage, `unknown command "${name}"\n\n${overview()}`);
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args: rest,
      options: { ...command.options, help: { type: 'boolean', short: 'h' } },
      strict: true,
      allowPositionals: false,
    }));
  } catch (e) {
    if (!isParseError(e)) throw e;
    throw new CliError(EXIT.usage, `${(e as Error).message}\n\nUsage: ${command.usage}`);
  }
  if (values.help) {
    io.print(commandHelp(command));
    return EXIT.ok;
  }
  await command.run(values, io);
  return EXIT.ok;
}

run(process.argv.slice(2)).then(
  // Exits at once: a command leaves nothing running, and an idle pool timer must not hold it.
  (code) => process.exit(code),
  (e: unknown) => {
    if (e instanceof CliError) {
      process.stderr.write(`relasi: ${e.message}\n`);
      process.exit(e.exitCode);
    }
    process.stderr.write(`relasi: failed: ${(e as Error).stack ?? String(e)}\n`);
    process.exit(EXIT.failure);
  },
);
