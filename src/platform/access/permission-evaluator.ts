import { Injectable } from '@nestjs/common';
import type {
  CrudAction,
  EntityGrant,
  FieldAccess,
  Principal,
  Scope,
} from '#platform/context/principal.js';
import { AppError } from '#platform/http/app-error.js';
import type { QueryAccess } from '#platform/query/list-query-builder.js';
import type { QuerySchema } from '#platform/query/query-schema.js';
import type { SqlParams } from '#platform/query/sql-params.js';

const NO_GRANT: EntityGrant = {
  create: 'none',
  read: 'none',
  update: 'none',
  delete: 'none',
  reassign: false,
};
const ADMIN_GRANT: EntityGrant = {
  create: 'all',
  read: 'all',
  update: 'all',
  delete: 'all',
  reassign: true,
};

export interface OwnedRecord {
  ownerId: string | null;
  teamId: string | null;
}

/**
 * The one place that decides what a role may do. Services ask it before acting and the
 * list query builder asks it for the row predicate, so the same rule holds for reads by id,
 * lists, filters through relations, updates and deletes.
 */
@Injectable()
export class PermissionEvaluator {
  grant(principal: Principal, entity: string): EntityGrant {
    if (principal.permissions.admin) return ADMIN_GRANT;
    return principal.permissions.entities[entity] ?? NO_GRANT;
  }

  /** The scope for an action, or 403 when the role has none. */
  require(principal: Principal, entity: string, action: CrudAction): Exclude<Scope, 'none'> {
    const scope = this.grant(principal, entity)[action];
    if (scope === 'none') throw AppError.forbidden(action, entity);
    return scope;
  }

  requireAdmin(principal: Principal): void {
    if (!principal.permissions.admin) throw AppError.forbidden('administer', 'this resource');
  }

  field(principal: Principal, entity: string, field: string): FieldAccess | undefined {
    if (principal.permissions.admin) return undefined;
    return principal.permissions.fields[entity]?.[field];
  }

  /** Whether the role hides some of the entity's fields or makes them read-only. */
  limitsFields(principal: Principal, entity: string): boolean {
    if (principal.permissions.admin) return false;
    const fields = principal.permissions.fields[entity];
    return fields !== undefined && Object.keys(fields).length > 0;
  }

  hiddenFields(principal: Principal, entity: string): Set<string> {
    if (principal.permissions.admin) return new Set();
    const fields = principal.permissions.fields[entity] ?? {};
    return new Set(
      Object.entries(fields)
        .filter(([, a]) => a === 'hidden')
        .map(([f]) => f),
    );
  }

  /** Whether a record (by its owner and team) lies inside a scope. */
  inScope(principal: Principal, scope: Scope, record: OwnedRecord): boolean {
    switch (scope) {
      case 'all':
        return true;
      case 'team':
        return (
          record.ownerId === principal.userId ||
          (record.teamId !== null && principal.teamIds.includes(record.teamId)) ||
          (record.ownerId !== null && principal.teammateIds.includes(record.ownerId))
        );
      case 'own':
        return record.ownerId === principal.userId;
      case 'none':
        return false;
    }
  }

  /** SQL predicate equal to `inScope`, for lists and reads. */
  scopeSql(
    principal: Principal,
    scope: Scope,
    schema: QuerySchema,
    alias: string,
    params: SqlParams,
  ): string {
    if (scope === 'all' || !schema.ownerColumn) return 'TRUE';
    if (scope === 'none') return 'FALSE';
    const owner = `${alias}.${schema.ownerColumn}`;
    if (scope === 'own') return `${owner} = ${params.add(principal.userId)}::uuid`;
    const team = schema.teamColumn
      ? ` OR ${alias}.${schema.teamColumn} = ANY(${params.add(principal.teamIds)}::uuid[])`
      : '';
    return `(${owner} = ANY(${params.add(principal.teammateIds.length ? principal.teammateIds : [principal.userId])}::uuid[])${team})`;
  }

  /** Read access for the list query builder, relations included. */
  queryAccess(principal: Principal): QueryAccess {
    return {
      scope: (schema, alias, params) =>
        this.scopeSql(principal, this.grant(principal, schema.entity).read, schema, alias, params),
      isHidden: (entity, field) => this.field(principal, entity, field) === 'hidden',
    };
  }
}
