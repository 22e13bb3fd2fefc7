import { Inject, Injectable } from '@nestjs/common';
import { CRM_CONFIG, type CrmConfig } from '#platform/config/index.js';
import type { RequestContext } from '#platform/context/index.js';
import { DatabaseService } from '#platform/database/index.js';
import { EventOutbox } from '#platform/events/index.js';
import { AppError, checkIfMatch } from '#platform/http/index.js';
import {
  buildListQuery,
  pageLimits,
  parseListQuery,
  SqlParams,
  type QueryAccess,
} from '#platform/query/index.js';
import { listPage } from './list-page.js';
import { StreamPublisher } from '#collaborative/stream/index.js';
import { ThreadMailOut } from './thread-mail-out.js';
import type { EditMessageDto, MessageDto, PostMessageDto } from './dto/message.dto.js';
import { sanitizeMessageBody, type MessageFormat } from './message-body.js';
import { MessageTimeline } from './message-timeline.js';
import { MESSAGING_SECTION } from './messaging.config.js';
import {
  THREAD_MESSAGE_DELETED,
  THREAD_MESSAGE_EDITED,
  THREAD_MESSAGE_POSTED,
  type MessageSource,
  type ParticipantKind,
} from './messaging.events.js';
import { MessagesRepository, attachmentView, type MessageRow } from './messages.repository.js';
import { messageQuerySchema } from './message-query.js';
import { ThreadAccess } from './thread-access.js';
import { messageChangedEvent, messagePostedEvents } from './thread-stream-events.js';
import { recordOf } from './threads.service.js';
import { ThreadsRepository, type ThreadRow } from './threads.repository.js';

const NO_OWNER_SCOPE: QueryAccess = { scope: () => 'TRUE', isHidden: () => false };

/**
 * Who writes a message: a staff user through the API, or an outside participant (a contact in
 * the portal or by e-mail) with the id of their participant row, which their uploads carry.
 */
export interface MessageAuthor {
  kind: ParticipantKind;
  id: string;
  participantRowId?: string;
}

/**
 * Messages of a thread: posting (sanitized body, mentions, replies, attachments), editing
 * within the window with history, deleting to a tombstone, reading with receipts. Each
 * message goes on the linked record's timeline and out on the live stream to everyone who
 * takes part; internal notes never reach contacts or partners.
 */
@Injectable()
export class MessagesService {
  constructor(
    private readonly db: DatabaseService,
    private readonly repo: MessagesRepository,
    private readonly threads: ThreadsRepository,
    private readonly access: ThreadAccess,
    private readonly timeline: MessageTimeline,
    private readonly stream: StreamPublisher,
    private readonly outbox: EventOutbox,
    private readonly mailOut: ThreadMailOut,
    @Inject(CRM_CONFIG) private readonly config: CrmConfig,
  ) {}

  private get settings() {
    return MESSAGING_SECTION.read(this.config);
  }

  async post(ctx: RequestContext, threadId: string, input: PostMessageDto): Promise<MessageDto> {
    const mentions = [...new Set(input.mentions ?? [])];
    const known = await this.threads.existingUsers(ctx, mentions);
    const unknown = mentions.findIndex((id) => !known.has(id));
    if (unknown >= 0)
      throw AppError.field(
        `mentions[${unknown}]`,
        'notFound',
        'refers to a user that does not exist',
      );
    const message = await this.db.transaction(ctx, async (tx) => {
      const thread = await this.access.visible(tx, threadId, true);
      const me = tx.user.userId;
      // Staff who see the thread through its record join it by writing; mentioned users join
      // so that they can read what they were called to.
      await this.threads.addParticipants(
        tx,
        threadId,
        [me, ...mentions].map((id) => ({ kind: 'user' as const, participantId: id })),
        me,
      );
      return this.write(tx, thread, { kind: 'user', id: me }, input, mentions, 'api');
    });
    return (await this.views(ctx, [message]))[0];
  }

  /**
   * Writes a message into a thread the caller has locked and checked: for the API and for
   * e-mail replies alike. Returns the stored row.
   */
  async write(
    tx: RequestContext,
    thread: ThreadRow,
    author: MessageAuthor,
    input: PostMessageDto,
    mentions: string[],
    source: MessageSource,
  ): Promise<MessageRow> {
    const format = input.format ?? 'markdown';
    const body = sanitizeMessageBody(input.body, format);
    if (!body) throw AppError.field('body', 'isNotEmpty', 'has nothing left once sanitized');
    const internal = author.kind === 'user' && (input.internal ?? false);
    if (input.parentId) {
      const parent = await this.repo.find(tx, thread.id, input.parentId);
      if (!parent)
        throw AppError.field('parentId', 'notFound', 'refers to a message that does not exist');
      if (parent.deleted_at) throw new AppError('message_deleted', { id: parent.id });
    }
    const row = await this.repo.insert(tx, {
      threadId: thread.id,
      parentId: input.parentId ?? null,
      authorKind: author.kind,
      authorId: author.id,
      format,
      body,
      internal,
      mentions,
      source,
    });
    const attachmentIds = [...new Set(input.attachmentIds ?? [])];
    const bound = await this.repo.bindAttachments(
      tx,
      thread.id,
      row.id,
      attachmentIds,
      author.kind === 'user'
        ? { userId: author.id, participantId: null }
        : { userId: null, participantId: author.participantRowId ?? null },
    );
    if (bound !== attachmentIds.length)
      throw AppError.field(
        'attachmentIds',
        'notFound',
        'names a file not uploaded by you to this thread, or already sent',
      );
    await this.threads.touch(tx, thread.id);
    const people = await this.threads.participants(tx, [thread.id]);
    const staff = people.filter((p) => p.kind === 'user').map((p) => p.participant_id);
    if (author.kind === 'user') {
      const self = await this.threads.participant(tx, thread.id, 'user', author.id);
      if (self) await this.threads.markRead(tx, self.id, row.seq);
    }
    const recipients = staff.filter((id) => !(author.kind === 'user' && id === author.id));
    await this.timeline.put(tx, thread, row);
    await this.mailOut.queue(tx, thread, row);
    await this.outbox.append(tx, [
      THREAD_MESSAGE_POSTED.of(thread.id, {
        threadId: thread.id,
        messageId: row.id,
        subject: thread.subject,
        record: recordOf(thread),
        authorKind: author.kind,
        authorId: author.id,
        internal,
        recipientUserIds: recipients,
        mentionedUserIds: mentions.filter((id) => !(author.kind === 'user' && id === author.id)),
        source,
      }),
    ]);
    await this.stream.publish(tx, messagePostedEvents(thread, row, people));
    return row;
  }

  async list(ctx: RequestContext, threadId: string, query: Record<string, unknown>) {
    await this.access.visible(ctx, threadId);
    return this.page(ctx, threadId, query, false);
  }

  /**
   * The messages as one participant sees them: a contact or partner never sees internal
   * notes. Staff preview a customer's view with it; a portal serves its users the same way.
   */
  async listAs(
    ctx: RequestContext,
    threadId: string,
    participantId: string,
    query: Record<string, unknown>,
  ) {
    await this.access.visible(ctx, threadId);
    const who = await this.db.one<{ kind: ParticipantKind }>(
      ctx,
      `SELECT kind FROM thread_participants WHERE thread_id = $1 AND id = $2`,
      [threadId, participantId],
    );
    if (!who) throw AppError.notFound('participant', participantId);
    return this.page(ctx, threadId, query, who.kind !== 'user');
  }

  /** The messages an outside participant sees, for a caller that has let them into the thread. */
  async publicPage(ctx: RequestContext, threadId: string, query: Record<string, unknown>) {
    return this.page(ctx, threadId, query, true);
  }

  private async page(
    ctx: RequestContext,
    threadId: string,
    query: Record<string, unknown>,
    publicOnly: boolean,
  ) {
    const request = parseListQuery(query, pageLimits(this.config.api));
    if (request.include.length || request.fields || request.count || request.q)
      throw AppError.field('include', 'unknownField', 'is not supported by messages');
    const params = new SqlParams();
    const compiled = buildListQuery(messageQuerySchema(), request, NO_OWNER_SCOPE, params, [
      `m.thread_id = ${params.add(threadId)}::uuid`,
      ...(publicOnly ? ['NOT m.internal'] : []),
    ]);
    const rows = await this.db.query<MessageRow & Record<string, unknown>>(
      ctx,
      compiled.sql,
      compiled.params,
    );
    return listPage(rows, request.limit, compiled.keyCount, (page) => this.views(ctx, page));
  }

  async get(ctx: RequestContext, threadId: string, id: string): Promise<MessageDto> {
    await this.access.visible(ctx, threadId);
    const row = await this.repo.find(ctx, threadId, id);
    if (!row) throw AppError.notFound('message', id);
    return (await this.views(ctx, [row]))[0];
  }

  async edit(
    ctx: RequestContext,
    threadId: string,
    id: string,
    input: EditMessageDto,
    ifMatch?: string,
  ): Promise<MessageDto> {
    const row = await this.db.transaction(ctx, async (tx) => {
      const thread = await this.access.visible(tx, threadId);
      const m = await this.lockedOwn(tx, threadId, id, ifMatch);
      const minutes = this.settings.editWindowMinutes;
      if (Date.now() - m.created_at.getTime() > minutes * 60_000)
        throw new AppError('message_edit_window_closed', {
          minutes,
          postedAt: m.created_at.toISOString(),
        });
      const format: MessageFormat = input.format ?? m.format;
      const body = sanitizeMessageBody(input.body, format);
      if (!body) throw AppError.field('body', 'isNotEmpty', 'has nothing left once sanitized');
      const changed = await this.repo.change(tx, m, tx.user.userId, { format, body });
      await this.afterChange(tx, thread, changed, 'edited');
      return changed;
    });
    return (await this.views(ctx, [row]))[0];
  }

  /** Deleting keeps the row as a tombstone and the body in the edit history, for audit. */
  async remove(ctx: RequestContext, threadId: string, id: string, ifMatch?: string) {
    await this.db.transaction(ctx, async (tx) => {
      const thread = await this.access.visible(tx, threadId);
      const m = await this.lockedOwn(tx, threadId, id, ifMatch, true);
      const changed = await this.repo.change(tx, m, tx.user.userId, null);
      await this.afterChange(tx, thread, changed, 'deleted');
    });
  }

  /** The bodies a message had before each change; for its author and admins. */
  async edits(ctx: RequestContext, threadId: string, id: string) {
    await this.access.visible(ctx, threadId);
    const m = await this.repo.find(ctx, threadId, id);
    if (!m) throw AppError.notFound('message', id);
    if (
      !(m.author_kind === 'user' && m.author_id === ctx.user.userId) &&
      !ctx.user.permissions.admin
    )
      throw AppError.forbidden('read', 'message edits');
    const rows = await this.repo.edits(ctx, id);
    return {
      data: rows.map((r) => ({
        id: r.id,
        change: r.change,
        format: r.format,
        body: r.body,
        editedById: r.edited_by_id,
        editedAt: r.edited_at.toISOString(),
      })),
    };
  }

  async markRead(ctx: RequestContext, threadId: string, messageId: string | undefined) {
    return this.db.transaction(ctx, async (tx) => {
      await this.access.visible(tx, threadId);
      let seq: string;
      if (messageId) {
        const m = await this.repo.find(tx, threadId, messageId);
        if (!m)
          throw AppError.field('messageId', 'notFound', 'refers to a message that does not exist');
        seq = m.seq;
      } else seq = await this.repo.latestSeq(tx, threadId);
      await this.threads.addParticipants(
        tx,
        threadId,
        [{ kind: 'user', participantId: tx.user.userId }],
        tx.user.userId,
      );
      const me = (await this.threads.participant(tx, threadId, 'user', tx.user.userId))!;
      const receipt = await this.threads.markRead(tx, me.id, seq);
      const last = await this.db.one<{ id: string }>(
        tx,
        `SELECT id FROM thread_messages WHERE seq = $1`,
        [receipt.last_read_seq],
      );
      const unread = await this.threads.unreadCounts(tx, tx.user.userId, [threadId]);
      return { lastReadMessageId: last?.id ?? null, unreadCount: unread.get(threadId) ?? 0 };
    });
  }

  /** The message, locked, if the caller wrote it (admins may delete any); 404/403/409/412. */
  private async lockedOwn(
    tx: RequestContext,
    threadId: string,
    id: string,
    ifMatch: string | undefined,
    deleting = false,
  ): Promise<MessageRow> {
    const m = await this.repo.find(tx, threadId, id, true);
    if (!m) throw AppError.notFound('message', id);
    checkIfMatch(ifMatch, m.version);
    const mine = m.author_kind === 'user' && m.author_id === tx.user.userId;
    if (!mine && !(deleting && tx.user.permissions.admin)) throw new AppError('message_not_author');
    if (m.deleted_at) throw new AppError('message_deleted', { id: m.id });
    return m;
  }

  private async afterChange(
    tx: RequestContext,
    thread: ThreadRow,
    m: MessageRow,
    verb: 'edited' | 'deleted',
  ): Promise<void> {
    const people = await this.threads.participants(tx, [thread.id]);
    const staff = people
      .filter((p) => p.kind === 'user' && p.participant_id !== tx.user.userId)
      .map((p) => p.participant_id);
    await this.timeline.put(tx, thread, m);
    const payload = {
      threadId: thread.id,
      messageId: m.id,
      actorId: tx.user.userId,
      recipientUserIds: staff,
    };
    await this.outbox.append(tx, [
      (verb === 'edited' ? THREAD_MESSAGE_EDITED : THREAD_MESSAGE_DELETED).of(thread.id, payload),
    ]);
    await this.stream.publish(tx, [messageChangedEvent(verb, m, staff, people)]);
  }

  async views(ctx: RequestContext, rows: MessageRow[]): Promise<MessageDto[]> {
    const attachments = await this.repo.attachmentsOf(
      ctx,
      rows.filter((r) => !r.deleted_at).map((r) => r.id),
    );
    return rows.map((r) => ({
      id: r.id,
      threadId: r.thread_id,
      parentId: r.parent_id,
      author: { kind: r.author_kind, id: r.author_id },
      format: r.format,
      body: r.deleted_at ? null : r.body,
      internal: r.internal,
      mentions: r.mentions,
      attachments: attachments.filter((a) => a.message_id === r.id).map(attachmentView),
      source: r.source,
      createdAt: r.created_at.toISOString(),
      editedAt: r.edited_at?.toISOString() ?? null,
      deletedAt: r.deleted_at?.toISOString() ?? null,
      deletedById: r.deleted_by_id,
      version: r.version,
    }));
  }
}
