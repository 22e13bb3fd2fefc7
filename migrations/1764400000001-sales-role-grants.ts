import type { MigrationInterface, QueryRunner } from 'typeorm';

type Scope = 'none' | 'own' | 'team' | 'all';
interface Grant {
  create: Scope;
  read: Scope;
  update: Scope;
  delete: Scope;
  reassign: boolean;
}

const grant = (create: Scope, read: Scope, update: Scope, del: Scope, reassign = false): Grant => ({
  create,
  read,
  update,
  delete: del,
  reassign,
});

/** What each built-in role may do with leads and opportunities. */
const GRANTS: Record<string, { leads: Grant; opportunities: Grant }> = {
  admin: {
    leads: grant('all', 'all', 'all', 'all', true),
    opportunities: grant('all', 'all', 'all', 'all', true),
  },
  sales_manager: {
    leads: grant('all', 'all', 'team', 'team', true),
    opportunities: grant('all', 'all', 'team', 'team', true),
  },
  sales_rep: {
    leads: grant('own', 'team', 'own', 'own'),
    opportunities: grant('own', 'team', 'own', 'own'),
  },
  marketing: {
    leads: grant('all', 'all', 'none', 'none'),
    opportunities: grant('none', 'none', 'none', 'none'),
  },
  service_agent: {
    leads: grant('none', 'all', 'none', 'none'),
    opportunities: grant('none', 'all', 'none', 'none'),
  },
  analyst: {
    leads: grant('none', 'all', 'none', 'none'),
    opportunities: grant('none', 'all', 'none', 'none'),
  },
};

/**
 * Grants on leads and opportunities for the built-in roles. A role an admin already gave a
 * grant for an entity keeps it: only missing entries are added.
 */
export class SalesRoleGrants1764400000001 implements MigrationInterface {
  name = 'SalesRoleGrants1764400000001';

  async up(q: QueryRunner): Promise<void> {
    for (const [key, grants] of Object.entries(GRANTS)) {
      for (const [entity, g] of Object.entries(grants)) {
        await q.query(
          `UPDATE roles SET permissions = jsonb_set(permissions, ARRAY['entities', $2::text], $3::jsonb, true),
                  version = version + 1, updated_at = now()
            WHERE key = $1 AND built_in AND NOT (permissions->'entities' ? $2::text)`,
          [key, entity, JSON.stringify(g)],
        );
      }
    }
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(
      `UPDATE roles SET permissions = jsonb_set(permissions, '{entities}', (permissions->'entities') - 'leads' - 'opportunities')
        WHERE built_in`,
    );
  }
}
