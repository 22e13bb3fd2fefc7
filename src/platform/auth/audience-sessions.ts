import type { Env } from '#platform/config/env.js';
import type { RequestContext } from '#platform/context/request-context.js';
import type { DatabaseService } from '#platform/database/database.service.js';
import { uuidv7 } from '#platform/database/uuid7.js';
import { AppError } from '#platform/http/app-error.js';
import type { ProblemCode } from '#platform/http/problem-catalog.js';
import { randomToken, sha256 } from './secrets.js';
import type { TokenService } from './token.service.js';

export interface AudienceTokenPair {
  accessToken: string;
  refreshToken: string;
  tokenType: 'Bearer';
  expiresIn: number;
}

/**
 * Where an audience keeps its identities: `<prefix>_users` (with `revoked_at`),
 * `<prefix>_refresh_tokens` and `<prefix>_invitations`, each pointing at its user through
 * `<prefix>_user_id`. The names come from code, never from a request.
 */
export interface AudienceTables {
  audience: string;
  prefix: string;
  /** Prefix of the refresh tokens handed out, so a leaked one tells where it came from. */
  refreshTokenPrefix: string;
}

/** What accepting an invitation found: the identity it was for. */
export interface AcceptedInvitation {
  userId: string;
}

/**
 * Sessions of an audience other than staff (customers, partners): access tokens for the
 * audience and rotating refresh tokens in families, under the same rules as staff sessions
 * (a reused refresh token ends its family), and single-use expiring invitations. Each
 * audience's module builds one over its own tables.
 */
export class AudienceSessionStore {
  private readonly users: string;
  private readonly refreshTokens: string;
  private readonly invitations: string;
  private readonly userColumn: string;

  constructor(
    private readonly tables: AudienceTables,
    private readonly db: DatabaseService,
    private readonly tokens: TokenService,
    private readonly env: Env,
  ) {
    if (!/^[a-z_]+$/.test(tables.prefix)) throw new Error(`bad table prefix ${tables.prefix}`);
    this.users = `${tables.prefix}_users`;
    this.refreshTokens = `${tables.prefix}_refresh_tokens`;
    this.invitations = `${tables.prefix}_invitations`;
    this.userColumn = `${tables.prefix}_user_id`;
  }

  /** The SQL condition that session `$sessionParam` of user `<alias>.id` is still open. */
  sessionOpen(alias: string, sessionParam: string): string {
    return `EXISTS (SELECT 1 FROM ${this.refreshTokens} t
                     WHERE t.family_id = ${sessionParam} AND t.${this.userColumn} = ${alias}.id
                       AND t.revoked_at IS NULL)`;
  }

  /** A new session (a new family) or the next token of one. */
  async issue(
    ctx: RequestContext,
    userId: string,
    familyId = uuidv7(),
  ): Promise<AudienceTokenPair> {
    const refreshToken = `${this.tables.refreshTokenPrefix}_${randomToken()}`;
    await this.db.query(
      ctx,
      `INSERT INTO ${this.refreshTokens} (id, family_id, ${this.userColumn}, token_hash, expires_at)
       VALUES ($1, $2, $3, $4, now() + make_interval(secs => $5))`,
      [uuidv7(), familyId, userId, sha256(refreshToken), this.env.refreshTokenTtlSeconds],
    );
    const { token, expiresIn } = await this.tokens.signForAudience(
      this.tables.audience,
      userId,
      familyId,
    );
    return { accessToken: token, refreshToken, tokenType: 'Bearer', expiresIn };
  }

  /**
   * Rotates a refresh token. `live` says whether its user may still have sessions (access not
   * revoked, organization not suspended); a token of a user who may not answers 401.
   */
  async refresh(
    ctx: RequestContext,
    refreshToken: string,
    live: (ctx: RequestContext, userId: string) => Promise<boolean>,
  ): Promise<AudienceTokenPair> {
    const token = await this.db.one<{
      id: string;
      family_id: string;
      user_id: string;
      expired: boolean;
    }>(
      ctx,
      `SELECT id, family_id, ${this.userColumn} AS user_id, expires_at <= now() AS expired
         FROM ${this.refreshTokens} WHERE token_hash = $1`,
      [sha256(refreshToken)],
    );
    if (!token) throw new AppError('invalid_refresh_token');
    const claimed = await this.db.query(
      ctx,
      `UPDATE ${this.refreshTokens} SET used_at = now()
        WHERE id = $1 AND used_at IS NULL AND revoked_at IS NULL RETURNING id`,
      [token.id],
    );
    // A token presented twice leaked: the owner's and the thief's session end together.
    if (claimed.length === 0 || token.expired) {
      if (claimed.length === 0) await this.endFamily(ctx, token.family_id);
      throw new AppError('invalid_refresh_token');
    }
    if (!(await live(ctx, token.user_id))) throw new AppError('invalid_refresh_token');
    return this.issue(ctx, token.user_id, token.family_id);
  }

  /** Ends the session of `refreshToken` when it is the caller's own. */
  async logout(ctx: RequestContext, userId: string, refreshToken: string): Promise<void> {
    const token = await this.db.one<{ family_id: string }>(
      ctx,
      `SELECT family_id FROM ${this.refreshTokens} WHERE token_hash = $1 AND ${this.userColumn} = $2`,
      [sha256(refreshToken), userId],
    );
    if (token) await this.endFamily(ctx, token.family_id);
  }

  async endAll(ctx: RequestContext, userId: string): Promise<void> {
    await this.db.query(
      ctx,
      `UPDATE ${this.refreshTokens} SET revoked_at = now() WHERE ${this.userColumn} = $1 AND revoked_at IS NULL`,
      [userId],
    );
  }

  private async endFamily(ctx: RequestContext, familyId: string): Promise<void> {
    await this.db.query(
      ctx,
      `UPDATE ${this.refreshTokens} SET revoked_at = now() WHERE family_id = $1 AND revoked_at IS NULL`,
      [familyId],
    );
  }

  /**
   * A new single-use invitation for `userId`, replacing the ones still open; returns the
   * token to mail (only its hash is kept) and when it expires.
   */
  async invite(
    tx: RequestContext,
    userId: string,
    tokenPrefix: string,
    ttlHours: number,
  ): Promise<{ token: string; expiresAt: Date }> {
    await this.db.query(
      tx,
      `UPDATE ${this.invitations} SET used_at = now() WHERE ${this.userColumn} = $1 AND used_at IS NULL`,
      [userId],
    );
    const token = `${tokenPrefix}_${randomToken()}`;
    const rows = await this.db.query<{ expires_at: Date }>(
      tx,
      `INSERT INTO ${this.invitations} (id, ${this.userColumn}, token_hash, expires_at)
       VALUES ($1, $2, $3, now() + make_interval(hours => $4)) RETURNING expires_at`,
      [uuidv7(), userId, sha256(token), ttlHours],
    );
    return { token, expiresAt: rows[0].expires_at };
  }

  /**
   * Uses an invitation of a live identity: `problems` name the module's answers for an
   * unknown, used or expired link (the expired one gets `expiredAt`).
   */
  async useInvitation(
    tx: RequestContext,
    token: string,
    problems: { invalid: ProblemCode; used: ProblemCode; expired: ProblemCode },
  ): Promise<AcceptedInvitation> {
    const inv = await this.db.one<{
      id: string;
      user_id: string;
      used: boolean;
      expires_at: Date;
      expired: boolean;
    }>(
      tx,
      `SELECT i.id, i.${this.userColumn} AS user_id, i.used_at IS NOT NULL AS used,
              i.expires_at, i.expires_at <= now() AS expired
         FROM ${this.invitations} i
         JOIN ${this.users} u ON u.id = i.${this.userColumn} AND u.revoked_at IS NULL
        WHERE i.token_hash = $1 FOR UPDATE OF i`,
      [sha256(token)],
    );
    if (!inv) throw new AppError(problems.invalid);
    if (inv.used) throw new AppError(problems.used);
    if (inv.expired) {
      const expiredAt = inv.expires_at.toISOString();
      throw new AppError(problems.expired, { expiredAt }, undefined, { expiredAt });
    }
    await this.db.query(tx, `UPDATE ${this.invitations} SET used_at = now() WHERE id = $1`, [
      inv.id,
    ]);
    return { userId: inv.user_id };
  }
}
