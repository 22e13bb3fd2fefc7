import { Inject, Injectable, Logger } from '@nestjs/common';
import { CONTACT_DEFINITION } from '#operational/customers/index.js';
import { EmailTransport } from '#operational/marketing/index.js';
import { PermissionEvaluator } from '#platform/access/index.js';
import { LoginThrottleService, PasswordHasher } from '#platform/auth/index.js';
import { CRM_CONFIG, type CrmConfig } from '#platform/config/index.js';
import type { RequestContext } from '#platform/context/index.js';
import { DatabaseService, uuidv7 } from '#platform/database/index.js';
import { EventOutbox } from '#platform/events/index.js';
import { AppError } from '#platform/http/index.js';
import { RecordService, type ApiRecord } from '#platform/records/index.js';
import { invitationMail } from './invitation-mail.js';
import { PORTAL_SECTION, type PortalConfig } from './portal.config.js';
import { PORTAL_ACCESS_GRANTED, PORTAL_ACCESS_REVOKED } from './portal.events.js';
import { PortalSessions, type PortalTokenPair } from './portal-sessions.js';

export interface PortalInvitationView {
  portalUserId: string;
  contactId: string;
  email: string;
  expiresAt: string;
  /** Whether the mail server took the invitation; false: no SMTP server or it refused. */
  delivered: boolean;
}

const normalize = (email: string) => email.trim().toLowerCase();

/**
 * Who may use the portal. Staff who may update a contact invite it (a single-use link that
 * expires) and revoke its access; the contact sets a password with the link and logs in.
 */
@Injectable()
export class PortalAccessService {
  private readonly logger = new Logger('Portal');
  private readonly config: PortalConfig;

  constructor(
    private readonly db: DatabaseService,
    private readonly records: RecordService,
    private readonly permissions: PermissionEvaluator,
    private readonly hasher: PasswordHasher,
    private readonly throttle: LoginThrottleService,
    private readonly sessions: PortalSessions,
    private readonly transport: EmailTransport,
    private readonly outbox: EventOutbox,
    @Inject(CRM_CONFIG) private readonly crm: CrmConfig,
  ) {
    this.config = PORTAL_SECTION.read(crm);
  }

  /** The contact, when the caller may change it: 404 outside reach, 403 without the right. */
  private async updatableContact(ctx: RequestContext, contactId: string): Promise<ApiRecord> {
    const scope = this.permissions.require(ctx.user, 'contacts', 'update');
    const contact = await this.records.load(ctx, CONTACT_DEFINITION, contactId);
    if (!this.permissions.inScope(ctx.user, scope, contact))
      throw AppError.forbidden('update', 'contacts');
    return contact;
  }

  async invite(
    ctx: RequestContext,
    contactId: string,
    locale: 'en' | 'id',
  ): Promise<PortalInvitationView> {
    const contact = await this.updatableContact(ctx, contactId);
    if (typeof contact.email !== 'string' || !contact.email)
      throw new AppError('portal_contact_without_email');
    const email = normalize(contact.email);
    const invited = await this.db.transaction(ctx, async (tx) => {
      const current = await this.db.one<{ id: string; active: boolean }>(
        tx,
        `SELECT id, password_hash IS NOT NULL AS active FROM portal_users
          WHERE contact_id = $1 AND revoked_at IS NULL FOR UPDATE`,
        [contactId],
      );
      if (current?.active) throw new AppError('portal_access_exists');
      const taken = await this.db.one(
        tx,
        `SELECT 1 FROM portal_users WHERE email_normalized = $1 AND revoked_at IS NULL AND contact_id <> $2`,
        [email, contactId],
      );
      if (taken) throw new AppError('portal_email_taken');
      const portalUserId = current?.id ?? uuidv7();
      if (current) {
        await this.db.query(
          tx,
          `UPDATE portal_users SET email_normalized = $2, invited_by_id = $3, invited_at = now(),
                  updated_at = now(), version = version + 1 WHERE id = $1`,
          [portalUserId, email, tx.user.userId],
        );
      } else {
        await this.db.query(
          tx,
          `INSERT INTO portal_users (id, contact_id, email_normalized, invited_by_id) VALUES ($1, $2, $3, $4)`,
          [portalUserId, contactId, email, tx.user.userId],
        );
      }
      // A new invitation replaces the ones still open.
      const link = await this.sessions.invite(tx, portalUserId, this.config.invitationTtlHours);
      return { portalUserId, ...link };
    });
    const mail = invitationMail(locale, {
      name: [contact.firstName, contact.lastName].filter(Boolean).join(' '),
      organization: this.crm.organization.name,
      link: `${this.config.baseUrl}/accept-invitation?token=${encodeURIComponent(invited.token)}`,
      expiresAt: invited.expiresAt,
    });
    const outcome = await this.transport.send({
      from: `"${this.config.fromName.replace(/"/g, '')}" <${this.config.fromAddress}>`,
      to: contact.email,
      subject: mail.subject,
      html: null,
      text: mail.text,
      messageId: `<${uuidv7()}@relasi.portal>`,
      headers: {},
    });
    if (outcome.kind !== 'accepted')
      this.logger.warn(`portal invitation for contact ${contactId} not delivered: ${outcome.kind}`);
    return {
      portalUserId: invited.portalUserId,
      contactId,
      email,
      expiresAt: invited.expiresAt.toISOString(),
      delivered: outcome.kind === 'accepted',
    };
  }

  async revoke(ctx: RequestContext, contactId: string): Promise<void> {
    await this.updatableContact(ctx, contactId);
    await this.db.transaction(ctx, async (tx) => {
      const rows = await this.db.query<{ id: string }>(
        tx,
        `UPDATE portal_users SET revoked_at = now(), revoked_by_id = $2, updated_at = now(), version = version + 1
          WHERE contact_id = $1 AND revoked_at IS NULL RETURNING id`,
        [contactId, tx.user.userId],
      );
      if (rows.length === 0) throw AppError.notFound('portal access', contactId);
      await this.sessions.endAll(tx, rows[0].id);
      await this.outbox.append(tx, [
        PORTAL_ACCESS_REVOKED.of(contactId, {
          contactId,
          portalUserId: rows[0].id,
          byUserId: tx.user.userId,
        }),
      ]);
    });
  }

  /** Sets the password with an invitation and opens the first session. */
  async accept(ctx: RequestContext, token: string, password: string): Promise<PortalTokenPair> {
    const min = this.crm.security.passwordMinLength;
    if (password.length < min)
      throw AppError.field('password', 'minLength', 'is too short', { min });
    const hashed = await this.hasher.hash(password);
    return this.db.transaction(ctx, async (tx) => {
      const { userId } = await this.sessions.useInvitation(tx, token);
      const inv = (await this.db.one<{ contact_id: string; invited_by_id: string }>(
        tx,
        `SELECT contact_id, invited_by_id FROM portal_users WHERE id = $1`,
        [userId],
      ))!;
      await this.db.query(
        tx,
        `UPDATE portal_users SET password_hash = $2, activated_at = coalesce(activated_at, now()),
                last_login_at = now(), updated_at = now(), version = version + 1 WHERE id = $1`,
        [userId, hashed],
      );
      await this.outbox.append(tx, [
        PORTAL_ACCESS_GRANTED.of(inv.contact_id, {
          contactId: inv.contact_id,
          portalUserId: userId,
          byUserId: inv.invited_by_id,
        }),
      ]);
      return this.sessions.issue(tx, userId);
    });
  }

  /**
   * Unknown address, revoked access and wrong password answer the same 401 after the same
   * argon2 work; attempts count against the staff login's limits under their own keys.
   */
  async login(ctx: RequestContext, email: string, password: string): Promise<PortalTokenPair> {
    const normalized = normalize(email);
    await this.throttle.reserveAttempt(ctx, `portal:${normalized}`, ctx.ip);
    const user = await this.db.one<{ id: string; password_hash: string | null }>(
      ctx,
      `SELECT pu.id, pu.password_hash FROM portal_users pu
         JOIN contacts c ON c.id = pu.contact_id AND c.deleted_at IS NULL
        WHERE pu.email_normalized = $1 AND pu.revoked_at IS NULL`,
      [normalized],
    );
    const ok = await this.hasher.verify(user?.password_hash ?? null, password);
    if (!user || !ok) throw new AppError('invalid_credentials');
    await this.throttle.recordSuccess(ctx, `portal:${normalized}`, ctx.ip);
    return this.db.transaction(ctx, async (tx) => {
      await this.db.query(tx, `UPDATE portal_users SET last_login_at = now() WHERE id = $1`, [
        user.id,
      ]);
      return this.sessions.issue(tx, user.id);
    });
  }
}
