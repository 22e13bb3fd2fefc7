import { randomBytes } from 'node:crypto';
import type { DataSource, EntityManager } from 'typeorm';
import { normalizeEmail } from '#platform/auth/auth.service.js';
import type { PasswordHasher } from '#platform/auth/password-hasher.js';
import type { Env } from '#platform/config/env.js';
import { uuidv7 } from '#platform/database/uuid7.js';

export const ADMIN_ROLE_ID = '0192f000-0000-7000-8000-000000000001';
const DEFAULT_ADMIN_EMAIL = 'admin@relasi.local';

/**
 * On an empty database, creates the first admin from CRM_ADMIN_EMAIL / CRM_ADMIN_PASSWORD,
 * or with a generated password that is printed once. Does nothing when any user exists.
 */
export async function ensureFirstAdmin(
  dataSource: DataSource,
  env: Env,
  hasher: PasswordHasher,
  announce: (message: string) => void,
): Promise<void> {
  await dataSource.transaction(async (m) => {
    // Serializes concurrent first starts of several processes.
    await m.query('LOCK TABLE users IN SHARE ROW EXCLUSIVE MODE');
    const [{ n }] = await m.query<[{ n: number }]>('SELECT count(*)::int AS n FROM users');
    if (n > 0) return;
    const email = env.adminEmail ?? DEFAULT_ADMIN_EMAIL;
    const generated = env.adminPassword === null;
    const password = env.adminPassword ?? randomBytes(18).toString('base64url');
    await insertAdmin(m, { email, passwordHash: await hasher.hash(password) });
    if (generated) {
      announce(
        `First admin created: ${email} with password ${password} — shown once; change it after logging in.`,
      );
    } else {
      announce(`First admin created: ${email}`);
    }
  });
}

/** Adds a user with the admin role; the caller checks that the email is free. */
export async function insertAdmin(
  m: EntityManager,
  admin: {
    email: string;
    passwordHash: string;
    firstName?: string | null;
    lastName?: string | null;
  },
): Promise<string> {
  const id = uuidv7();
  await m.query(
    `INSERT INTO users (id, email, email_normalized, first_name, last_name, password_hash, role_id) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
    [
      id,
      admin.email,
      normalizeEmail(admin.email),
      admin.firstName === undefined ? 'Admin' : admin.firstName,
      admin.lastName === undefined ? 'Relasi' : admin.lastName,
      admin.passwordHash,
      ADMIN_ROLE_ID,
    ],
  );
  return id;
}
