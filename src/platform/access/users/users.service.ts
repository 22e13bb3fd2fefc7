import { Inject, Injectable } from '@nestjs/common';
import { HistoryService } from '#platform/audit/history.service.js';
import { AuthService, normalizeEmail } from '#platform/auth/auth.service.js';
import { PasswordHasher } from '#platform/auth/password-hasher.js';
import { PrincipalLoader } from '#platform/auth/principal-loader.js';
import { CRM_CONFIG } from '#platform/config/config.tokens.js';
import type { CrmConfig } from '#platform/config/crm-config.js';
import type { RolePermissions } from '#platform/context/principal.js';
import type { RequestContext } from '#platform/context/request-context.js';
import { DatabaseService } from '#platform/database/database.service.js';
import { uuidv7 } from '#platform/database/uuid7.js';
import { AppError } from '#platform/http/app-error.js';
import { checkIfMatch } from '#platform/http/etag.js';
import type { QuerySchema } from '#platform/query/query-schema.js';
import { AdminTableService } from '#platform/records/admin-table.service.js';
import { adminField } from '../admin-list.js';
import { PermissionEvaluator } from '../permission-evaluator.js';
import { TeamsService } from '../teams/teams.service.js';
import type { CreateUserDto, UpdateUserDto, UserDto } from './dto/user.dto.js';

interface UserRow {
  id: string;
  email: string;
  first_name: string | null;
  last_name: string | null;
  role_id: string;
  active: boolean;
  locale: string;
  time_zone: string;
  last_login_at: Date | null;
  password_changed_at: Date;
  created_at: Date;
  updated_at: Date;
  version: number;
}

/** Never `password_hash`: the representation is built from these columns only. */
const USER_COLUMNS =
  'id, email, first_name, last_name, role_id, active, locale, time_zone, last_login_at, password_changed_at, created_at, updated_at, version';

const USER_SCHEMA: QuerySchema = {
  entity: 'users',
  table: 'users',
  alias: 'u',
  fields: new Map([
    adminField('id', 'u.id', 'uuid', { sortable: true }),
    adminField('email', 'u.email_normalized', 'string', { sortable: true, caseInsensitive: true }),
    adminField('firstName', 'u.first_name', 'string', { nullable: true, sortable: true }),
    adminField('lastName', 'u.last_name', 'string', { nullable: true, sortable: true }),
    adminField('roleId', 'u.role_id', 'uuid'),
    adminField(
      'teamIds',
      `ARRAY(SELECT m.team_id::text FROM team_members m JOIN teams t ON t.id = m.team_id AND t.deleted_at IS NULL WHERE m.user_id = u.id)`,
      'string[]',
    ),
    adminField('active', 'u.active', 'boolean'),
    adminField('locale', 'u.locale', 'enum', { values: ['en', 'id'] }),
    adminField('lastLoginAt', 'u.last_login_at', 'datetime', { nullable: true, sortable: true }),
    adminField('createdAt', 'u.created_at', 'datetime', { sortable: true }),
    adminField('updatedAt', 'u.updated_at', 'datetime', { sortable: true }),
  ]),
  relations: new Map(),
  search: `lower(u.email || ' ' || coalesce(u.first_name, '') || ' ' || coalesce(u.last_name, ''))`,
  defaultSort: 'email',
  ownerColumn: null,
  teamColumn: null,
};

const USER_FIELDS = [
  'id',
  'email',
  'firstName',
  'lastName',
  'roleId',
  'teamIds',
  'locale',
  'timeZone',
  'active',
  'lastLoginAt',
  'passwordChangedAt',
  'createdAt',
  'updatedAt',
  'version',
] as const satisfies readonly (keyof UserDto)[];

const HISTORY_IGNORED = new Set([
  'id',
  'createdAt',
  'updatedAt',
  'version',
  'lastLoginAt',
  'passwordChangedAt',
]);

/** Writable attribute → column; `email` also sets `email_normalized`. */
const COLUMNS: Record<string, string> = {
  email: 'email',
  firstName: 'first_name',
  lastName: 'last_name',
  roleId: 'role_id',
  locale: 'locale',
  timeZone: 'time_zone',
  active: 'active',
};

const iso = (d: Date | null) => (d ? d.toISOString() : null);

/**
 * Administration of user accounts. Every change that can alter what a user may do forgets
 * the cached principals after commit; deactivating or deleting ends the user's sessions.
 */
@Injectable()
export class UsersService extends AdminTableService<UserRow, UserDto> {
  constructor(
    db: DatabaseService,
    permissions: PermissionEvaluator,
    private readonly hasher: PasswordHasher,
    private readonly auth: AuthService,
    private readonly principals: PrincipalLoader,
    private readonly teams: TeamsService,
    history: HistoryService,
    @Inject(CRM_CONFIG) private readonly config: CrmConfig,
  ) {
    super(db, permissions, history, {
      schema: USER_SCHEMA,
      label: 'user',
      columns: USER_COLUMNS,
      fields: USER_FIELDS,
      historyIgnored: HISTORY_IGNORED,
    });
  }

  override async create(ctx: RequestContext, input: CreateUserDto): Promise<UserDto> {
    this.permissions.requireAdmin(ctx.user);
    this.checkPassword(input.password);
    // argon2 is slow on purpose: hash before the transaction so no lock waits on it.
    const passwordHash = await this.hasher.hash(input.password);
    const created = await this.db.transaction(ctx, async (tx) => {
      await this.assertEmailFree(tx, input.email, null);
      await this.roleOf(tx, input.roleId);
      await this.teams.assertTeamsExist(tx, input.teamIds ?? []);
      const id = uuidv7();
      await this.db.query(
        tx,
        `INSERT INTO users (id, email, email_normalized, first_name, last_name, password_hash, role_id, active, locale, time_zone)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
        [
          id,
          input.email.trim(),
          normalizeEmail(input.email),
          input.firstName ?? null,
          input.lastName,
          passwordHash,
          input.roleId.toLowerCase(),
          input.active ?? true,
          input.locale ?? this.config.organization.defaultLocale,
          input.timeZone ?? this.config.organization.timeZone,
        ],
      );
      if (input.teamIds?.length) await this.teams.replaceTeamsOfUser(tx, id, input.teamIds);
      const view = await this.view(tx, await this.load(tx, id));
      await this.recordCreated(tx, view);
      return view;
    });
    this.principals.invalidate();
    return created;
  }

  override async update(
    ctx: RequestContext,
    id: string,
    patch: UpdateUserDto,
    ifMatch: string | undefined,
  ): Promise<UserDto> {
    const caller = ctx.user;
    this.permissions.requireAdmin(caller);
    if (patch.password !== undefined) this.checkPassword(patch.password);
    const passwordHash =
      patch.password !== undefined ? await this.hasher.hash(patch.password) : null;
    const updated = await this.db.transaction(ctx, async (tx) => {
      const existing = await this.load(tx, id, { forUpdate: true });
      checkIfMatch(ifMatch, existing.version);
      const before = await this.view(tx, existing);
      const current = before as unknown as Record<string, unknown>;
      const changed = Object.keys(COLUMNS).filter((k) => {
        const v = (patch as Record<string, unknown>)[k];
        if (v === undefined) return false;
        return k === 'roleId' ? String(v).toLowerCase() !== current[k] : v !== current[k];
      });
      const self = id === caller.userId;
      if (self && patch.active === false)
        throw new AppError('self_lockout', { action: 'deactivate your own user' });
      if (changed.includes('email')) await this.assertEmailFree(tx, patch.email!, id);
      if (changed.includes('roleId')) {
        const role = await this.roleOf(tx, patch.roleId!);
        if (self && !role.admin)
          throw new AppError('self_lockout', {
            action: 'give yourself a role without administration',
          });
      }
      const sets: string[] = [];
      const values: unknown[] = [id];
      const set = (column: string, value: unknown) => {
        values.push(value);
        sets.push(`${column} = $${values.length}`);
      };
      for (const k of changed) {
        const v = (patch as Record<string, unknown>)[k];
        if (k === 'email') {
          set('email', String(v).trim());
          set('email_normalized', normalizeEmail(String(v)));
        } else set(COLUMNS[k], k === 'roleId' ? String(v).toLowerCase() : v);
      }
      if (passwordHash !== null) {
        set('password_hash', passwordHash);
        sets.push('password_changed_at = now()');
      }
      let teamsChanged = false;
      if (patch.teamIds !== undefined) {
        teamsChanged = (await this.teams.replaceTeamsOfUser(tx, id, patch.teamIds)).changed;
      }
      if (sets.length === 0 && !teamsChanged) return before;
      // One version step for the whole change, memberships included.
      await this.db.query(
        tx,
        `UPDATE users SET ${[...sets, 'version = version + 1', 'updated_at = now()'].join(', ')} WHERE id = $1`,
        values,
      );
      // A new password or a deactivation ends every session of the user.
      if (passwordHash !== null || (changed.includes('active') && patch.active === false))
        await this.auth.revokeCredentials(tx, id);
      const after = await this.view(tx, await this.load(tx, id));
      // The history says that the password changed, never what it was or became.
      await this.recordUpdated(
        tx,
        before,
        after,
        passwordHash !== null ? [{ field: 'password', old: null, new: null }] : [],
      );
      return after;
    });
    this.principals.invalidate();
    return updated;
  }

  override async remove(ctx: RequestContext, id: string, ifMatch: string | undefined) {
    this.permissions.requireAdmin(ctx.user);
    if (id === ctx.user.userId)
      throw new AppError('self_lockout', { action: 'delete your own user' });
    await super.remove(ctx, id, ifMatch);
  }

  async loginHistory(ctx: RequestContext, id: string, limit: number) {
    this.permissions.requireAdmin(ctx.user);
    await this.load(ctx, id);
    return this.auth.loginHistory(ctx, id, limit);
  }

  /** Deleting deactivates the user and revokes their sessions and API keys. */
  protected override async deleteRow(tx: RequestContext, user: UserRow): Promise<void> {
    await this.markDeleted(tx, user.id, {
      alsoSet: 'active = false',
      changes: user.active ? [{ field: 'active', old: true, new: false }] : [],
    });
    await this.auth.revokeCredentials(tx, user.id, { apiKeys: true });
  }

  /** A restored user stays inactive: an admin activates them deliberately. */
  protected override async restoreRow(tx: RequestContext, user: UserRow): Promise<UserRow> {
    await this.assertEmailFree(tx, user.email, user.id);
    const role = await this.db.one(tx, `SELECT 1 FROM roles WHERE id = $1 AND deleted_at IS NULL`, [
      user.role_id,
    ]);
    if (!role)
      throw new AppError('conflict', {
        reason: "The user's role has been deleted; restore the role first.",
      });
    return super.restoreRow(tx, user);
  }

  protected override afterRemoveOrRestore(): void {
    this.principals.invalidate();
  }

  private checkPassword(password: string): void {
    const min = this.config.security.passwordMinLength;
    if (password.length < min)
      throw AppError.field('password', 'minLength', `must be at least ${min} characters`, { min });
  }

  private async assertEmailFree(tx: RequestContext, email: string, exceptId: string | null) {
    const clash = await this.db.one<{ id: string }>(
      tx,
      `SELECT id FROM users WHERE email_normalized = $1 AND deleted_at IS NULL AND id IS DISTINCT FROM $2::uuid`,
      [normalizeEmail(email), exceptId],
    );
    if (clash)
      throw new AppError('unique_violation', { field: 'email' }, undefined, {
        field: 'email',
        existingId: clash.id,
      });
  }

  private async roleOf(tx: RequestContext, roleId: string): Promise<RolePermissions> {
    const role = await this.db.one<{ permissions: RolePermissions }>(
      tx,
      `SELECT permissions FROM roles WHERE id = $1 AND deleted_at IS NULL`,
      [roleId],
    );
    if (!role) throw AppError.field('roleId', 'notFound', 'refers to a role that does not exist');
    return role.permissions;
  }

  protected override async present(ctx: RequestContext, rows: UserRow[]): Promise<UserDto[]> {
    const teams = await this.teams.teamIdsOfUsers(
      ctx,
      rows.map((r) => r.id),
    );
    return rows.map((r) => ({
      id: r.id,
      email: r.email,
      firstName: r.first_name,
      lastName: r.last_name,
      roleId: r.role_id,
      teamIds: teams.get(r.id) ?? [],
      locale: r.locale,
      timeZone: r.time_zone,
      active: r.active,
      lastLoginAt: iso(r.last_login_at),
      passwordChangedAt: r.password_changed_at.toISOString(),
      createdAt: r.created_at.toISOString(),
      updatedAt: r.updated_at.toISOString(),
      version: r.version,
    }));
  }
}
