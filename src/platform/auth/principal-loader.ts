import { Inject, Injectable } from '@nestjs/common';
import { ENV } from '#platform/config/config.tokens.js';
import type { Env } from '#platform/config/env.js';
import type { Principal, RolePermissions } from '#platform/context/principal.js';
import { RequestContext } from '#platform/context/request-context.js';
import { DatabaseService } from '#platform/database/database.service.js';

interface Cached {
  principal: Principal | null;
  expires: number;
}

/**
 * Builds the caller's principal (role permissions, teams, teammates) in one query and keeps
 * it for a few seconds: role or team changes reach every process within that TTL, and a
 * deactivated user is refused within it too.
 */
@Injectable()
export class PrincipalLoader {
  private readonly cache = new Map<string, Cached>();

  constructor(
    private readonly db: DatabaseService,
    @Inject(ENV) private readonly env: Env,
  ) {}

  async load(
    userId: string,
    apiKeyId: string | null = null,
    apiKeyScopes: readonly string[] | null = null,
  ): Promise<Principal | null> {
    const now = Date.now();
    const hit = this.cache.get(userId);
    let base: Principal | null;
    if (hit && hit.expires > now) {
      base = hit.principal;
    } else {
      base = await this.fetch(userId);
      if (this.env.principalCacheTtlMs > 0) {
        if (this.cache.size > 10_000) this.cache.clear();
        this.cache.set(userId, { principal: base, expires: now + this.env.principalCacheTtlMs });
      }
    }
    return base && { ...base, apiKeyId, apiKeyScopes };
  }

  /** Forgets cached principals after a change to users, roles or teams in this process. */
  invalidate(): void {
    this.cache.clear();
  }

  private async fetch(userId: string): Promise<Principal | null> {
    const row = await this.db.one<{
      id: string;
      email: string;
      role_id: string;
      role_name: string;
      permissions: RolePermissions;
      team_ids: string[];
      teammate_ids: string[];
    }>(
      RequestContext.system(),
      `SELECT u.id, u.email, u.role_id, r.name AS role_name, r.permissions,
              coalesce(array(SELECT tm.team_id FROM team_members tm JOIN teams t ON t.id = tm.team_id AND t.deleted_at IS NULL
                              WHERE tm.user_id = u.id ORDER BY tm.team_id), '{}') AS team_ids,
              coalesce(array(SELECT DISTINCT o.user_id FROM team_members mine
                              JOIN team_members o ON o.team_id = mine.team_id
                              JOIN teams t ON t.id = mine.team_id AND t.deleted_at IS NULL
                              WHERE mine.user_id = u.id), '{}') AS teammate_ids
         FROM users u JOIN roles r ON r.id = u.role_id
        WHERE u.id = $1 AND u.active AND u.deleted_at IS NULL`,
      [userId],
    );
    if (!row) return null;
    return {
      userId: row.id,
      email: row.email,
      roleId: row.role_id,
      roleName: row.role_name,
      permissions: row.permissions,
      teamIds: row.team_ids,
      teammateIds: row.teammate_ids.length ? row.teammate_ids : [row.id],
      apiKeyId: null,
    };
  }
}
