import { Injectable } from '@nestjs/common';
import { ACCOUNT_DEFINITION, CONTACT_DEFINITION } from '#operational/customers/index.js';
import { PermissionEvaluator } from '#platform/access/index.js';
import type { RequestContext } from '#platform/context/index.js';
import type { SqlParams } from '#platform/query/index.js';
import { querySchemaOf } from '#platform/records/index.js';

type OwnedSchema = Parameters<PermissionEvaluator['scopeSql']>[2];

/** The caller's read scopes as SQL predicates, for the analytics queries over many records. */
@Injectable()
export class CustomerScopes {
  constructor(private readonly permissions: PermissionEvaluator) {}

  /** The caller's read scope on an entity as a predicate over `alias`; null without a grant. */
  scope(ctx: RequestContext, entity: string, alias: string, p: SqlParams): string | null {
    const grant = this.permissions.grant(ctx.user, entity).read;
    if (grant === 'none') return null;
    const schema: OwnedSchema =
      entity === 'accounts'
        ? querySchemaOf(ACCOUNT_DEFINITION)
        : entity === 'contacts'
          ? querySchemaOf(CONTACT_DEFINITION)
          : ({ entity, ownerColumn: 'owner_id', teamColumn: 'team_id' } as OwnedSchema);
    return this.permissions.scopeSql(ctx.user, grant, schema, alias, p);
  }

  /** Accounts the caller may read, as a predicate over `a` (FALSE without a grant). */
  accountScope(ctx: RequestContext, p: SqlParams): string {
    return this.scope(ctx, 'accounts', 'a', p) ?? 'FALSE';
  }
}
