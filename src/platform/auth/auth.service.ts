import { Inject, Injectable } from '@nestjs/common';
import { CRM_CONFIG, ENV } from '#platform/config/config.tokens.js';
import type { CrmConfig } from '#platform/config/crm-config.js';
import type { Env } from '#platform/config/env.js';
import type { Principal } from '#platform/context/principal.js';
import { RequestContext } from '#platform/context/request-context.js';
import { DatabaseService } from '#platform/database/database.service.js';
import { uuidv7 } from '#platform/database/uuid7.js';
import { AppError } from '#platform/http/app-error.js';
import { LoginThrottleService } from './login-throttle.service.js';
import { PasswordHasher } from './password-hasher.js';
import { PrincipalLoader } from './principal-loader.js';
import { SessionRevocations } from './session-revocations.js';
import { API_KEY_PREFIX, randomToken, sha256 } from './secrets.js';
import { TokenService } from './token.service.js';

export interface TokenPair {
  accessToken: string;
  refreshToken: string;
  tokenType: 'Bearer';
  expiresIn: number;
}

export interface ApiKeyView {
  id: string;
  name: string;
  prefix: string;
  /** Present only on a key limited to scopes. */
  scopes?: string[];
  createdAt: string;
  expiresAt: string | null;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

const iso = (d: Date | null) => (d ? d.toISOString() : null);

@Injectable()
export class AuthService {
  /** Hash → key id and owner, for a few seconds, so a key costs no lookup per request. */
  private readonly keyCache = new Map<
    string,
    {
      id: string;
      userId: string;
      scopes: string[] | null;
      expires: number;
      validUntil: number | null;
    }
  >();

  constructor(
    private readonly db: DatabaseService,
    private readonly hasher: PasswordHasher,
    private readonly tokens: TokenService,
    private readonly throttle: LoginThrottleService,
    private readonly principals: PrincipalLoader,
    private readonly sessions: SessionRevocations,
    @Inject(ENV) private readonly env: Env,
    @Inject(CRM_CONFIG) private readonly config: CrmConfig,
  ) {}

  /**
   * Unknown user, inactive user and wrong password all answer the same 401 after the same
   * argon2 work, so an attacker learns nothing about which accounts exist.
   */
  async login(ctx: RequestContext, email: string, password: string): Promise<TokenPair> {
    const normalized = normalizeEmail(email);
    await this.throttle.reserveAttempt(ctx, normalized, ctx.ip);
    const user = await this.db.one<{ id: string; password_hash: string; active: boolean }>(
      ctx,
      `SELECT id, password_hash, active FROM users WHERE email_normalized = $1 AND deleted_at IS NULL`,
      [normalized],
    );
    const ok = await this.hasher.verify(user?.password_hash ?? null, password);
    if (!user || !ok || !user.active) {
      await this.logEvent(
        ctx,
        user?.id ?? null,
        normalized,
        false,
        !user ? 'unknown_user' : !ok ? 'wrong_password' : 'inactive',
      );
      throw new AppError('invalid_credentials');
    }
    await this.throttle.recordSuccess(ctx, normalized, ctx.ip);
    await this.logEvent(ctx, user.id, normalized, true, null);
    await this.db.query(ctx, `UPDATE users SET last_login_at = now() WHERE id = $1`, [user.id]);
    return this.issue(ctx, user.id, uuidv7());
  }

  private async logEvent(
    ctx: RequestContext,
    userId: string | null,
    email: string,
    success: boolean,
    reason: string | null,
  ) {
    await this.db.query(
      ctx,
      `INSERT INTO login_events (id, user_id, email, ip, user_agent, success, reason) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
      [uuidv7(), userId, email, ctx.ip, ctx.userAgent?.slice(0, 500) ?? null, success, reason],
    );
  }

  private async issue(ctx: RequestContext, userId: string, familyId: string): Promise<TokenPair> {
    const refreshToken = `rt_${randomToken()}`;
    await this.db.query(
      ctx,
      `INSERT INTO refresh_tokens (id, family_id, user_id, token_hash, expires_at, ip, user_agent)
       VALUES ($1, $2, $3, $4, now() + make_interval(secs => $5), $6, $7)`,
      [
        uuidv7(),
        familyId,
        userId,
        sha256(refreshToken),
        this.env.refreshTokenTtlSeconds,
        ctx.ip,
        ctx.userAgent?.slice(0, 500) ?? null,
      ],
    );
    const { token, expiresIn } = await this.tokens.sign(userId, familyId);
    return { accessToken: token, refreshToken, tokenType: 'Bearer', expiresIn };
  }

  /**
   * Rotates a refresh token. A token that was already rotated (or revoked) being presented
   * again means it leaked: the whole family is revoked, ending the thief's and the owner's
   * sessions alike.
   */
  async refresh(ctx: RequestContext, refreshToken: string): Promise<TokenPair> {
    const hash = sha256(refreshToken);
    const token = await this.db.one<{
      id: string;
      family_id: string;
      user_id: string;
      expired: boolean;
    }>(
      ctx,
      `SELECT id, family_id, user_id, expires_at <= now() AS expired FROM refresh_tokens WHERE token_hash = $1`,
      [hash],
    );
    if (!token) throw new AppError('invalid_refresh_token');
    const claimed = await this.db.query(
      ctx,
      `UPDATE refresh_tokens SET used_at = now() WHERE id = $1 AND used_at IS NULL AND revoked_at IS NULL RETURNING id`,
      [token.id],
    );
    if (claimed.length === 0) {
      await this.revokeFamily(ctx, token.family_id);
      throw new AppError('invalid_refresh_token');
    }
    if (token.expired) throw new AppError('invalid_refresh_token');
    const principal = await this.principals.load(token.user_id);
    if (!principal) {
      await this.revokeFamily(ctx, token.family_id);
      throw new AppError('invalid_refresh_token');
    }
    return this.issue(ctx, token.user_id, token.family_id);
  }

  async logout(ctx: RequestContext, refreshToken: string): Promise<void> {
    const token = await this.db.one<{ family_id: string; user_id: string }>(
      ctx,
      `SELECT family_id, user_id FROM refresh_tokens WHERE token_hash = $1`,
      [sha256(refreshToken)],
    );
    // Logging out with someone else's token must not end their session.
    if (token && token.user_id === ctx.user.userId) await this.revokeFamily(ctx, token.family_id);
  }

  private async revokeFamily(ctx: RequestContext, familyId: string): Promise<void> {
    await this.db.query(
      ctx,
      `UPDATE refresh_tokens SET revoked_at = now() WHERE family_id = $1 AND revoked_at IS NULL`,
      [familyId],
    );
    this.sessions.markEnded(familyId);
  }

  /** The principal of an access token, or null when its user or its session is gone. */
  async verifyAccessToken(userId: string, sessionId: string): Promise<Principal | null> {
    const [open, principal] = await Promise.all([
      this.sessions.isOpen(sessionId),
      this.principals.load(userId),
    ]);
    return open ? principal : null;
  }

  async createApiKey(
    ctx: RequestContext,
    name: string,
    expiresAt: string | null,
    scopes: string[] | null = null,
  ): Promise<ApiKeyView & { key: string }> {
    if (!this.config.security.allowApiKeys) throw AppError.forbidden('create', 'API keys');
    if (expiresAt && Date.parse(expiresAt) <= Date.now())
      throw AppError.field('expiresAt', 'min', 'must be in the future');
    const id = uuidv7();
    const prefix = randomToken(6).replace(/[-_]/g, 'x').slice(0, 8);
    const key = `${API_KEY_PREFIX}${prefix}_${randomToken(32)}`;
    const limitedTo = scopes?.length ? [...new Set(scopes)].sort() : null;
    const rows = await this.db.query<{ created_at: Date; expires_at: Date | null }>(
      ctx,
      `INSERT INTO api_keys (id, user_id, name, prefix, secret_hash, expires_at, scopes) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING created_at, expires_at`,
      [id, ctx.user.userId, name, prefix, sha256(key), expiresAt, limitedTo],
    );
    return {
      id,
      name,
      prefix,
      ...(limitedTo ? { scopes: limitedTo } : {}),
      key,
      createdAt: rows[0].created_at.toISOString(),
      expiresAt: iso(rows[0].expires_at),
      lastUsedAt: null,
      revokedAt: null,
    };
  }

  async listApiKeys(ctx: RequestContext): Promise<ApiKeyView[]> {
    const rows = await this.db.query<{
      id: string;
      name: string;
      prefix: string;
      scopes: string[] | null;
      created_at: Date;
      expires_at: Date | null;
      last_used_at: Date | null;
      revoked_at: Date | null;
    }>(
      ctx,
      `SELECT id, name, prefix, scopes, created_at, expires_at, last_used_at, revoked_at FROM api_keys WHERE user_id = $1 ORDER BY created_at DESC, id DESC`,
      [ctx.user.userId],
    );
    return rows.map((r) => ({
      id: r.id,
      name: r.name,
      prefix: r.prefix,
      ...(r.scopes ? { scopes: r.scopes } : {}),
      createdAt: r.created_at.toISOString(),
      expiresAt: iso(r.expires_at),
      lastUsedAt: iso(r.last_used_at),
      revokedAt: iso(r.revoked_at),
    }));
  }

  async revokeApiKey(ctx: RequestContext, id: string): Promise<void> {
    const rows = await this.db.query(
      ctx,
      `UPDATE api_keys SET revoked_at = coalesce(revoked_at, now()) WHERE id = $1 AND user_id = $2 RETURNING id`,
      [id, ctx.user.userId],
    );
    if (rows.length === 0) throw AppError.notFound('API key', id);
    this.keyCache.clear();
  }

  /** Resolves an API key to its owner's principal; null for unknown, revoked or expired keys. */
  async verifyApiKey(key: string): Promise<Principal | null> {
    if (!key.startsWith(API_KEY_PREFIX) || key.length > 200) return null;
    const hash = sha256(key);
    const now = Date.now();
    let hit = this.keyCache.get(hash);
    if (!hit || hit.expires <= now) {
      const row = await this.db.one<{
        id: string;
        user_id: string;
        scopes: string[] | null;
        expires_at: Date | null;
      }>(
        RequestContext.system(),
        `SELECT id, user_id, scopes, expires_at FROM api_keys WHERE secret_hash = $1 AND revoked_at IS NULL AND (expires_at IS NULL OR expires_at > now())`,
        [hash],
      );
      if (!row) return null;
      hit = {
        id: row.id,
        userId: row.user_id,
        scopes: row.scopes,
        expires: now + this.env.principalCacheTtlMs,
        validUntil: row.expires_at?.getTime() ?? null,
      };
      if (this.env.principalCacheTtlMs > 0) this.keyCache.set(hash, hit);
      // Recorded at most once a minute per key: a write per request would cost more than the request.
      void this.db
        .query(
          RequestContext.system(),
          `UPDATE api_keys SET last_used_at = now() WHERE id = $1 AND (last_used_at IS NULL OR last_used_at < now() - interval '1 minute')`,
          [row.id],
        )
        .catch(() => undefined);
    }
    if (hit.validUntil !== null && hit.validUntil <= now) return null;
    return this.principals.load(hit.userId, hit.id, hit.scopes);
  }

  async loginHistory(ctx: RequestContext, userId: string, limit: number) {
    const rows = await this.db.query<{
      id: string;
      ip: string;
      user_agent: string | null;
      success: boolean;
      reason: string | null;
      at: Date;
    }>(
      ctx,
      `SELECT id, ip, user_agent, success, reason, at FROM login_events WHERE user_id = $1 ORDER BY at DESC, id DESC LIMIT $2`,
      [userId, limit],
    );
    return rows.map((r) => ({
      id: r.id,
      ip: r.ip,
      userAgent: r.user_agent,
      success: r.success,
      reason: r.reason,
      at: r.at.toISOString(),
    }));
  }

  async changePassword(ctx: RequestContext, current: string, next: string): Promise<void> {
    if (next.length < this.config.security.passwordMinLength) {
      throw AppError.field('newPassword', 'minLength', 'is too short', {
        min: this.config.security.passwordMinLength,
      });
    }
    const user = await this.db.one<{ password_hash: string }>(
      ctx,
      `SELECT password_hash FROM users WHERE id = $1`,
      [ctx.user.userId],
    );
    if (!(await this.hasher.verify(user?.password_hash ?? null, current)))
      throw new AppError('invalid_credentials');
    await this.db.transaction(ctx, async (tx) => {
      await this.db.query(
        tx,
        `UPDATE users SET password_hash = $2, password_changed_at = now(), version = version + 1, updated_at = now() WHERE id = $1`,
        [ctx.user.userId, await this.hasher.hash(next)],
      );
      await this.revokeCredentials(tx, ctx.user.userId);
    });
  }

  /**
   * Ends every session of a user (all refresh-token families), their access tokens with them;
   * with `apiKeys` their API keys are revoked too.
   */
  async revokeCredentials(
    ctx: RequestContext,
    userId: string,
    options: { apiKeys?: boolean } = {},
  ): Promise<void> {
    await this.db.query(
      ctx,
      `UPDATE refresh_tokens SET revoked_at = now() WHERE user_id = $1 AND revoked_at IS NULL`,
      [userId],
    );
    this.sessions.forgetOpen();
    if (options.apiKeys) {
      await this.db.query(
        ctx,
        `UPDATE api_keys SET revoked_at = now() WHERE user_id = $1 AND revoked_at IS NULL`,
        [userId],
      );
      this.keyCache.clear();
    }
  }
}
