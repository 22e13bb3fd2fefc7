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

export const PARTNER_AUDIENCE = 'partner';

/**
 * Who a partner's writes are recorded as (`updatedById`, the history's `actorId`): the partner
 * API itself, never the staff member who invited the partner user.
 */
export const PARTNER_ACTOR_ID = '00000000-0000-4000-8000-00000000f002';

/** The partner user behind a partner token, as every partner service receives it. */
export interface PartnerPrincipal {
  partnerUserId: string;
  partnerId: string;
  accountId: string;
  email: string;
  name: string;
}

/**
 * Partner sessions over the shared audience session store. A token works while its user's
 * access is live, its session open and its organization active: suspending a partner or
 * deleting its profile answers 401 on the next request.
 */
@Injectable()
export class PartnerSessions implements OnModuleInit {
  readonly store: AudienceSessionStore;

  constructor(
    private readonly db: DatabaseService,
    tokens: TokenService,
    private readonly audiences: AudienceRegistry,
    @Inject(ENV) env: Env,
  ) {
    this.store = new AudienceSessionStore(
      { audience: PARTNER_AUDIENCE, prefix: 'partner', refreshTokenPrefix: 'nrt' },
      db,
      tokens,
      env,
    );
  }

  onModuleInit(): void {
    this.audiences.register({
      audience: PARTNER_AUDIENCE,
      resolve: (subjectId, sessionId) => this.principal(subjectId, sessionId),
    });
  }

  private static readonly LIVE = `pu.revoked_at IS NULL AND pu.password_hash IS NOT NULL
          AND p.status = 'active' AND p.deleted_at IS NULL`;

  async principal(partnerUserId: string, sessionId: string): Promise<PartnerPrincipal | null> {
    const row = await this.db.one<{
      id: string;
      partner_id: string;
      account_id: string;
      email_normalized: string;
      name: string;
    }>(
      RequestContext.system(),
      `SELECT pu.id, pu.partner_id, p.account_id, pu.email_normalized, pu.name
         FROM partner_users pu JOIN partners p ON p.id = pu.partner_id
        WHERE pu.id = $1 AND ${PartnerSessions.LIVE} AND ${this.store.sessionOpen('pu', '$2')}`,
      [partnerUserId, sessionId],
    );
    return row
      ? {
          partnerUserId: row.id,
          partnerId: row.partner_id,
          accountId: row.account_id,
          email: row.email_normalized,
          name: row.name,
        }
      : null;
  }

  issue(ctx: RequestContext, partnerUserId: string): Promise<AudienceTokenPair> {
    return this.store.issue(ctx, partnerUserId);
  }

  /** Ends the session of `refreshToken` when it is the caller's own. */
  logout(ctx: RequestContext, partnerUserId: string, refreshToken: string): Promise<void> {
    return this.store.logout(ctx, partnerUserId, refreshToken);
  }

  refresh(ctx: RequestContext, refreshToken: string): Promise<AudienceTokenPair> {
    return this.store.refresh(ctx, refreshToken, async (tx, partnerUserId) =>
      Boolean(
        await this.db.one(
          tx,
          `SELECT 1 FROM partner_users pu JOIN partners p ON p.id = pu.partner_id
            WHERE pu.id = $1 AND ${PartnerSessions.LIVE}`,
          [partnerUserId],
        ),
      ),
    );
  }
}
