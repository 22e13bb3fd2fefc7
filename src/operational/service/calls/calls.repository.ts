import { Injectable } from '@nestjs/common';
import {
  ACCOUNT_DEFINITION,
  CONTACT_DEFINITION,
  matchedContactsCte,
} from '#operational/customers/index.js';
import { PermissionEvaluator } from '#platform/access/index.js';
import type { RequestContext } from '#platform/context/index.js';
import { DatabaseService } from '#platform/database/index.js';
import { SqlParams } from '#platform/query/index.js';
import { querySchemaOf } from '#platform/records/index.js';
import { CALL_DEFINITION } from './call.definition.js';

type Money = { amount: string; currency: string };

export interface LookupRow {
  id: string;
  firstName: string | null;
  lastName: string;
  email: string | null;
  phones: unknown[];
  account: { id: string; name: string } | null;
  recentOrders: { id: string; number: string; status: string; orderedAt: string; total: Money }[];
}

export interface AgentRow {
  agentId: string;
  agentName: string;
  calls: number;
  answered: number;
  averageHandleSeconds: number | null;
  caseIds: string[];
  singleCallCaseIds: string[];
}

/** The SQL of the screen-pop and of the agent report, each one statement. */
@Injectable()
export class CallsRepository {
  constructor(
    private readonly db: DatabaseService,
    private readonly permissions: PermissionEvaluator,
  ) {}

  private scope(ctx: RequestContext, entity: string, alias: string, p: SqlParams): string {
    const scope = this.permissions.grant(ctx.user, entity).read;
    const schema =
      entity === 'contacts'
        ? querySchemaOf(CONTACT_DEFINITION)
        : entity === 'accounts'
          ? querySchemaOf(ACCOUNT_DEFINITION)
          : entity === 'calls'
            ? querySchemaOf(CALL_DEFINITION)
            : // Orders are read here through their table only; the scope needs just its owner columns.
              ({ entity, ownerColumn: 'owner_id', teamColumn: 'team_id' } as Parameters<
                PermissionEvaluator['scopeSql']
              >[2]);
    return this.permissions.scopeSql(ctx.user, scope, schema, alias, p);
  }

  /**
   * Contacts with a number among `keys` (digit forms of one number), with their account and
   * their five latest orders (theirs or their account's), in one statement.
   */
  lookup(ctx: RequestContext, keys: string[]): Promise<LookupRow[]> {
    const p = new SqlParams();
    return this.db.query<LookupRow>(
      ctx,
      `WITH ${matchedContactsCte('phone_keys', p.add(keys))}
       SELECT c.id, c.first_name AS "firstName", c.last_name AS "lastName", c.email, c.phones,
              CASE WHEN a.id IS NULL THEN NULL ELSE jsonb_build_object('id', a.id, 'name', a.name) END AS account,
              coalesce((
                SELECT jsonb_agg(jsonb_build_object('id', o.id, 'number', o.number, 'status', o.status,
                         'orderedAt', to_char(o.ordered_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
                         'total', jsonb_build_object('amount', o.total_amount::text, 'currency', o.total_currency))
                         ORDER BY o.ordered_at DESC)
                  FROM (SELECT * FROM orders o
                         WHERE o.deleted_at IS NULL AND (o.contact_id = c.id OR o.account_id = c.account_id)
                           AND ${this.scope(ctx, 'orders', 'o', p)}
                         ORDER BY o.ordered_at DESC LIMIT 5) o), '[]'::jsonb) AS "recentOrders"
         FROM matched m
         JOIN contacts c ON c.id = m.id
         LEFT JOIN accounts a ON a.id = c.account_id AND a.deleted_at IS NULL AND ${this.scope(ctx, 'accounts', 'a', p)}
        WHERE ${this.scope(ctx, 'contacts', 'c', p)}
        ORDER BY c.updated_at DESC LIMIT 10`,
      p.values,
    );
  }

  /**
   * Per agent, the calls that started in [from, to): how many, answered, the average talk time
   * of answered calls, the cases they were about and those of them that had this one call only.
   */
  agents(ctx: RequestContext, from: Date, to: Date): Promise<AgentRow[]> {
    const p = new SqlParams();
    return this.db.query<AgentRow>(
      ctx,
      `SELECT cl.agent_id AS "agentId",
              trim(coalesce(u.first_name, '') || ' ' || coalesce(u.last_name, '')) AS "agentName",
              count(*)::int AS calls,
              count(*) FILTER (WHERE cl.outcome = 'answered')::int AS answered,
              round(avg(cl.duration_seconds) FILTER (WHERE cl.outcome = 'answered'))::int AS "averageHandleSeconds",
              coalesce(array_agg(DISTINCT cl.case_id::text) FILTER (WHERE cl.case_id IS NOT NULL), '{}') AS "caseIds",
              coalesce(array_agg(DISTINCT cl.case_id::text) FILTER (WHERE cl.case_id IS NOT NULL AND NOT EXISTS (
                SELECT 1 FROM calls other WHERE other.case_id = cl.case_id AND other.id <> cl.id
                   AND other.deleted_at IS NULL)), '{}') AS "singleCallCaseIds"
         FROM calls cl JOIN users u ON u.id = cl.agent_id
        WHERE cl.deleted_at IS NULL AND cl.started_at >= ${p.add(from)} AND cl.started_at < ${p.add(to)}
          AND ${this.scope(ctx, 'calls', 'cl', p)}
        GROUP BY cl.agent_id, u.first_name, u.last_name
        ORDER BY calls DESC, "agentName"`,
      p.values,
    );
  }
}
