import { Injectable } from '@nestjs/common';
import { HistoryService } from '#platform/audit/history.service.js';
import { PrincipalLoader } from '#platform/auth/principal-loader.js';
import type { RequestContext } from '#platform/context/request-context.js';
import { DatabaseService } from '#platform/database/database.service.js';
import { uuidv7 } from '#platform/database/uuid7.js';
import { AppError, type FieldError } from '#platform/http/app-error.js';
import { checkIfMatch } from '#platform/http/etag.js';
import type { QuerySchema } from '#platform/query/query-schema.js';
import { AdminTableService } from '#platform/records/admin-table.service.js';
import { adminField } from '../admin-list.js';
import { PermissionEvaluator } from '../permission-evaluator.js';
import type { TeamDto } from './dto/team.dto.js';

interface TeamRow {
  id: string;
  name: string;
  description: string | null;
  default_owner_id: string | null;
  created_at: Date;
  updated_at: Date;
  version: number;
}

export interface TeamView {
  id: string;
  name: string;
  description: string | null;
  memberIds: string[];
  defaultOwnerId: string | null;
  createdAt: string;
  updatedAt: string;
  version: number;
}

const TEAM_SCHEMA: QuerySchema = {
  entity: 'teams',
  table: 'teams',
  alias: 't',
  fields: new Map([
    adminField('id', 't.id', 'uuid', { sortable: true }),
    adminField('name', 't.name', 'string', { sortable: true, caseInsensitive: true }),
    adminField('description', 't.description', 'string', { nullable: true }),
    adminField(
      'memberIds',
      `ARRAY(SELECT m.user_id::text FROM team_members m WHERE m.team_id = t.id)`,
      'string[]',
    ),
    adminField('defaultOwnerId', 't.default_owner_id', 'uuid', { nullable: true }),
    adminField('createdAt', 't.created_at', 'datetime', { sortable: true }),
    adminField('updatedAt', 't.updated_at', 'datetime', { sortable: true }),
  ]),
  relations: new Map(),
  search: 'lower(t.name)',
  defaultSort: 'name',
  ownerColumn: null,
  teamColumn: null,
};

const TEAM_FIELDS = [
  'id',
  'name',
  'description',
  'memberIds',
  'defaultOwnerId',
  'createdAt',
  'updatedAt',
  'version',
] as const satisfies readonly (keyof TeamDto)[];

const HISTORY_IGNORED = new Set(['id', 'createdAt', 'updatedAt', 'version']);

/** Names compare trimmed and case-insensitively; blank is not a name. */
function teamName(raw: string): string {
  const name = raw.trim();
  if (name === '') throw AppError.field('name', 'required', 'must not be blank');
  return name;
}

const sameSet = (a: readonly string[], b: readonly string[]) =>
  a.length === b.length && [...a].sort().join() === [...b].sort().join();

/**
 * Teams and their members. Membership drives the `team` record scope, so every change here
 * forgets the cached principals.
 */
@Injectable()
export class TeamsService extends AdminTableService<TeamRow, TeamView> {
  constructor(
    db: DatabaseService,
    permissions: PermissionEvaluator,
    private readonly principals: PrincipalLoader,
    history: HistoryService,
  ) {
    super(db, permissions, history, {
      schema: TEAM_SCHEMA,
      label: 'team',
      fields: TEAM_FIELDS,
      historyIgnored: HISTORY_IGNORED,
    });
  }

  override async create(
    ctx: RequestContext,
    input: { name: string; description?: string | null },
  ): Promise<TeamView> {
    this.permissions.requireAdmin(ctx.user);
    const name = teamName(input.name);
    const created = await this.db.transaction(ctx, async (tx) => {
      await this.assertNameFree(tx, name, null);
      const [row] = await this.db.query<TeamRow>(
        tx,
        `INSERT INTO teams (id, name, description) VALUES ($1, $2, $3) RETURNING *`,
        [uuidv7(), name, input.description ?? null],
      );
      const view = await this.view(tx, row);
      await this.recordCreated(tx, view);
      return view;
    });
    return created;
  }

  override async update(
    ctx: RequestContext,
    id: string,
    patch: { name?: string; description?: string | null; defaultOwnerId?: string | null },
    ifMatch: string | undefined,
  ): Promise<TeamView> {
    this.permissions.requireAdmin(ctx.user);
    return this.db.transaction(ctx, async (tx) => {
      const existing = await this.load(tx, id, { forUpdate: true });
      checkIfMatch(ifMatch, existing.version);
      const before = await this.view(tx, existing);
      const name = patch.name === undefined ? undefined : teamName(patch.name);
      const changedName = name !== undefined && name !== existing.name;
      const changedDescription =
        patch.description !== undefined && patch.description !== existing.description;
      const defaultOwnerId = patch.defaultOwnerId?.toLowerCase() ?? patch.defaultOwnerId;
      const changedDefaultOwner =
        defaultOwnerId !== undefined && defaultOwnerId !== existing.default_owner_id;
      if (!changedName && !changedDescription && !changedDefaultOwner) return before;
      if (changedName) await this.assertNameFree(tx, name, id);
      if (changedDefaultOwner && defaultOwnerId)
        await this.assertCanOwnUnplaced(tx, id, defaultOwnerId);
      const [row] = await this.db.query<TeamRow>(
        tx,
        `UPDATE teams SET name = $2, description = $3, default_owner_id = $4, version = version + 1, updated_at = now()
          WHERE id = $1 RETURNING *`,
        [
          id,
          changedName ? name : existing.name,
          changedDescription ? patch.description : existing.description,
          changedDefaultOwner ? defaultOwnerId : existing.default_owner_id,
        ],
      );
      const after = await this.view(tx, row);
      await this.recordUpdated(tx, before, after);
      return after;
    });
  }

  /** Adds a user to the team; adding a member again changes nothing. */
  async addMember(ctx: RequestContext, teamId: string, userId: string): Promise<TeamView> {
    this.permissions.requireAdmin(ctx.user);
    const team = await this.db.transaction(ctx, async (tx) => {
      await this.load(tx, teamId);
      // Locks in the order user, then team — the order of a user update — so the two never deadlock.
      const user = await this.db.one(
        tx,
        `SELECT 1 FROM users WHERE id = $1 AND deleted_at IS NULL FOR UPDATE`,
        [userId],
      );
      if (!user) throw AppError.field('userId', 'notFound', 'refers to a user that does not exist');
      const existing = await this.load(tx, teamId, { forUpdate: true });
      const added = await this.db.query(
        tx,
        `INSERT INTO team_members (team_id, user_id) VALUES ($1, $2) ON CONFLICT DO NOTHING RETURNING user_id`,
        [teamId, userId],
      );
      if (added.length === 0) return this.view(tx, existing);
      await this.membershipChanged(tx, [teamId], [userId]);
      await this.history.record(tx, 'teams', teamId, 'update', [
        { field: 'memberIds', old: null, new: userId },
      ]);
      await this.history.record(tx, 'users', userId, 'update', [
        { field: 'teamIds', old: null, new: teamId },
      ]);
      return this.view(tx, await this.load(tx, teamId));
    });
    this.principals.invalidate();
    return team;
  }

  async removeMember(ctx: RequestContext, teamId: string, userId: string): Promise<void> {
    this.permissions.requireAdmin(ctx.user);
    await this.db.transaction(ctx, async (tx) => {
      await this.load(tx, teamId);
      await this.db.query(tx, `SELECT 1 FROM users WHERE id = $1 FOR UPDATE`, [userId]);
      await this.load(tx, teamId, { forUpdate: true });
      const removed = await this.db.query(
        tx,
        `DELETE FROM team_members WHERE team_id = $1 AND user_id = $2 RETURNING user_id`,
        [teamId, userId],
      );
      if (removed.length === 0) throw AppError.notFound('team member', userId);
      await this.membershipChanged(tx, [teamId], [userId]);
      await this.history.record(tx, 'teams', teamId, 'update', [
        { field: 'memberIds', old: userId, new: null },
      ]);
      await this.history.record(tx, 'users', userId, 'update', [
        { field: 'teamIds', old: teamId, new: null },
      ]);
    });
    this.principals.invalidate();
  }

  /** Team ids of each user, live teams only, sorted. */
  async teamIdsOfUsers(ctx: RequestContext, userIds: string[]): Promise<Map<string, string[]>> {
    const out = new Map<string, string[]>(userIds.map((id) => [id, []]));
    if (userIds.length === 0) return out;
    const rows = await this.db.query<{ user_id: string; team_id: string }>(
      ctx,
      `SELECT m.user_id, m.team_id FROM team_members m JOIN teams t ON t.id = m.team_id AND t.deleted_at IS NULL
        WHERE m.user_id = ANY($1::uuid[]) ORDER BY m.team_id`,
      [userIds],
    );
    for (const r of rows) out.get(r.user_id)?.push(r.team_id);
    return out;
  }

  /**
   * Makes `teamIds` the user's memberships (in the caller's transaction). Every id must be a
   * live team; errors name the offending index. Returns whether anything changed.
   */
  async replaceTeamsOfUser(
    tx: RequestContext,
    userId: string,
    teamIds: string[],
    field = 'teamIds',
  ): Promise<{ before: string[]; after: string[]; changed: boolean }> {
    const wanted = [...new Set(teamIds.map((t) => t.toLowerCase()))];
    await this.assertTeamsExist(tx, teamIds, field);
    const before = (await this.teamIdsOfUsers(tx, [userId])).get(userId) ?? [];
    if (sameSet(before, wanted)) return { before, after: before, changed: false };
    const removed = await this.db.query<{ team_id: string }>(
      tx,
      `DELETE FROM team_members WHERE user_id = $1 AND NOT (team_id = ANY($2::uuid[]))
          AND team_id IN (SELECT id FROM teams WHERE deleted_at IS NULL) RETURNING team_id`,
      [userId, wanted],
    );
    const added = await this.db.query<{ team_id: string }>(
      tx,
      `INSERT INTO team_members (team_id, user_id) SELECT unnest($2::uuid[]), $1 ON CONFLICT DO NOTHING RETURNING team_id`,
      [userId, wanted],
    );
    const touched = [...removed, ...added].map((r) => r.team_id);
    await this.membershipChanged(tx, touched, []);
    for (const teamId of touched) {
      const joined = added.some((a) => a.team_id === teamId);
      await this.history.record(tx, 'teams', teamId, 'update', [
        { field: 'memberIds', old: joined ? null : userId, new: joined ? userId : null },
      ]);
    }
    const after = (await this.teamIdsOfUsers(tx, [userId])).get(userId) ?? [];
    return { before, after, changed: true };
  }

  /** Every id must be a live team; each missing one is reported at its index. */
  async assertTeamsExist(ctx: RequestContext, teamIds: string[], field = 'teamIds') {
    if (teamIds.length === 0) return;
    const rows = await this.db.query<{ id: string }>(
      ctx,
      `SELECT id FROM teams WHERE id = ANY($1::uuid[]) AND deleted_at IS NULL`,
      [teamIds],
    );
    const found = new Set(rows.map((r) => r.id));
    const errors: FieldError[] = teamIds
      .map((t, i) => ({ t, i }))
      .filter(({ t }) => !found.has(t.toLowerCase()))
      .map(({ i }) => ({
        field: `${field}[${i}]`,
        rule: 'notFound',
        message: 'refers to a team that does not exist',
      }));
    if (errors.length) throw AppError.validation(errors);
  }

  protected override async restoreRow(tx: RequestContext, team: TeamRow): Promise<TeamRow> {
    await this.assertNameFree(tx, team.name, team.id);
    return super.restoreRow(tx, team);
  }

  /** A deleted team stops counting for record scope; its memberships are kept for a restore. */
  protected override afterRemoveOrRestore(): void {
    this.principals.invalidate();
  }

  /** Memberships are part of both sides' representation: their versions (and ETags) move. */
  private async membershipChanged(tx: RequestContext, teamIds: string[], userIds: string[]) {
    if (teamIds.length)
      await this.db.query(
        tx,
        `UPDATE teams SET version = version + 1, updated_at = now() WHERE id = ANY($1::uuid[])`,
        [teamIds],
      );
    if (userIds.length)
      await this.db.query(
        tx,
        `UPDATE users SET version = version + 1, updated_at = now() WHERE id = ANY($1::uuid[])`,
        [userIds],
      );
  }

  /**
   * A default owner takes the records that assignment rules cannot place, so it must be
   * someone who can own them: an active member of the team.
   */
  private async assertCanOwnUnplaced(tx: RequestContext, teamId: string, userId: string) {
    const user = await this.db.one<{ active: boolean; member: boolean }>(
      tx,
      `SELECT u.active, EXISTS (SELECT 1 FROM team_members m WHERE m.team_id = $1 AND m.user_id = u.id) AS member
         FROM users u WHERE u.id = $2 AND u.deleted_at IS NULL`,
      [teamId, userId],
    );
    if (!user)
      throw AppError.field('defaultOwnerId', 'notFound', 'refers to a user that does not exist');
    if (!user.active)
      throw AppError.field('defaultOwnerId', 'inactive', 'refers to a user who is not active');
    if (!user.member)
      throw AppError.field('defaultOwnerId', 'notMember', 'must be a member of the team');
  }

  private async assertNameFree(tx: RequestContext, name: string, exceptId: string | null) {
    const clash = await this.db.one<{ id: string }>(
      tx,
      `SELECT id FROM teams WHERE lower(name) = lower($1) AND deleted_at IS NULL AND id IS DISTINCT FROM $2::uuid`,
      [name.trim(), exceptId],
    );
    if (clash)
      throw new AppError('unique_violation', { field: 'name' }, undefined, {
        field: 'name',
        existingId: clash.id,
      });
  }

  protected override async present(ctx: RequestContext, rows: TeamRow[]): Promise<TeamView[]> {
    const members = new Map<string, string[]>(rows.map((r) => [r.id, []]));
    if (rows.length > 0) {
      const found = await this.db.query<{ team_id: string; user_id: string }>(
        ctx,
        `SELECT m.team_id, m.user_id FROM team_members m JOIN users u ON u.id = m.user_id AND u.deleted_at IS NULL
          WHERE m.team_id = ANY($1::uuid[]) ORDER BY m.user_id`,
        [rows.map((r) => r.id)],
      );
      for (const m of found) members.get(m.team_id)?.push(m.user_id);
    }
    return rows.map((r) => ({
      id: r.id,
      name: r.name,
      description: r.description,
      memberIds: members.get(r.id) ?? [],
      defaultOwnerId: r.default_owner_id,
      createdAt: r.created_at.toISOString(),
      updatedAt: r.updated_at.toISOString(),
      version: r.version,
    }));
  }
}
