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
import { RecordService } from '#platform/records/index.js';
import { PartnerDirectory } from '#collaborative/partners/index.js';
import type {
  AddParticipantsDto,
  CreateThreadDto,
  ParticipantInputDto,
  ThreadDto,
  UpdateThreadDto,
} from './dto/thread.dto.js';
import { THREAD_CREATED, type ParticipantKind, type ThreadRecord } from './messaging.events.js';
import { ThreadAccess } from './thread-access.js';
import { threadQuerySchema } from './thread-query.js';
import {
  ThreadsRepository,
  type NewParticipant,
  type ParticipantRow,
  type ThreadRow,
} from './threads.repository.js';

/** Visibility is the thread rule (ThreadAccess), not an owner scope: the builder adds none. */
const NO_OWNER_SCOPE: QueryAccess = { scope: () => 'TRUE', isHidden: () => false };

/**
 * Threads: opening one (tied to a record the caller may read), who takes part, read
 * receipts and unread counts. Messages are MessagesService's.
 */
@Injectable()
export class ThreadsService {
  constructor(
    private readonly db: DatabaseService,
    private readonly repo: ThreadsRepository,
    private readonly access: ThreadAccess,
    private readonly records: RecordService,
    private readonly outbox: EventOutbox,
    private readonly partners: PartnerDirectory,
    @Inject(CRM_CONFIG) private readonly config: CrmConfig,
  ) {}

  async create(ctx: RequestContext, input: CreateThreadDto): Promise<ThreadDto> {
    this.access.require(ctx, 'create');
    if (input.record)
      await this.access.recordMustBeReadable(ctx, input.record.type, input.record.id);
    const record = input.record ? { entity: input.record.type, id: input.record.id } : null;
    const people = await this.resolve(ctx, input.participants ?? [], 'participants', record);
    const me = ctx.user.userId;
    const id = await this.db.transaction(ctx, async (tx) => {
      const thread = await this.repo.insert(tx, {
        subject: input.subject.trim(),
        recordEntity: input.record?.type ?? null,
        recordId: input.record?.id ?? null,
        ownerId: me,
      });
      await this.repo.addParticipants(
        tx,
        thread.id,
        [{ kind: 'user', participantId: me }, ...people],
        me,
      );
      await this.outbox.append(tx, [
        THREAD_CREATED.of(thread.id, {
          subject: thread.subject,
          record: recordOf(thread),
          participantUserIds: userIds([{ kind: 'user', participantId: me }, ...people]),
        }),
      ]);
      return thread.id;
    });
    return this.get(ctx, id);
  }

  async get(ctx: RequestContext, id: string): Promise<ThreadDto> {
    const thread = await this.access.visible(ctx, id);
    const [view] = await this.views(ctx, [thread]);
    return view;
  }

  async list(ctx: RequestContext, query: Record<string, unknown>) {
    this.access.require(ctx, 'read');
    const { unread, ...rest } = query;
    if (unread !== undefined && unread !== 'true' && unread !== 'false')
      throw AppError.field('unread', 'isBoolean', 'must be true or false');
    const request = parseListQuery(rest, pageLimits(this.config.api));
    if (request.include.length || request.fields || request.count)
      throw AppError.field('include', 'unknownField', 'is not supported by threads');
    const params = new SqlParams();
    const where = [this.access.visibleSql(ctx, params)];
    if (unread === 'true') {
      const me = params.add(ctx.user.userId);
      where.push(`EXISTS (SELECT 1 FROM thread_participants up JOIN thread_messages um ON um.thread_id = up.thread_id
         AND um.seq > up.last_read_seq AND um.deleted_at IS NULL AND NOT (um.author_kind = 'user' AND um.author_id = up.participant_id)
         WHERE up.thread_id = t.id AND up.kind = 'user' AND up.participant_id = ${me}::uuid)`);
    }
    const compiled = buildListQuery(threadQuerySchema(), request, NO_OWNER_SCOPE, params, where);
    const rows = await this.db.query<ThreadRow & Record<string, unknown>>(
      ctx,
      compiled.sql,
      compiled.params,
    );
    return listPage(rows, request.limit, compiled.keyCount, (page) => this.views(ctx, page));
  }

  async update(ctx: RequestContext, id: string, input: UpdateThreadDto, ifMatch?: string) {
    this.access.require(ctx, 'update');
    await this.db.transaction(ctx, async (tx) => {
      const thread = await this.access.visible(tx, id, true);
      checkIfMatch(ifMatch, thread.version);
      this.mayChange(ctx, thread);
      if (input.subject !== undefined)
        await this.repo.update(tx, id, input.subject.trim(), ctx.user.userId);
    });
    return this.get(ctx, id);
  }

  async remove(ctx: RequestContext, id: string, ifMatch?: string): Promise<void> {
    this.access.require(ctx, 'delete');
    await this.db.transaction(ctx, async (tx) => {
      const thread = await this.access.visible(tx, id, true);
      checkIfMatch(ifMatch, thread.version);
      this.mayChange(ctx, thread);
      await this.repo.softDelete(tx, id, ctx.user.userId);
    });
  }

  async addParticipants(ctx: RequestContext, id: string, input: AddParticipantsDto) {
    const thread = await this.access.visible(ctx, id);
    const people = await this.resolve(ctx, input.participants, 'participants', recordOf(thread));
    await this.db.transaction(ctx, (tx) =>
      this.repo.addParticipants(tx, id, people, ctx.user.userId),
    );
    return this.get(ctx, id);
  }

  async removeParticipant(ctx: RequestContext, id: string, participantId: string): Promise<void> {
    const thread = await this.access.visible(ctx, id);
    this.mayChange(ctx, thread);
    const removed = await this.db.transaction(ctx, (tx) =>
      this.repo.removeParticipant(tx, id, participantId),
    );
    if (!removed) throw AppError.notFound('participant', participantId);
  }

  /** Unread messages over every thread the caller takes part in. */
  async unreadTotals(ctx: RequestContext) {
    this.access.require(ctx, 'read');
    const counts = await this.repo.unreadCounts(ctx, ctx.user.userId, null);
    const values = [...counts.values()];
    return {
      threads: values.filter((n) => n > 0).length,
      messages: values.reduce((a, b) => a + b, 0),
    };
  }

  /** The thread's owner, or whoever may update or delete every thread, changes it. */
  private mayChange(ctx: RequestContext, thread: ThreadRow): void {
    if (thread.owner_id === ctx.user.userId || ctx.user.permissions.admin) return;
    throw AppError.forbidden('update', 'threads');
  }

  /**
   * Participants a request names, checked: users must be active, contacts readable by the
   * caller (by id, or found by e-mail among them), partner users live and — when the thread
   * is tied to a record — of an organization the record is shared with, so that a thread
   * never shows a partner a customer they do not work. A bad one is an error naming it.
   */
  async resolve(
    ctx: RequestContext,
    given: ParticipantInputDto[],
    field: string,
    record: ThreadRecord | null,
  ): Promise<NewParticipant[]> {
    const out: NewParticipant[] = [];
    const ids = (kind: string) => given.filter((p) => p.kind === kind && p.id).map((p) => p.id!);
    const users = await this.repo.existingUsers(ctx, ids('user'));
    const partnerUsers = await this.partners.liveUsers(ctx, ids('partner_user'));
    for (const [i, p] of given.entries()) {
      const at = `${field}[${i}]`;
      if (!p.id === !p.email) throw AppError.field(at, 'exactlyOne', 'give either id or email');
      if (p.kind === 'user') {
        if (!p.id) throw AppError.field(`${at}.email`, 'unknownField', 'users are named by id');
        if (!users.has(p.id))
          throw AppError.field(`${at}.id`, 'notFound', 'refers to a user that does not exist');
        out.push({ kind: 'user', participantId: p.id });
        continue;
      }
      if (p.kind === 'partner_user') {
        if (!p.id)
          throw AppError.field(`${at}.email`, 'unknownField', 'partner users are named by id');
        const partnerId = partnerUsers.get(p.id);
        if (!partnerId) throw new AppError('thread_partner_user_unavailable', { id: p.id });
        if (record && !(await this.partners.isShared(ctx, partnerId, record.entity, record.id)))
          throw new AppError('thread_record_not_shared', {
            id: p.id,
            entity: record.entity,
            recordId: record.id,
          });
        out.push({ kind: 'partner_user', participantId: p.id });
        continue;
      }
      const contactId = p.id ?? (await this.contactByEmail(ctx, p.email!));
      if (!contactId)
        throw AppError.field(`${at}.email`, 'notFound', 'refers to a contact that does not exist');
      await this.records.mustReference(ctx, 'contacts', contactId, `${at}.id`, 'a contact');
      out.push({ kind: 'contact', participantId: contactId });
    }
    return out;
  }

  private async contactByEmail(ctx: RequestContext, email: string): Promise<string | null> {
    const row = await this.db.one<{ id: string }>(
      ctx,
      `SELECT id FROM contacts WHERE lower(email) = lower($1) AND deleted_at IS NULL ORDER BY created_at LIMIT 1`,
      [email],
    );
    return row?.id ?? null;
  }

  async views(ctx: RequestContext, threads: ThreadRow[]): Promise<ThreadDto[]> {
    const ids = threads.map((t) => t.id);
    const [participants, unread] = await Promise.all([
      this.repo.participants(ctx, ids),
      this.repo.unreadCounts(ctx, ctx.user.userId, ids),
    ]);
    return threads.map((t) => {
      const mine = participants.filter((p) => p.thread_id === t.id);
      const takesPart = mine.some((p) => p.kind === 'user' && p.participant_id === ctx.user.userId);
      return {
        id: t.id,
        subject: t.subject,
        record: t.record_entity && t.record_id ? { type: t.record_entity, id: t.record_id } : null,
        ownerId: t.owner_id,
        participants: mine.map(participantView),
        unreadCount: takesPart ? (unread.get(t.id) ?? 0) : null,
        lastMessageAt: t.last_message_at?.toISOString() ?? null,
        createdAt: t.created_at.toISOString(),
        updatedAt: t.updated_at.toISOString(),
        version: t.version,
      } as ThreadDto;
    });
  }
}

export function recordOf(t: ThreadRow) {
  return t.record_entity && t.record_id ? { entity: t.record_entity, id: t.record_id } : null;
}

export function userIds(people: { kind: ParticipantKind; participantId: string }[]): string[] {
  return [...new Set(people.filter((p) => p.kind === 'user').map((p) => p.participantId))];
}

function participantView(p: ParticipantRow) {
  return {
    id: p.id,
    kind: p.kind,
    participantId: p.participant_id,
    name: p.name ?? p.email ?? '',
    email: p.email,
    lastReadMessageId: p.last_read_message_id,
    lastReadAt: p.last_read_at?.toISOString() ?? null,
    createdAt: p.created_at.toISOString(),
  };
}
