import { Inject, Injectable, Logger } from '@nestjs/common';
import { StreamPublisher } from '#collaborative/stream/index.js';
import { EmailTransport } from '#operational/marketing/index.js';
import { CRM_CONFIG, type CrmConfig } from '#platform/config/index.js';
import { RequestContext } from '#platform/context/index.js';
import { DatabaseService, uuidv7 } from '#platform/database/index.js';
import { AppError } from '#platform/http/index.js';
import {
  buildListQuery,
  cursorOf,
  pageLimits,
  parseListQuery,
  SqlParams,
  type QueryAccess,
  type QuerySchema,
} from '#platform/query/index.js';
import type { NotificationDto, PutNotificationSettingsDto } from './dto/notification.dto.js';
import { NOTIFICATIONS_SECTION } from './notifications.config.js';
import {
  NOTIFICATION_KINDS,
  type NotificationChannel,
  type NotificationKind,
} from './notifications.events.js';
import { notificationQuerySchema } from './notification-query.js';

/** What a feed asks to tell some users. */
export interface NewNotification {
  kind: NotificationKind;
  userIds: readonly string[];
  title: string;
  entity?: string | null;
  recordId?: string | null;
  data?: Record<string, unknown>;
  /** The domain event it comes from: a retried event notifies nobody twice. */
  sourceEventId?: string | null;
}

interface Row {
  id: string;
  user_id: string;
  kind: NotificationKind;
  title: string;
  entity: string | null;
  record_id: string | null;
  data: Record<string, unknown>;
  created_at: Date;
  read_at: Date | null;
}

/** Each caller sees only their own inbox: the condition is added, no owner scope applies. */
const OWN_INBOX: QueryAccess = { scope: () => 'TRUE', isHidden: () => false };

const view = (r: Row): NotificationDto => ({
  id: r.id,
  kind: r.kind,
  title: r.title,
  entity: r.entity,
  recordId: r.record_id,
  data: r.data,
  createdAt: r.created_at.toISOString(),
  readAt: r.read_at?.toISOString() ?? null,
});

/**
 * The inbox: notifications written as each user's settings say (in the inbox, also by
 * e-mail, or not at all), pushed on the live stream, listed, counted and marked read.
 */
@Injectable()
export class NotificationsService {
  private readonly logger = new Logger('Notifications');

  constructor(
    private readonly db: DatabaseService,
    private readonly stream: StreamPublisher,
    private readonly mail: EmailTransport,
    @Inject(CRM_CONFIG) private readonly config: CrmConfig,
  ) {}

  /** Writes the notification for each user who has not turned its kind off. */
  async notify(n: NewNotification): Promise<void> {
    const users = [...new Set(n.userIds)];
    if (!users.length) return;
    const emails = await this.db.transaction(RequestContext.system(), async (tx) => {
      const rows = await this.db.query<Row & { email: string; channel: NotificationChannel }>(
        tx,
        `WITH target AS (
           SELECT u.id AS user_id, u.email, coalesce(s.channel, 'in_app') AS channel
             FROM users u LEFT JOIN notification_settings s ON s.user_id = u.id AND s.kind = $2
            WHERE u.id = ANY($1::uuid[]) AND u.active AND u.deleted_at IS NULL
              AND coalesce(s.channel, 'in_app') <> 'off'),
         ins AS (
           INSERT INTO notifications (id, user_id, kind, title, entity, record_id, data, source_event_id)
           SELECT u.id, t.user_id, $2, $3, $4, $5, $6, $7 FROM target t JOIN unnest($8::uuid[], $1::uuid[]) AS u (id, who) ON u.who = t.user_id
           ON CONFLICT (user_id, source_event_id) WHERE source_event_id IS NOT NULL DO NOTHING
           RETURNING *)
         SELECT ins.*, t.email, t.channel FROM ins JOIN target t ON t.user_id = ins.user_id`,
        [
          users,
          n.kind,
          n.title.slice(0, 300),
          n.entity ?? null,
          n.recordId ?? null,
          JSON.stringify(n.data ?? {}),
          n.sourceEventId ?? null,
          users.map(() => uuidv7()),
        ],
      );
      for (const r of rows)
        await this.stream.publish(tx, [
          {
            type: 'notification',
            userIds: [r.user_id],
            data: view(r) as unknown as Record<string, unknown>,
          },
        ]);
      return rows.filter((r) => r.channel === 'email');
    });
    for (const r of emails) await this.email(r.id, r.email, r.title, r.data);
  }

  private async email(id: string, to: string, title: string, data: Record<string, unknown>) {
    const settings = NOTIFICATIONS_SECTION.read(this.config);
    const link = settings.inboxUrl ? `\n\n${settings.inboxUrl}` : '';
    const outcome = await this.mail.send({
      from: settings.from,
      to,
      subject: title,
      html: null,
      text: `${title}${typeof data.preview === 'string' ? `\n\n${data.preview}` : ''}${link}`,
      messageId: `<notification-${id}@relasi>`,
      headers: { 'Auto-Submitted': 'auto-generated' },
    });
    if (outcome.kind === 'accepted')
      await this.db.query(
        RequestContext.system(),
        `UPDATE notifications SET emailed_at = now() WHERE id = $1`,
        [id],
      );
    else this.logger.warn(`notification mail to ${to} not sent: ${outcome.error}`);
  }

  async list(ctx: RequestContext, query: Record<string, unknown>) {
    const { unread, ...rest } = query;
    if (unread !== undefined && unread !== 'true' && unread !== 'false')
      throw AppError.field('unread', 'isBoolean', 'must be true or false');
    const request = parseListQuery(rest, pageLimits(this.config.api));
    if (request.include.length || request.fields || request.count)
      throw AppError.field('include', 'unknownField', 'is not supported by notifications');
    const params = new SqlParams();
    const where = [`n.user_id = ${params.add(ctx.user.userId)}::uuid`];
    if (unread === 'true') where.push('n.read_at IS NULL');
    const schema: QuerySchema = notificationQuerySchema();
    const compiled = buildListQuery(schema, request, OWN_INBOX, params, where);
    const rows = await this.db.query<Row & Record<string, unknown>>(
      ctx,
      compiled.sql,
      compiled.params,
    );
    const page = rows.slice(0, request.limit);
    return {
      data: page.map(view),
      meta: {
        nextCursor:
          rows.length > request.limit ? cursorOf(page[page.length - 1], compiled.keyCount) : null,
        limit: request.limit,
      },
    };
  }

  async unreadCount(ctx: RequestContext) {
    const row = await this.db.one<{ n: string }>(
      ctx,
      `SELECT count(*)::bigint AS n FROM notifications WHERE user_id = $1 AND read_at IS NULL`,
      [ctx.user.userId],
    );
    return { unread: Number(row?.n ?? 0) };
  }

  async markRead(ctx: RequestContext, id: string): Promise<NotificationDto> {
    const rows = await this.db.query<Row>(
      ctx,
      `UPDATE notifications SET read_at = coalesce(read_at, now()) WHERE id = $1 AND user_id = $2 RETURNING *`,
      [id, ctx.user.userId],
    );
    if (!rows.length) throw AppError.notFound('notification', id);
    return view(rows[0]);
  }

  async markAllRead(ctx: RequestContext) {
    const rows = await this.db.query(
      ctx,
      `UPDATE notifications SET read_at = now() WHERE user_id = $1 AND read_at IS NULL RETURNING id`,
      [ctx.user.userId],
    );
    return { marked: rows.length };
  }

  async settings(ctx: RequestContext) {
    const [rows, digest] = await Promise.all([
      this.db.query<{ kind: NotificationKind; channel: NotificationChannel }>(
        ctx,
        `SELECT kind, channel FROM notification_settings WHERE user_id = $1`,
        [ctx.user.userId],
      ),
      this.db.one<{ enabled: boolean; last_sent_at: Date | null }>(
        ctx,
        `SELECT enabled, last_sent_at FROM notification_digests WHERE user_id = $1`,
        [ctx.user.userId],
      ),
    ]);
    const kinds = Object.fromEntries(
      NOTIFICATION_KINDS.map((k) => [k, rows.find((r) => r.kind === k)?.channel ?? 'in_app']),
    ) as Record<NotificationKind, NotificationChannel>;
    return {
      kinds,
      digest: digest?.enabled ?? false,
      lastDigestAt: digest?.last_sent_at?.toISOString() ?? null,
    };
  }

  async putSettings(ctx: RequestContext, input: PutNotificationSettingsDto) {
    await this.db.transaction(ctx, async (tx) => {
      for (const [kind, channel] of Object.entries(input.kinds ?? {})) {
        if (channel === undefined) continue;
        await this.db.query(
          tx,
          `INSERT INTO notification_settings (user_id, kind, channel) VALUES ($1, $2, $3)
           ON CONFLICT (user_id, kind) DO UPDATE SET channel = EXCLUDED.channel, updated_at = now()`,
          [tx.user.userId, kind, channel],
        );
      }
      if (input.digest !== undefined)
        await this.db.query(
          tx,
          `INSERT INTO notification_digests (user_id, enabled) VALUES ($1, $2)
           ON CONFLICT (user_id) DO UPDATE SET enabled = EXCLUDED.enabled`,
          [tx.user.userId, input.digest],
        );
    });
    return this.settings(ctx);
  }

  /**
   * One mail per user who asked for the digest, listing what is unread and newer than their
   * last digest; users with nothing new get none. Returns how many mails went out.
   */
  async sendDigests(): Promise<number> {
    const ctx = RequestContext.system();
    const due = await this.db.query<{ user_id: string; email: string; since: Date | null }>(
      ctx,
      `SELECT d.user_id, u.email, d.last_sent_at AS since FROM notification_digests d
         JOIN users u ON u.id = d.user_id AND u.active AND u.deleted_at IS NULL
        WHERE d.enabled`,
    );
    const settings = NOTIFICATIONS_SECTION.read(this.config);
    let sent = 0;
    for (const d of due) {
      const startedAt = new Date();
      const items = await this.db.query<Row>(
        ctx,
        `SELECT * FROM notifications WHERE user_id = $1 AND read_at IS NULL
           AND ($2::timestamptz IS NULL OR created_at > $2) AND created_at <= $3
         ORDER BY created_at LIMIT 200`,
        [d.user_id, d.since, startedAt],
      );
      if (!items.length) continue;
      const lines = items.map(
        (i) => `- ${i.title} (${i.created_at.toISOString().slice(0, 16).replace('T', ' ')} UTC)`,
      );
      const outcome = await this.mail.send({
        from: settings.from,
        to: d.email,
        subject: `${items.length} unread notification${items.length === 1 ? '' : 's'}`,
        html: null,
        text: `${lines.join('\n')}${settings.inboxUrl ? `\n\n${settings.inboxUrl}` : ''}`,
        messageId: `<digest-${uuidv7()}@relasi>`,
        headers: { 'Auto-Submitted': 'auto-generated' },
      });
      if (outcome.kind !== 'accepted') {
        this.logger.warn(`digest to ${d.email} not sent: ${outcome.error}`);
        continue;
      }
      await this.db.query(
        ctx,
        `UPDATE notification_digests SET last_sent_at = $2 WHERE user_id = $1`,
        [d.user_id, startedAt],
      );
      sent++;
    }
    return sent;
  }
}
