import { Injectable } from '@nestjs/common';
import type { ParsedMail } from 'mailparser';
import { CONTACT_DEFINITION, ContactsService } from '#operational/customers/index.js';
import type { RequestContext } from '#platform/context/index.js';
import { DatabaseService, uuidv7 } from '#platform/database/index.js';
import { AppError } from '#platform/http/index.js';
import type { ListRequest } from '#platform/query/index.js';
import { RecordService, type ApiRecord } from '#platform/records/index.js';
import { CaseAttachmentsService } from '../attachments/case-attachments.service.js';
import { CaseCommentsService } from '../cases/comments/case-comments.service.js';
import { CasesService } from '../cases/cases.service.js';
import type { InboundEmailResultDto } from './inbound-email.dto.js';
import { InboundMailRouters } from './inbound-mail-routers.js';

const CASE_NUMBER = /\bCS-\d{4}-\d{6,}\b/i;
const MAX_ATTACHMENTS = 100;

function malformed(reason: string, reasonId: string): AppError {
  return new AppError('inbound_email_malformed', { reason, reasonId });
}

/** Message ids as stored: without the angle brackets, at most 998 characters. */
function messageIds(value: string | string[] | undefined): string[] {
  const all = (Array.isArray(value) ? value : value ? value.split(/\s+/) : [])
    .map((v) => v.trim().replace(/^<|>$/g, ''))
    .filter((v) => v.length > 0 && v.length <= 998);
  return [...new Set(all)];
}

/**
 * Every address a mail was sent to: To, Cc, and what the relay says it delivered to. The case
 * is kept: a local part may carry a case-sensitive token.
 */
function recipientsOf(mail: ParsedMail): string[] {
  const listed = [mail.to, mail.cc]
    .flatMap((a) => (Array.isArray(a) ? a : a ? [a] : []))
    .flatMap((a) => a.value.map((v) => v.address ?? ''));
  const delivered = ['delivered-to', 'x-original-to'].flatMap((h) => {
    const v = mail.headers.get(h);
    const all = Array.isArray(v) ? v : v ? [v] : [];
    return all.map((x) => (typeof x === 'string' ? x : '').replace(/^<|>$/g, ''));
  });
  return [...new Set([...delivered, ...listed].map((a) => a.trim()).filter(Boolean))];
}

/**
 * E-mail to case: a message the mail relay posts is parsed; a reply (In-Reply-To or
 * References naming a message of a case, or the case number in the subject) becomes a public
 * comment by the sender on that case, reopening it when resolved and taking it back from
 * waiting for the customer; any other message opens a case on the email channel. The sender
 * is the contact with that address, or a new one. Attachments within the limits are kept;
 * a message posted twice (same Message-ID) answers the first result again.
 */
@Injectable()
export class InboundEmailService {
  constructor(
    private readonly db: DatabaseService,
    private readonly records: RecordService,
    private readonly cases: CasesService,
    private readonly contacts: ContactsService,
    private readonly comments: CaseCommentsService,
    private readonly attachments: CaseAttachmentsService,
    private readonly routers: InboundMailRouters,
  ) {}

  async receive(
    ctx: RequestContext,
    raw: unknown,
  ): Promise<{ result: InboundEmailResultDto | Record<string, unknown>; replayed: boolean }> {
    if (!Buffer.isBuffer(raw) || raw.length === 0)
      throw AppError.field('(body)', 'required', 'must be an RFC 822 message');
    const mail = await this.parse(raw);
    const from = mail.from?.value.find((a) => a.address)?.address?.toLowerCase();
    if (!from) throw malformed('it has no sender address', 'tidak ada alamat pengirim');
    const messageId = messageIds(mail.messageId)[0] ?? `${uuidv7()}@relasi.invalid`;
    const recipients = recipientsOf(mail);
    return this.db.transaction(ctx, async (tx) => {
      for (const router of this.routers.list()) {
        const routed = await router.route(tx, {
          parsed: mail,
          messageId,
          from,
          fromName: mail.from?.value[0]?.name ?? '',
          recipients,
        });
        if (routed) return routed;
      }
      const seen = await this.db.one<{ result: InboundEmailResultDto }>(
        tx,
        `SELECT result FROM case_email_messages WHERE message_id = $1 AND result IS NOT NULL`,
        [messageId],
      );
      if (seen) return { result: seen.result, replayed: true };
      const contact = await this.sender(tx, from, mail.from?.value[0]?.name ?? '');
      const body = (mail.text ?? '').trim() || (mail.subject ?? '').trim() || '(empty message)';
      const existing = await this.threadOf(tx, mail);
      let c: ApiRecord;
      let commentId: string | null = null;
      if (existing) {
        c = existing;
        const comment = await this.comments.write(tx, c, {
          body: body.slice(0, 50_000),
          visibility: 'public',
          authorUserId: null,
          authorContactId: contact.id,
          source: 'email',
        });
        commentId = comment.id;
        const back =
          c.status === 'resolved' ? 'reopened' : c.status === 'pending_customer' ? 'open' : null;
        if (back) await this.cases.update(tx, c.id, { status: back });
      } else {
        const created = await this.cases.create(tx, {
          subject: (mail.subject ?? '').trim().slice(0, 500) || '(no subject)',
          description: body.slice(0, 20_000),
          channel: 'email',
          contactId: contact.id,
          accountId: contact.accountId,
        });
        c = await this.cases.load(tx, created.id);
      }
      const kept: string[] = [];
      const skipped: { fileName: string; reason: string }[] = [];
      for (const a of mail.attachments.slice(0, MAX_ATTACHMENTS)) {
        const fileName = a.filename ?? 'attachment';
        try {
          kept.push(
            (await this.attachments.attach(tx, c.id, commentId, { fileName, content: a.content }))
              .id,
          );
        } catch (err) {
          if (!(err instanceof AppError) || ![413, 415].includes(err.status)) throw err;
          skipped.push({ fileName, reason: err.code });
        }
      }
      const result: InboundEmailResultDto = {
        caseId: c.id,
        caseNumber: c.number as string,
        commentId,
        created: !existing,
        contactId: contact.id,
        attachmentIds: kept,
        skippedAttachments: skipped,
      };
      await this.db.query(
        tx,
        `INSERT INTO case_email_messages (message_id, case_id, comment_id, result) VALUES ($1, $2, $3, $4)`,
        [messageId, c.id, commentId, JSON.stringify(result)],
      );
      return { result, replayed: false };
    });
  }

  private async parse(raw: Buffer): Promise<ParsedMail> {
    let mail: ParsedMail;
    try {
      // Loaded when mail first arrives: the parser is 4 MB of heap a server without mail never needs.
      const { simpleParser } = await import('mailparser');
      mail = await simpleParser(raw, { skipHtmlToText: false, maxHtmlLengthToParse: 5_000_000 });
    } catch (err) {
      throw malformed((err as Error).message.slice(0, 200), 'pesan tidak dapat diurai');
    }
    if (mail.headerLines.length === 0)
      throw malformed('it has no header lines', 'tidak ada baris header');
    return mail;
  }

  /** The case a reply belongs to: by the message ids it answers, else by the number in its subject. */
  private async threadOf(tx: RequestContext, mail: ParsedMail): Promise<ApiRecord | null> {
    const answered = [...messageIds(mail.inReplyTo), ...messageIds(mail.references)];
    let caseId: string | null = null;
    if (answered.length) {
      const row = await this.db.one<{ case_id: string }>(
        tx,
        `SELECT case_id FROM case_email_messages WHERE message_id = ANY ($1::text[])
          ORDER BY created_at DESC LIMIT 1`,
        [answered],
      );
      caseId = row?.case_id ?? null;
    }
    const number = mail.subject?.match(CASE_NUMBER)?.[0];
    if (!caseId && number) {
      const row = await this.db.one<{ id: string }>(
        tx,
        `SELECT id FROM cases WHERE number = $1 AND deleted_at IS NULL`,
        [number.toUpperCase()],
      );
      caseId = row?.id ?? null;
    }
    if (!caseId) return null;
    try {
      const c = await this.cases.loadForUpdate(tx, caseId);
      // A reply to a closed case starts a new one.
      return c.status === 'closed' ? null : c;
    } catch (err) {
      if (err instanceof AppError && err.status === 404) return null;
      throw err;
    }
  }

  /** The contact with the sender's address, or a new one named after the sender. */
  private async sender(tx: RequestContext, email: string, name: string) {
    const request: ListRequest = {
      filter: { field: 'email', op: 'eq', value: email },
      sort: [{ field: 'createdAt', direction: 'asc' }],
      limit: 1,
      cursor: null,
      fields: null,
      include: [],
      q: null,
      count: null,
    };
    const found = (await this.records.list(tx, CONTACT_DEFINITION, request)).data[0] as
      ApiRecord | undefined;
    if (found) return { id: found.id, accountId: (found.accountId as string | null) ?? null };
    const words = name.trim().split(/\s+/).filter(Boolean);
    const lastName =
      (words.length > 1 ? words.slice(1).join(' ') : words[0]) || email.split('@')[0];
    const created = await this.contacts.create(
      tx,
      {
        firstName: words.length > 1 ? words[0].slice(0, 100) : null,
        lastName: lastName.slice(0, 100),
        email,
      },
      { allowDuplicate: true },
    );
    return { id: created.id, accountId: null };
  }
}
