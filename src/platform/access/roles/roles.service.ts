import { Injectable } from '@nestjs/common';
import { HistoryService } from '#platform/audit/history.service.js';
import { PrincipalLoader } from '#platform/auth/principal-loader.js';
import type { RolePermissions } from '#platform/context/principal.js';
import type { RequestContext } from '#platform/context/request-context.js';
import { DatabaseService } from '#platform/database/database.service.js';
import { uuidv7 } from '#platform/database/uuid7.js';
import { AppError } from '#platform/http/app-error.js';
import { checkIfMatch } from '#platform/http/etag.js';
import type { QuerySchema } from '#platform/query/query-schema.js';
import { ResourceRegistry } from '#platform/records/resource-registry.js';
import { AdminTableService } from '#platform/records/admin-table.service.js';
import { adminField } from '../admin-list.js';
import { PermissionEvaluator } from '../permission-evaluator.js';
import type { RoleDto } from './dto/role.dto.js';
import { validateRolePermissions } from './role-permissions.validator.js';

interface RoleRow {
  id: string;
  key: string | null;
  name: string;
  description: string | null;
  built_in: boolean;
  permissions: RolePermissions;
  created_at: Date;
  updated_at: Date;
  version: number;
}

export interface RoleView {
  id: string;
  key: string | null;
  name: string;
  description: string | null;
  builtIn: boolean;
  permissions: RolePermissions;
  userCount: number;
  createdAt: string;
  updatedAt: string;
  version: number;
}

const ROLE_SCHEMA: QuerySchema = {
  entity: 'roles',
  table: 'roles',
  alias: 'r',
  fields: new Map([
    adminField('id', 'r.id', 'uuid', { sortable: true }),
    adminField('key', 'r.key', 'string', { nullable: true }),
    adminField('name', 'r.name', 'string', { sortable: true, caseInsensitive: true }),
    adminField('builtIn', 'r.built_in', 'boolean'),
    adminField('admin', `(r.permissions->>'admin')::boolean`, 'boolean'),
    adminField('createdAt', 'r.created_at', 'datetime', { sortable: true }),
    adminField('updatedAt', 'r.updated_at', 'datetime', { sortable: true }),
  ]),
  relations: new Map(),
  search: 'lower(r.name)',
  defaultSort: 'name',
  ownerColumn: null,
  teamColumn: null,
};

const ROLE_FIELDS = [
  'id',
  'key',
  'name',
  'description',
  'builtIn',
  'permissions',
  'userCount',
  'createdAt',
  'updatedAt',
  'version',
] as const satisfies readonly (keyof RoleDto)[];

const HISTORY_IGNORED = new Set(['id', 'createdAt', 'updatedAt', 'version', 'userCount']);

/** Deep copy with sorted keys: jsonb reorders keys, so comparisons go through this form. */
function sorted<T>(value: T): T {
  if (Array.isArray(value)) return value.map(sorted) as T;
  if (value && typeof value === 'object')
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((k) => [k, sorted((value as Record<string, unknown>)[k])]),
    ) as T;
  return value;
}

function roleName(raw: string): string {
  const name = raw.trim();
  if (name === '') throw AppError.field('name', 'required', 'must not be blank');
  return name;
}

/**
 * Roles: named sets of entity grants and field restrictions. Built-in roles keep their key
 * and cannot be deleted, but an organization may tune their permissions.
 */
@Injectable()
export class RolesService extends AdminTableService<RoleRow, RoleView> {
  constructor(
    db: DatabaseService,
    permissions: PermissionEvaluator,
    private readonly principals: PrincipalLoader,
    history: HistoryService,
    private readonly registry: ResourceRegistry,
  ) {
    super(db, permissions, history, {
      schema: ROLE_SCHEMA,
      label: 'role',
      fields: ROLE_FIELDS,
      historyIgnored: HISTORY_IGNORED,
    });
  }

  override async create(
    ctx: RequestContext,
    input: { name: string; description?: string | null; permissions: unknown },
  ): Promise<RoleView> {
    this.permissions.requireAdmin(ctx.user);
    const name = roleName(input.name);
    const permissions = validateRolePermissions(input.permissions, this.registry);
    return this.db.transaction(ctx, async (tx) => {
      await this.assertNameFree(tx, name, null);
      const [row] = await this.db.query<RoleRow>(
        tx,
        `INSERT INTO roles (id, name, description, built_in, permissions) VALUES ($1, $2, $3, false, $4) RETURNING *`,
        [uuidv7(), name, input.description ?? null, JSON.stringify(permissions)],
      );
      const view = await this.view(tx, row);
      await this.recordCreated(tx, view);
      return view;
    });
  }

  override async update(
    ctx: RequestContext,
    id: string,
    patch: { name?: string; description?: string | null; permissions?: unknown },
    ifMatch: string | undefined,
  ): Promise<RoleView> {
    const caller = ctx.user;
    this.permissions.requireAdmin(caller);
    const name = patch.name === undefined ? undefined : roleName(patch.name);
    const permissions =
      patch.permissions === undefined
        ? undefined
        : validateRolePermissions(patch.permissions, this.registry);
    const updated = await this.db.transaction(ctx, async (tx) => {
      const existing = await this.load(tx, id, { forUpdate: true });
      checkIfMatch(ifMatch, existing.version);
      const before = await this.view(tx, existing);
      const next = {
        name: name ?? existing.name,
        description: patch.description !== undefined ? patch.description : existing.description,
        permissions: permissions ?? existing.permissions,
      };
      const changed =
        next.name !== existing.name ||
        next.description !== existing.description ||
        JSON.stringify(sorted(next.permissions)) !== JSON.stringify(sorted(existing.permissions));
      if (!changed) return before;
      if (next.name !== existing.name) await this.assertNameFree(tx, next.name, id);
      if (id === caller.roleId && !next.permissions.admin)
        throw new AppError('self_lockout', {
          action: 'take administration away from your own role',
        });
      const [row] = await this.db.query<RoleRow>(
        tx,
        `UPDATE roles SET name = $2, description = $3, permissions = $4, version = version + 1, updated_at = now()
          WHERE id = $1 RETURNING *`,
        [id, next.name, next.description, JSON.stringify(next.permissions)],
      );
      const after = await this.view(tx, row);
      await this.recordUpdated(tx, before, after);
      return after;
    });
    this.principals.invalidate();
    return updated;
  }

  /** Only a custom role that no user holds may go. */
  protected override async deleteRow(tx: RequestContext, role: RoleRow): Promise<void> {
    if (role.built_in) throw new AppError('built_in_role');
    // Users are locked too, so none can be given this role while it is being deleted.
    const holders = await this.db.query<{ id: string }>(
      tx,
      `SELECT id FROM users WHERE role_id = $1 AND deleted_at IS NULL FOR UPDATE`,
      [role.id],
    );
    if (holders.length > 0)
      throw new AppError('role_in_use', { count: holders.length }, undefined, {
        userCount: holders.length,
      });
    await super.deleteRow(tx, role);
  }

  protected override async restoreRow(tx: RequestContext, role: RoleRow): Promise<RoleRow> {
    await this.assertNameFree(tx, role.name, role.id);
    return super.restoreRow(tx, role);
  }

  protected override afterRemoveOrRestore(): void {
    this.principals.invalidate();
  }

  private async assertNameFree(tx: RequestContext, name: string, exceptId: string | null) {
    const clash = await this.db.one<{ id: string }>(
      tx,
      `SELECT id FROM roles WHERE lower(name) = lower($1) AND deleted_at IS NULL AND id IS DISTINCT FROM $2::uuid`,
      [name, exceptId],
    );
    if (clash)
      throw new AppError('unique_violation', { field: 'name' }, undefined, {
        field: 'name',
        existingId: clash.id,
      });
  }

  protected override async present(ctx: RequestContext, rows: RoleRow[]): Promise<RoleView[]> {
    const counts = new Map<string, number>();
    if (rows.length > 0) {
      const found = await this.db.query<{ role_id: string; n: number }>(
        ctx,
        `SELECT role_id, count(*)::int AS n FROM users WHERE role_id = ANY($1::uuid[]) AND deleted_at IS NULL GROUP BY role_id`,
        [rows.map((r) => r.id)],
      );
      for (const c of found) counts.set(c.role_id, c.n);
    }
    return rows.map((r) => ({
      id: r.id,
      key: r.key,
      name: r.name,
      description: r.description,
      builtIn: r.built_in,
      permissions: sorted(r.permissions),
      userCount: counts.get(r.id) ?? 0,
      createdAt: r.created_at.toISOString(),
      updatedAt: r.updated_at.toISOString(),
      version: r.version,
    }));
  }
}
