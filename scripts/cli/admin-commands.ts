import type { DataSource } from 'typeorm';
import { insertAdmin } from '#platform/access/admin-bootstrap.js';
import { normalizeEmail } from '#platform/auth/auth.service.js';
import { PasswordHasher } from '#platform/auth/password-hasher.js';
import { CliError, EXIT } from './cli-errors.js';
import type { ChosenPassword } from './password-input.js';

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export function checkEmail(email: string | undefined): string {
  if (!email || !EMAIL.test(email))
    throw new CliError(EXIT.usage, `--email must be an email address (got "${email ?? ''}")`);
  return email;
}

/** "Sari Wijaya" → first and last name; a single word is the last name, as for contacts. */
function splitName(name: string): { firstName: string | null; lastName: string } {
  const words = name.trim().split(/\s+/).filter(Boolean);
  const lastName = words.pop();
  if (!lastName) throw new CliError(EXIT.usage, '--name must not be empty');
  return { firstName: words.length ? words.join(' ') : null, lastName };
}

/** `relasi create-admin`: one more admin, for a lost admin or a start without the bootstrap. */
export async function createAdminCommand(
  dataSource: DataSource,
  input: { email: string; name: string; password: ChosenPassword },
  print: (line: string) => void,
): Promise<void> {
  const { email, password } = input;
  const passwordHash = await new PasswordHasher().hash(password.password);
  await dataSource.transaction(async (m) => {
    const taken = await m.query<unknown[]>(
      `SELECT 1 FROM users WHERE email_normalized = $1 AND deleted_at IS NULL`,
      [normalizeEmail(email)],
    );
    if (taken.length)
      throw new CliError(EXIT.failure, `a user with the email ${email} already exists`);
    await insertAdmin(m, { email, passwordHash, ...splitName(input.name) });
  });
  print(
    password.generated
      ? `admin created: ${email} with password ${password.password} (shown once; change it after logging in)`
      : `admin created: ${email}`,
  );
}

/**
 * `relasi reset-password`: a new password for a user who cannot log in. Ends the user's
 * sessions, as a password change through the API does, and lifts a login lock on the account,
 * since the lock is often why the operator was called.
 */
export async function resetPasswordCommand(
  dataSource: DataSource,
  input: { email: string; password: ChosenPassword },
  print: (line: string) => void,
): Promise<void> {
  const { email, password } = input;
  const normalized = normalizeEmail(email);
  const passwordHash = await new PasswordHasher().hash(password.password);
  await dataSource.transaction(async (m) => {
    const users = await m.query<{ id: string }[]>(
      `SELECT id FROM users WHERE email_normalized = $1 AND deleted_at IS NULL FOR UPDATE`,
      [normalized],
    );
    const user = users[0];
    if (!user) throw new CliError(EXIT.failure, `no user with the email ${email}`);
    await m.query(
      `UPDATE users SET password_hash = $2, password_changed_at = now(), version = version + 1, updated_at = now() WHERE id = $1`,
      [user.id, passwordHash],
    );
    await m.query(
      `UPDATE refresh_tokens SET revoked_at = now() WHERE user_id = $1 AND revoked_at IS NULL`,
      [user.id],
    );
    await m.query(`DELETE FROM login_throttle WHERE key = $1`, [`account:${normalized}`]);
  });
  print(
    password.generated
      ? `password reset: ${email} now has the password ${password.password} (shown once); their sessions are ended`
      : `password reset: ${email}; their sessions are ended`,
  );
}
