import { randomBytes } from 'node:crypto';
import { text } from 'node:stream/consumers';
import { CliError, EXIT } from './cli-errors.js';

/** Where a command's new password comes from, in the order they are looked at. */
export interface PasswordSources {
  /** --password: convenient, but visible in the process list and the shell history. */
  flag: string | undefined;
  /** --password-stdin: the first line of standard input. */
  fromStdin: boolean;
  /** RELASI_ADMIN_PASSWORD. */
  env: string | undefined;
}

export interface ChosenPassword {
  password: string;
  /** Nothing was given: a random one was made, and the command prints it once. */
  generated: boolean;
}

export async function choosePassword(
  sources: PasswordSources,
  minLength: number,
): Promise<ChosenPassword> {
  let given = sources.flag ?? null;
  if (given === null && sources.fromStdin)
    given = (await text(process.stdin)).split(/\r?\n/)[0] ?? '';
  given ??= sources.env || null;
  if (given === null) return { password: randomBytes(18).toString('base64url'), generated: true };
  if (given.length < minLength)
    throw new CliError(EXIT.usage, `the password must be at least ${minLength} characters`);
  return { password: given, generated: false };
}
