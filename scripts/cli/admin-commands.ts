import { randomBytes } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { insertAdmin } from '#platform/access/admin-bootstrap.js';
import { normalizeEmail } from '#platform/auth/auth.service.js';
import { PasswordHasher } from '#platform/auth/password-hasher.js';
import { CliError, EXIT } from './cli-errors.js';

export interface PasswordChoice {
  /** From --password-stdin; null generates one that is printed once. */
  given: string | null;
  minLength: number;
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

function choosePassword(choice: PasswordChoice): { password: string; generated: boolean } {
  if (choice.given === null)
    return { password: randomBytes(18).toString('base64url'), generated: true };
  if (choice.given.length < choice.minLength)
    throw new CliError(EXIT.usage, `the password must be at least ${choice.minLength} characters`);
  return { password: choice.given, generated: false };
}

function checkEmail(email: string | undefined): string {
  if (!email || !EMAIL.test(email))
    throw new CliError(EXIT.usage, `--email must be an email address (got "${email ?? ''}")`);
  return email;
}

/** `relasi create-admin`: one more admin, for a first start with no bootstrap or a lost admin. */
export async function createAdminCommand(
  dataSource: DataSource,
  input: { email: string | undefined; password: PasswordChoice },
  print: (line: string) => void,
): Promise<void> {
  const email = checkEmail(input.email);
  const { password, generated } = choosePassword(input.password);
  const passwordHash = await new PasswordHasher().hash(password);
  await dataSource.transaction(async (m) => {
    const taken = await m.query<unknown[]>(
      `SELECT 1 FROM users WHERE email_normalized = $1 AND deleted_at IS NULL`,
      [normalizeEmail(email)],
    );
    if (taken.length)
      throw new CliError(EXIT.wrongState, `a user with the email ${email} already exists`);
    await insertAdmin(m, { email, passwordHash });
  });
  print(
    generated
      ? `admin created: ${email} with password ${password} (shown once; change it after logging in)`
      : `admin created: ${email}`,
  );
}

/**
 * `relasi reset-password`: a new password for a user, for an admin who cannot log in. Ends the
 * user's sessions (their access tokens stop at the next revocation check) and lifts a login
 * lock on the account, since the lock is what an operator is usually called about.
 */
export async function resetPasswordCommand(
  dataSource: DataSource,
  input: { email: string | undefined; password: PasswordChoice },
  print: (line: string) => void,
): Promise<void> {
  const email = checkEmail(input.email);
  const { password, generated } = choosePassword(input.password);
  const passwordHash = await new PasswordHasher().hash(password);
  await dataSource.transaction(async (m) => {
    const users = await m.query<{ id: string }[]>(
      `UPDATE users SET password_hash = $2, password_changed_at = now(), version = version + 1, updated_at = now()
        WHERE email_normalized = $1 AND deleted_at IS NULL RETURNING id`,
      [normalizeEmail(email), passwordHash],
    );
    const user = users[0];
    if (!user) throw new CliError(EXIT.wrongState, `no user with the email ${email}`);
    await m.query(
      `UPDATE refresh_tokens SET revoked_at = now() WHERE user_id = $1 AND revoked_at IS NULL`,
      [user.id],
    );
    await m.query(`DELETE FROM login_throttle WHERE key = $1`, [
      `account:${normalizeEmail(email)}`,
    ]);
  });
  print(
    generated
      ? `password reset: ${email} now has the password ${password} (shown once); their sessions are ended`
      : `password reset: ${email}; their sessions are ended`,
  );
}
