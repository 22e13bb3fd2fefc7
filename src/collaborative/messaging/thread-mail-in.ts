import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import {
  InboundMailRouters,
  type InboundMail,
  type InboundMailRouter,
  type InboundRouted,
} from '#operational/service/index.js';
import { CRM_CONFIG, type CrmConfig } from '#platform/config/index.js';
import type { RequestContext } from '#platform/context/index.js';
import { AppError } from '#platform/http/index.js';
import { MAX_ATTACHMENTS, MAX_BODY } from './dto/message.dto.js';
import { MessagesService } from './messages.service.js';
import { MESSAGING_SECTION } from './messaging.config.js';
import { ThreadAttachmentsService } from './thread-attachments.service.js';
import { ThreadsRepository } from './threads.repository.js';
import { stripQuotedReply } from './quoted-reply.js';
import { replyTokenOf } from './thread-mail.js';
import { ThreadMailRepository } from './thread-mail.repository.js';

/**
 * The e-mail bridge in: a mail to `reply+<token>@<replyDomain>` whose token belongs to a
 * contact of a live thread becomes that contact's message in the thread (`source: email`),
 * without the quoted history, with its attachments within the messaging limits. It is posted
 * as any message is — timeline, live stream, event — so staff see it like the others.
 *
 * An unknown token (a made-up one, or one whose participant left the thread) posts nothing:
 * the mail is recorded as rejected and left to e-mail-to-case, as any unrouted mail.
 */
@Injectable()
export class ThreadMailIn implements InboundMailRouter, OnModuleInit {
  readonly name = 'thread';

  constructor(
    private readonly routers: InboundMailRouters,
    private readonly threads: ThreadsRepository,
    private readonly messages: MessagesService,
    private readonly attachments: ThreadAttachmentsService,
    private readonly repo: ThreadMailRepository,
    @Inject(CRM_CONFIG) private readonly config: CrmConfig,
  ) {}

  onModuleInit(): void {
    this.routers.register(this);
  }

  async route(tx: RequestContext, mail: InboundMail): Promise<InboundRouted | null> {
    const domain = MESSAGING_SECTION.read(this.config).email.replyDomain;
    if (!domain) return null;
    let recipient = '';
    let token: string | null = null;
    for (const address of mail.recipients) {
      token = replyTokenOf(address, domain);
      if (token) {
        recipient = address;
        break;
      }
    }
    if (!token) return null;
    const seen = await this.repo.posted(tx, mail.messageId);
    if (seen) return { result: seen as Record<string, unknown>, replayed: true };
    const record = {
      headerMessageId: mail.messageId,
      sender: mail.from,
      recipient,
      threadMessageId: null,
      result: null,
    };
    const who = await this.threads.byReplyToken(tx, token);
    const thread =
      who?.kind === 'contact' ? await this.threads.find(tx, who.thread_id, true) : null;
    const participant =
      who && thread
        ? await this.threads.participant(tx, thread.id, 'contact', who.participant_id)
        : null;
    if (!who || !thread || !participant) {
      await this.repo.record(tx, {
        ...record,
        outcome: 'rejected',
        reason: 'the reply token belongs to no contact of a thread',
        threadId: null,
        participantId: null,
      });
      return null;
    }
    const uploader = { userId: null, participantId: participant.id };
    const kept: string[] = [];
    const skipped: { fileName: string; reason: string }[] = [];
    for (const a of mail.parsed.attachments.slice(0, MAX_ATTACHMENTS)) {
      const fileName = a.filename ?? 'attachment';
      try {
        kept.push(
          (await this.attachments.keep(tx, thread.id, { fileName, content: a.content }, uploader))
            .id,
        );
      } catch (err) {
        if (!(err instanceof AppError) || ![413, 415].includes(err.status)) throw err;
        skipped.push({ fileName, reason: err.code });
      }
    }
    const text = stripQuotedReply(mail.parsed.text ?? '') || (mail.parsed.subject ?? '').trim();
    const message = await this.messages.write(
      tx,
      thread,
      { kind: 'contact', id: who.participant_id, participantRowId: participant.id },
      {
        body: (text || '(empty message)').slice(0, MAX_BODY),
        format: 'markdown',
        attachmentIds: kept,
      },
      [],
      'email',
    );
    const result = {
      routedTo: this.name,
      targetId: thread.id,
      itemId: message.id,
      contactId: who.participant_id,
      attachmentIds: kept,
      skippedAttachments: skipped,
    };
    await this.repo.record(tx, {
      ...record,
      outcome: 'posted',
      reason: null,
      threadId: thread.id,
      participantId: participant.id,
      threadMessageId: message.id,
      result,
    });
    return { result, replayed: false };
  }
}
