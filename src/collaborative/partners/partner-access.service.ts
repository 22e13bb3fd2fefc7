import { Inject, Injectable, Logger } from '@nestjs/common';
import { EmailTransport } from '#operational/marketing/index.js';
import { PermissionEvaluator } from '#platform/access/index.js';
import {
  LoginThrottleService,
  PasswordHasher,
  type AudienceTokenPair,
} from '#platform/auth/index.js';
import { CRM_CONFIG, type CrmConfig } from '#platform/config/index.js';
import type { RequestContext } from '#platform/context/index.js';
import { DatabaseService, uuidv7 } from '#platform/database/index.js';
import { EventOutbox } from '#platform/events/index.js';
import { AppError } from '#platform/http/index.js';
import type { ApiRecord } from '#platform/records/index.js';
import { partnerInvitationMail } from './partner-invitation-mail.js';
import { PartnerSessions } from './partner-sessions.js';
import { PARTNERS_SECTION, type PartnersConfig } from './partners.config.js';
import { PARTNER_USER_INVITED, PARTNER_USER_REVOKED } from './partners.events.js';
import { PartnersService } from './partners.service.js';

export interface PartnerUserView {
  id: string;
  partnerId: string;
  name: string;
  email: string;
  status: 'invited' | 'active' | 'revoked';
  invitedAt: string;
  activatedAt: string | null;
  lastLoginAt: string | null;
}

export interface PartnerInvitationView extends PartnerUserView {
  expiresAt: string;
  /** Whether the mail server took the invitation; false: no SMTP server or it refused. */
  delivered: boolean;
}

interface PartnerUserRow {
  id: string;
  partner_id: string;
  name: string;
  email_normalized: string;
  password_hash: string | null;
  revoked_at: Date | null;
  invited_at: Date;
  activated_at: Date | null;
  last_login_at: Date | null;
}

const normalize = (email: string) => email.trim().toLowerCase();
const iso = (d: Date | null) => (d ? d.toISOString() : null);

function userView(r: PartnerUserRow): PartnerUserView {
  return {
    id: r.id,
    partnerId: r.partner_id,
    name: r.name,
    email: r.email_normalized,
    status: r.revoked_at ? 'revoked' : r.password_hash ? 'active' : 'invited',
    invitedAt: r.invited_at.toISOString(),
    activatedAt: iso(r.activated_at),
    lastLoginAt: iso(r.last_login_at),
  };
}

const USER_COLUMNS = `id, partner_id, name, email_normalized, password_hash, revoked_at, invited_at,
  activated_at, last_login_at`;

/**
 * Who of a partner organization may use the partner API. Staff who may update the partner
 * invite its people by e-mail (single-use, expiring links) and revoke them; a partner user
 * sets a password with the link and logs in.
 */
@Injectable()
export class PartnerAccessService {
  private readonly logger = new Logger('Partners');
  private readonly config: PartnersConfig;

  constructor(
    private readonly db: DatabaseService,
    private readonly partners: PartnersService,
    private readonly permissions: PermissionEvaluator,
    private readonly hasher: PasswordHasher,
    private readonly throttle: LoginThrottleService,
    private readonly sessions: PartnerSessions,
    private readonly transport: EmailTransport,
    private readonly outbox: EventOutbox,
    @Inject(CRM_CONFIG) private readonly crm: CrmConfig,
  ) {
    this.config = PARTNERS_SECTION.read(crm);
  }

  /** The partner, when the caller may `action` it: 404 outside reach, 403 without the right. */
  async partnerFor(
    ctx: RequestContext,
    partnerId: string,
    action: 'read' | 'update',
  ): Promise<ApiRecord> {
    const scope = this.permissions.require(ctx.user, 'partners', action);
    const partner = await this.partners.load(ctx, partnerId);
    if (!this.permissions.inScope(ctx.user, scope, partner))
      throw AppError.forbidden(action, 'partners');
    return partner;
  }

  async users(ctx: RequestContext, partnerId: string): Promise<PartnerUserView[]> {
    await this.partnerFor(ctx, partnerId, 'read');
    const rows = await this.db.query<PartnerUserRow>(
      ctx,
      `SELECT ${USER_COLUMNS} FROM partner_users WHERE partner_id = $1 ORDER BY created_at, id LIMIT 500`,
      [partnerId],
    );
    return rows.map(userView);
  }

  async invite(
    ctx: RequestContext,
    partnerId: string,
    input: { email: string; name: string; locale?: 'en' | 'id' },
  ): Promise<PartnerInvitationView> {
    const partner = await this.partnerFor(ctx, partnerId, 'update');
    if (partner.status !== 'active') throw new AppError('partner_suspended');
    const email = normalize(input.email);
    const invited = await this.db.transaction(ctx, async (tx) => {
      const current = await this.db.one<PartnerUserRow>(
        tx,
        `SELECT ${USER_COLUMNS} FROM partner_users WHERE email_normalized = $1 AND revoked_at IS NULL FOR UPDATE`,
        [email],
      );
      // An open invitation of the same partner is sent again; anyone else's address is taken.
      if (current && (current.partner_id !== partnerId || current.password_hash))
        throw new AppError('partner_user_email_taken');
      const id = current?.id ?? uuidv7();
      if (current)
        await this.db.query(
          tx,
          `UPDATE partner_users SET name = $2, invited_by_id = $3, invited_at = now(), updated_at = now(),
                  version = version + 1 WHERE id = $1`,
          [id, input.name, tx.user.userId],
        );
      else
        await this.db.query(
          tx,
          `INSERT INTO partner_users (id, partner_id, name, email_normalized, invited_by_id)
           VALUES ($1, $2, $3, $4, $5)`,
          [id, partnerId, input.name, email, tx.user.userId],
        );
      const link = await this.sessions.store.invite(tx, id, 'ninv', this.config.invitationTtlHours);
      await this.outbox.append(tx, [
        PARTNER_USER_INVITED.of(partnerId, {
          partnerId,
          partnerUserId: id,
          byUserId: tx.user.userId,
        }),
      ]);
      const row = await this.db.one<PartnerUserRow>(
        tx,
        `SELECT ${USER_COLUMNS} FROM partner_users WHERE id = $1`,
        [id],
      );
      const org = await this.db.one<{ name: string }>(
        tx,
        `SELECT name FROM accounts WHERE id = $1`,
        [partner.accountId],
      );
      return { row: row!, link, partnerName: org?.name ?? '' };
    });
    const mail = partnerInvitationMail(input.locale ?? ctx.locale, {
      name: input.name,
      organization: this.crm.organization.name,
      partner: invited.partnerName,
      link: `${this.config.baseUrl}/accept-invitation?token=${encodeURIComponent(invited.link.token)}`,
      expiresAt: invited.link.expiresAt,
    });
    const outcome = await this.transport.send({
      from: `"${this.config.fromName.replace(/"/g, '')}" <${this.config.fromAddress}>`,
      to: email,
      subject: mail.subject,
      html: null,
      text: mail.text,
      messageId: `<${uuidv7()}@relasi.partner>`,
      headers: {},
    });
    if (outcome.kind !== 'accepted')
      this.logger.warn(`partner invitation ${invited.row.id} not delivered: ${outcome.kind}`);
    return {
      ...userView(invited.row),
      expiresAt: invited.link.expiresAt.toISOString(),
      delivered: outcome.kind === 'accepted',
    };
  }

  async revoke(ctx: RequestContext, partnerId: string, partnerUserId: string): Promise<void> {
    await this.partnerFor(ctx, partnerId, 'update');
    await this.db.transaction(ctx, async (tx) => {
      const rows = await this.db.query<{ id: string }>(
        tx,
        `UPDATE partner_users SET revoked_at = now(), revoked_by_id = $3, updated_at = now(), version = version + 1
          WHERE id = $1 AND partner_id = $2 AND revoked_at IS NULL RETURNING id`,
        [partnerUserId, partnerId, tx.user.userId],
      );
      if (rows.length === 0) throw AppError.notFound('partner user', partnerUserId);
      await this.sessions.store.endAll(tx, partnerUserId);
      await this.outbox.append(tx, [
        PARTNER_USER_REVOKED.of(partnerId, { partnerId, partnerUserId, byUserId: tx.user.userId }),
      ]);
    });
  }

  /** Sets the password with an invitation and opens the first session. */
  async accept(ctx: RequestContext, token: string, password: string): Promise<AudienceTokenPair> {
    const min = this.crm.security.passwordMinLength;
    if (password.length < min)
      throw AppError.field('password', 'minLength', 'is too short', { min });
    const hashed = await this.hasher.hash(password);
    return this.db.transaction(ctx, async (tx) => {
      const { userId } = await this.sessions.store.useInvitation(tx, token, {
        invalid: 'partner_invitation_invalid',
        used: 'partner_invitation_used',
        expired: 'partner_invitation_expired',
      });
      await this.db.query(
        tx,
        `UPDATE partner_users SET password_hash = $2, activated_at = coalesce(activated_at, now()),
                last_login_at = now(), updated_at = now(), version = version + 1 WHERE id = $1`,
        [userId, hashed],
      );
      return this.sessions.issue(tx, userId);
    });
  }

  /**
   * Unknown address, revoked access, a suspended partner and a wrong password answer the
   * same 401 after the same argon2 work; attempts count under the partner's own keys.
   */
  async login(ctx: RequestContext, email: string, password: string): Promise<AudienceTokenPair> {
    const normalized = normalize(email);
    await this.throttle.reserveAttempt(ctx, `partner:${normalized}`, ctx.ip);
    const user = await this.db.one<{ id: string; password_hash: string | null }>(
      ctx,
      `SELECT pu.id, pu.password_hash FROM partner_users pu
         JOIN partners p ON p.id = pu.partner_id AND p.deleted_at IS NULL AND p.status = 'active'
        WHERE pu.email_normalized = $1 AND pu.revoked_at IS NULL`,
      [normalized],
    );
    const ok = await this.hasher.verify(user?.password_hash ?? null, password);
    if (!user || !ok) throw new AppError('invalid_credentials');
    await this.throttle.recordSuccess(ctx, `partner:${normalized}`, ctx.ip);
    return this.db.transaction(ctx, async (tx) => {
      await this.db.query(tx, `UPDATE partner_users SET last_login_at = now() WHERE id = $1`, [
        user.id,
      ]);
      return this.sessions.issue(tx, user.id);
    });
  }
}
