import { Inject, Injectable } from '@nestjs/common';
import { CRM_CONFIG, type CrmConfig } from '#platform/config/index.js';
import type { RequestContext } from '#platform/context/index.js';
import { DatabaseService } from '#platform/database/index.js';
import { AppError, type UploadPart } from '#platform/http/index.js';
import {
  buildListQuery,
  pageLimits,
  parseListQuery,
  SqlParams,
  type QueryAccess,
} from '#platform/query/index.js';
import { listPage } from './list-page.js';
import type { MessageContentDto, MessageDto } from './dto/message.dto.js';
import type {
  ParticipantAttachmentDto,
  ParticipantMessageDto,
  ParticipantNameDto,
  ParticipantThreadDto,
} from './dto/participant-view.dto.js';
import type { ParticipantKind } from './messaging.events.js';
import { MessagesRepository } from './messages.repository.js';
import { MessagesService } from './messages.service.js';
import { ThreadAttachmentsService } from './thread-attachments.service.js';
import { participantThreadQuerySchema } from './thread-query.js';
import { ThreadsRepository, type ParticipantRow, type ThreadRow } from './threads.repository.js';

/**
 * Someone outside the company in a thread: a customer in the portal (`contact`) or a partner
 * user (`partner_user`). Each audience's controller turns its token into one of these.
 */
export interface OutsideParticipant {
  kind: Exclude<ParticipantKind, 'user'>;
  id: string;
}

/** Taking part is the only rule: the list is narrowed to the caller's threads, no owner scope. */
const NO_OWNER_SCOPE: QueryAccess = { scope: () => 'TRUE', isHidden: () => false };

/**
 * Threads as an outside participant takes part in them: only the threads they are in (any
 * other id is 404), never internal notes, and of the other people only their kind and name.
 * What they write is posted as any message is (sanitized, on the timeline, live to staff).
 * Reused by every outside audience: a new one adds only its controller.
 */
@Injectable()
export class ParticipantThreadsService {
  constructor(
    private readonly db: DatabaseService,
    private readonly threads: ThreadsRepository,
    private readonly messages: MessagesService,
    private readonly messageRows: MessagesRepository,
    private readonly attachments: ThreadAttachmentsService,
    @Inject(CRM_CONFIG) private readonly config: CrmConfig,
  ) {}

  /** The thread and the caller's participant row; 404 when they do not take part. */
  private async membership(
    ctx: RequestContext,
    who: OutsideParticipant,
    threadId: string,
    forUpdate = false,
  ): Promise<{ thread: ThreadRow; participant: { id: string } }> {
    const thread = await this.threads.find(ctx, threadId, forUpdate);
    const participant = thread
      ? await this.threads.participant(ctx, threadId, who.kind, who.id)
      : null;
    if (!thread || !participant) throw AppError.notFound('thread', threadId);
    return { thread, participant };
  }

  async list(ctx: RequestContext, who: OutsideParticipant, query: Record<string, unknown>) {
    const request = parseListQuery(query, pageLimits(this.config.api));
    if (request.include.length || request.fields || request.count)
      throw AppError.field('include', 'unknownField', 'is not supported by threads');
    const params = new SqlParams();
    const mine = `EXISTS (SELECT 1 FROM thread_participants op WHERE op.thread_id = t.id
       AND op.kind = ${params.add(who.kind)} AND op.participant_id = ${params.add(who.id)}::uuid)`;
    const compiled = buildListQuery(
      participantThreadQuerySchema(),
      request,
      NO_OWNER_SCOPE,
      params,
      [mine],
    );
    const rows = await this.db.query<ThreadRow & Record<string, unknown>>(
      ctx,
      compiled.sql,
      compiled.params,
    );
    return listPage(rows, request.limit, compiled.keyCount, (page) =>
      this.threadViews(ctx, who, page),
    );
  }

  async get(
    ctx: RequestContext,
    who: OutsideParticipant,
    id: string,
  ): Promise<ParticipantThreadDto> {
    const { thread } = await this.membership(ctx, who, id);
    return (await this.threadViews(ctx, who, [thread]))[0];
  }

  async listMessages(
    ctx: RequestContext,
    who: OutsideParticipant,
    id: string,
    query: Record<string, unknown>,
  ) {
    await this.membership(ctx, who, id);
    const page = await this.messages.publicPage(ctx, id, query);
    return { data: await this.messageViews(ctx, who, id, page.data), meta: page.meta };
  }

  async post(
    ctx: RequestContext,
    who: OutsideParticipant,
    id: string,
    input: MessageContentDto,
  ): Promise<ParticipantMessageDto> {
    const row = await this.db.transaction(ctx, async (tx) => {
      const { thread, participant } = await this.membership(tx, who, id, true);
      if (input.parentId) {
        // An internal note is not there for them: answering one is answering nothing.
        const parent = await this.messageRows.find(tx, id, input.parentId);
        if (!parent || parent.internal)
          throw AppError.field('parentId', 'notFound', 'refers to a message that does not exist');
      }
      const written = await this.messages.write(
        tx,
        thread,
        { kind: who.kind, id: who.id, participantRowId: participant.id },
        { ...input, internal: false, mentions: [] },
        [],
        who.kind === 'partner_user' ? 'partner' : 'portal',
      );
      await this.threads.markRead(tx, participant.id, written.seq);
      return written;
    });
    const [dto] = await this.messages.views(ctx, [row]);
    return (await this.messageViews(ctx, who, id, [dto]))[0];
  }

  /** Moves the caller's read receipt up to a message they see (never back), or to the latest. */
  async markRead(ctx: RequestContext, who: OutsideParticipant, id: string, messageId?: string) {
    return this.db.transaction(ctx, async (tx) => {
      const { participant } = await this.membership(tx, who, id);
      let seq: string;
      if (messageId) {
        const m = await this.messageRows.find(tx, id, messageId);
        if (!m || m.internal)
          throw AppError.field('messageId', 'notFound', 'refers to a message that does not exist');
        seq = m.seq;
      } else seq = await this.messageRows.latestSeq(tx, id, true);
      const receipt = await this.threads.markRead(tx, participant.id, seq);
      const last = await this.db.one<{ id: string }>(
        tx,
        `SELECT id FROM thread_messages WHERE seq = $1`,
        [receipt.last_read_seq],
      );
      const unread = await this.threads.unreadFor(tx, who.kind, who.id, [id]);
      return { lastReadMessageId: last?.id ?? null, unreadCount: unread.get(id) ?? 0 };
    });
  }

  async upload(
    ctx: RequestContext,
    who: OutsideParticipant,
    id: string,
    parts: AsyncIterable<UploadPart>,
  ): Promise<ParticipantAttachmentDto> {
    const { participant } = await this.membership(ctx, who, id);
    const saved = await this.attachments.uploadAs(ctx, id, parts, {
      userId: null,
      participantId: participant.id,
    });
    return {
      id: saved.id,
      fileName: saved.fileName,
      mediaType: saved.mediaType,
      sizeBytes: saved.sizeBytes,
      createdAt: saved.createdAt,
    };
  }

  async content(ctx: RequestContext, who: OutsideParticipant, id: string, attachmentId: string) {
    const { participant } = await this.membership(ctx, who, id);
    return this.attachments.contentOf(ctx, id, attachmentId, participant.id);
  }

  private async threadViews(
    ctx: RequestContext,
    who: OutsideParticipant,
    threads: ThreadRow[],
  ): Promise<ParticipantThreadDto[]> {
    const ids = threads.map((t) => t.id);
    const [people, unread] = await Promise.all([
      this.threads.participants(ctx, ids),
      this.threads.unreadFor(ctx, who.kind, who.id, ids),
    ]);
    return threads.map((t) => ({
      id: t.id,
      subject: t.subject,
      participants: people.filter((p) => p.thread_id === t.id).map((p) => nameOf(p, who)),
      unreadCount: unread.get(t.id) ?? 0,
      lastMessageAt: t.last_message_at?.toISOString() ?? null,
      createdAt: t.created_at.toISOString(),
    }));
  }

  private async messageViews(
    ctx: RequestContext,
    who: OutsideParticipant,
    threadId: string,
    messages: MessageDto[],
  ): Promise<ParticipantMessageDto[]> {
    const people = await this.threads.participants(ctx, [threadId]);
    const named = new Map(people.map((p) => [`${p.kind}:${p.participant_id}`, p]));
    return messages.map((m) => {
      const author = named.get(`${m.author.kind}:${m.author.id}`);
      return {
        id: m.id,
        threadId: m.threadId,
        parentId: m.parentId,
        author: author
          ? nameOf(author, who)
          : {
              kind: m.author.kind,
              name: '',
              you: m.author.kind === who.kind && m.author.id === who.id,
            },
        format: m.format,
        body: m.body,
        attachments: m.attachments.map((a) => ({
          id: a.id,
          fileName: a.fileName,
          mediaType: a.mediaType,
          sizeBytes: a.sizeBytes,
          createdAt: a.createdAt,
        })),
        source: m.source,
        createdAt: m.createdAt,
        editedAt: m.editedAt,
        deletedAt: m.deletedAt,
      };
    });
  }
}

/** A display name, never the address or id of anyone else. */
function nameOf(p: ParticipantRow, who: OutsideParticipant): ParticipantNameDto {
  const you = p.kind === who.kind && p.participant_id === who.id;
  return { kind: p.kind, name: p.name ?? (you ? (p.email ?? '') : ''), you };
}
