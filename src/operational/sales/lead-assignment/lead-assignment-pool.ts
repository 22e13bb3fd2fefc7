import { Injectable } from '@nestjs/common';
import type { RequestContext } from '#platform/context/index.js';
import { DatabaseService } from '#platform/database/index.js';
import { OPEN_LEAD_STATUSES } from '../leads/lead.definition.js';

/** Who can take a team's leads, whose turn it is, who has the least work: the SQL of assignment. */
@Injectable()
export class LeadAssignmentPool {
  constructor(private readonly db: DatabaseService) {}

  /**
   * Members of a live team who can take a lead: active, not deleted, and with a role that
   * may update leads (a lead given to someone who cannot work it is a lead dropped). In id
   * order: the order turns go round in.
   */
  async availableMembers(tx: RequestContext, teamId: string): Promise<string[]> {
    const rows = await this.db.query<{ id: string }>(
      tx,
      `SELECT u.id FROM team_members m
         JOIN teams t ON t.id = m.team_id AND t.deleted_at IS NULL
         JOIN users u ON u.id = m.user_id AND u.active AND u.deleted_at IS NULL
         JOIN roles r ON r.id = u.role_id
        WHERE m.team_id = $1
          AND (coalesce((r.permissions->>'admin')::boolean, false)
               OR coalesce(r.permissions->'entities'->'leads'->>'update', 'none') <> 'none')
        ORDER BY u.id`,
      [teamId],
    );
    return rows.map((r) => r.id);
  }

  /**
   * Locks the team's turn for the rest of the transaction and says who had the last one;
   * undefined when the team does not exist or is deleted (a rule naming a team that has gone
   * finds nobody, it does not fail). Every assignment to the team waits here for the one
   * before it to commit, so concurrent creates on any number of processes see each other's
   * turns (and each other's leads).
   */
  async lockTurn(tx: RequestContext, teamId: string): Promise<{ last: string | null } | undefined> {
    const [row] = await this.db.query<{ last_user_id: string | null }>(
      tx,
      `INSERT INTO lead_assignment_turns AS t (team_id)
         SELECT id FROM teams WHERE id = $1 AND deleted_at IS NULL
       ON CONFLICT (team_id) DO UPDATE SET updated_at = now()
       RETURNING t.last_user_id`,
      [teamId],
    );
    return row ? { last: row.last_user_id } : undefined;
  }

  async saveTurn(tx: RequestContext, teamId: string, userId: string): Promise<void> {
    await this.db.query(
      tx,
      `UPDATE lead_assignment_turns SET last_user_id = $2, updated_at = now() WHERE team_id = $1`,
      [teamId, userId],
    );
  }

  /** Open leads owned by each user (0 for none). */
  async openLeadCounts(tx: RequestContext, userIds: readonly string[]) {
    const rows = await this.db.query<{ id: string; n: number }>(
      tx,
      `SELECT u.id, count(l.id)::int AS n FROM unnest($1::uuid[]) AS u(id)
         LEFT JOIN leads l ON l.owner_id = u.id AND l.deleted_at IS NULL AND l.status = ANY($2::text[])
        GROUP BY u.id`,
      [userIds, OPEN_LEAD_STATUSES],
    );
    return new Map(rows.map((r) => [r.id, r.n]));
  }

  /** The live team's default owner while they are an active user, else null. */
  async defaultOwner(tx: RequestContext, teamId: string): Promise<string | null> {
    const row = await this.db.one<{ id: string }>(
      tx,
      `SELECT u.id FROM teams t JOIN users u ON u.id = t.default_owner_id AND u.active AND u.deleted_at IS NULL
        WHERE t.id = $1 AND t.deleted_at IS NULL`,
      [teamId],
    );
    return row?.id ?? null;
  }

  async isActiveUser(tx: RequestContext, userId: string): Promise<boolean> {
    return !!(await this.db.one(
      tx,
      `SELECT 1 FROM users WHERE id = $1 AND active AND deleted_at IS NULL`,
      [userId],
    ));
  }

  async isLiveTeam(tx: RequestContext, teamId: string): Promise<boolean> {
    return !!(await this.db.one(tx, `SELECT 1 FROM teams WHERE id = $1 AND deleted_at IS NULL`, [
      teamId,
    ]));
  }
}
