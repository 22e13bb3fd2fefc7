import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import {
  AudienceRegistry,
  AudienceSessionStore,
  TokenService,
  type AudienceTokenPair,
} from '#platform/auth/index.js';
import { ENV, type Env } from '#platform/config/index.js';
import { RequestContext } from '#platform/context/index.js';
import { DatabaseService } from '#platform/database/index.js';

export const PORTAL_AUDIENCE = 'portal';

/** The customer behind a portal token, as every portal service receives it. */
export interface PortalPrincipal {
  portalUserId: string;
  contactId: string;
  /** The contact's account; null for a contact of no account (they see only their own records). */
  accountId: string | null;
  email: string;
}

export type PortalTokenPair = AudienceTokenPair;

/**
 * Portal sessions: access tokens for the `portal` audience and rotating refresh tokens in
 * families, under the same rules as staff sessions (a reused refresh token ends its family).
 * Registers how the platform turns a portal token into its principal: the identity must be
 * live and the session open, checked on every request, so a revocation takes effect at once.
 */
@Injectable()
export class PortalSessions implements OnModuleInit {
  private readonly store: AudienceSessionStore;

  constructor(
    private readonly db: DatabaseService,
    tokens: TokenService,
    private readonly audiences: AudienceRegistry,
    @Inject(ENV) env: Env,
  ) {
    this.store = new AudienceSessionStore(
      { audience: PORTAL_AUDIENCE, prefix: 'portal', refreshTokenPrefix: 'prt' },
      db,
      tokens,
      env,
    );
  }

  onModuleInit(): void {
    this.audiences.register({
      audience: PORTAL_AUDIENCE,
      resolve: (subjectId, sessionId) => this.principal(subjectId, sessionId),
    });
  }

  async principal(portalUserId: string, sessionId: string): Promise<PortalPrincipal | null> {
    const row = await this.db.one<{
      id: string;
      contact_id: string;
      account_id: string | null;
      email_normalized: string;
    }>(
      RequestContext.system(),
      `SELECT pu.id, pu.contact_id, c.account_id, pu.email_normalized
         FROM portal_users pu JOIN contacts c ON c.id = pu.contact_id AND c.deleted_at IS NULL
        WHERE pu.id = $1 AND pu.revoked_at IS NULL AND pu.password_hash IS NOT NULL
          AND ${this.store.sessionOpen('pu', '$2')}`,
      [portalUserId, sessionId],
    );
    return row
      ? {
          portalUserId: row.id,
          contactId: row.contact_id,
          accountId: row.account_id,
          email: row.email_normalized,
        }
      : null;
  }

  /** A new session (a new family) or the next token of one. */
  issue(ctx: RequestContext, portalUserId: string, familyId?: string): Promise<PortalTokenPair> {
    return this.store.issue(ctx, portalUserId, familyId);
  }

  refresh(ctx: RequestContext, refreshToken: string): Promise<PortalTokenPair> {
    return this.store.refresh(ctx, refreshToken, async (tx, portalUserId) =>
      Boolean(
        await this.db.one(tx, `SELECT 1 FROM portal_users WHERE id = $1 AND revoked_at IS NULL`, [
          portalUserId,
        ]),
      ),
    );
  }

  /** Ends the session of `refreshToken` when it is the caller's own. */
  logout(ctx: RequestContext, portalUserId: string, refreshToken: string): Promise<void> {
    return this.store.logout(ctx, portalUserId, refreshToken);
  }

  endAll(ctx: RequestContext, portalUserId: string): Promise<void> {
    return this.store.endAll(ctx, portalUserId);
  }

  /** A single-use invitation link's token for the identity, replacing the open ones. */
  invite(tx: RequestContext, portalUserId: string, ttlHours: number) {
    return this.store.invite(tx, portalUserId, 'pinv', ttlHours);
  }

  useInvitation(tx: RequestContext, token: string) {
    return this.store.useInvitation(tx, token, {
      invalid: 'portal_invitation_invalid',
      used: 'portal_invitation_used',
      expired: 'portal_invitation_expired',
    });
  }
}
