import { randomBytes } from 'node:crypto';
import type { TestServer } from './test-server.js';

const unique = () => randomBytes(4).toString('hex');

/** Ids of the roles every database starts with. */
export const ROLE_IDS = {
  admin: '0192f000-0000-7000-8000-000000000001',
  sales_manager: '0192f000-0000-7000-8000-000000000002',
  sales_rep: '0192f000-0000-7000-8000-000000000003',
  marketing: '0192f000-0000-7000-8000-000000000004',
  service_agent: '0192f000-0000-7000-8000-000000000005',
  analyst: '0192f000-0000-7000-8000-000000000006',
} as const;

export type BuiltInRole = keyof typeof ROLE_IDS;

/** A password long enough for the default security.passwordMinLength. */
export const USER_PASSWORD = 'user-password-123';

export interface CreatedUser extends Record<string, unknown> {
  id: string;
  email: string;
  version: number;
  teamIds: string[];
  password: string;
}

export interface CreatedTeam extends Record<string, unknown> {
  id: string;
  name: string;
  version: number;
  memberIds: string[];
}

export interface CreatedRole extends Record<string, unknown> {
  id: string;
  name: string;
  version: number;
}

/** Users, teams and roles in one line each, made through the admin API with `adminToken`. */
export function accessFactories(server: TestServer, adminToken: string) {
  const auth = { authorization: `Bearer ${adminToken}` };
  const f = {
    async team(fields: Record<string, unknown> = {}): Promise<CreatedTeam> {
      const res = await server.http
        .post('/api/v1/teams')
        .set(auth)
        .send({ name: `Team ${unique()}`, ...fields });
      if (res.status !== 201) throw new Error(`team: ${res.status} ${JSON.stringify(res.body)}`);
      return res.body as CreatedTeam;
    },

    async role(fields: Record<string, unknown> = {}): Promise<CreatedRole> {
      const res = await server.http
        .post('/api/v1/roles')
        .set(auth)
        .send({ name: `Role ${unique()}`, permissions: { admin: false }, ...fields });
      if (res.status !== 201) throw new Error(`role: ${res.status} ${JSON.stringify(res.body)}`);
      return res.body as CreatedRole;
    },

    /** A user with a built-in role (by its key, see ROLE_IDS) or any role id; password is USER_PASSWORD unless given. */
    async user(
      role: string = 'sales_rep',
      fields: Record<string, unknown> = {},
    ): Promise<CreatedUser> {
      const password = (fields.password as string | undefined) ?? USER_PASSWORD;
      const res = await server.http
        .post('/api/v1/users')
        .set(auth)
        .send({
          email: `user-${unique()}@example.com`,
          lastName: `User ${unique()}`,
          roleId: role in ROLE_IDS ? ROLE_IDS[role as BuiltInRole] : role,
          ...fields,
          password,
        });
      if (res.status !== 201) throw new Error(`user: ${res.status} ${JSON.stringify(res.body)}`);
      return { ...(res.body as CreatedUser), password };
    },

    /** A user plus an access token of theirs. */
    async userWithToken(
      role: string = 'sales_rep',
      fields: Record<string, unknown> = {},
    ): Promise<{ user: CreatedUser; token: string; auth: { authorization: string } }> {
      const user = await f.user(role, fields);
      const token = await server.login(user.email, user.password);
      return { user, token, auth: { authorization: `Bearer ${token}` } };
    },
  };
  return f;
}
