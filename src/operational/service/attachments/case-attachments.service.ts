import type { Readable } from 'node:stream';
import { Injectable } from '@nestjs/common';
import type { RequestContext } from '#platform/context/index.js';
import { DatabaseService, uuidv7 } from '#platform/database/index.js';
import { AppError, fileDownload, type UploadPart } from '#platform/http/index.js';
import { CasesService } from '../cases/cases.service.js';
import { SlaClock } from '../sla/sla-clock.js';
import {
  AttachmentStore,
  cleanFileName,
  type AttachmentPolicy,
  type IncomingFile as UploadedFile,
} from './attachment-store.js';
import type { CaseAttachmentDto } from './case-attachment.dto.js';

/** A file that came with a case some other way (an e-mail). */
export interface IncomingFile {
  fileName: string;
  content: Buffer;
}

type Row = {
  id: string;
  case_id: string;
  comment_id: string | null;
  file_name: string;
  media_type: string;
  size_bytes: string;
  sha256: string;
  created_by_id: string | null;
  created_by_contact_id: string | null;
  created_at: Date;
};

const toDto = (r: Row): CaseAttachmentDto => ({
  id: r.id,
  caseId: r.case_id,
  commentId: r.comment_id,
  fileName: r.file_name,
  mediaType: r.media_type,
  sizeBytes: Number(r.size_bytes),
  sha256: r.sha256,
  createdById: r.created_by_id,
  createdByContactId: r.created_by_contact_id,
  createdAt: r.created_at.toISOString(),
});

/** An attachment's content as a download: its sniffed type, under its file name. */
export function attachmentDownload(found: { meta: CaseAttachmentDto; stream: Readable }) {
  return fileDownload(found.stream, found.meta);
}

/**
 * Files attached to cases: streamed to disk under their content hash within the configured
 * size, refused when the type sniffed from their content is not allowed, listed and
 * streamed back to whoever may read the case.
 */
@Injectable()
export class CaseAttachmentsService {
  constructor(
    private readonly db: DatabaseService,
    private readonly cases: CasesService,
    private readonly store: AttachmentStore,
    private readonly sla: SlaClock,
  ) {}

  private get policy(): AttachmentPolicy {
    return {
      ...this.sla.settings.attachments,
      tooLarge: 'case_attachment_too_large',
      forbidden: 'case_attachment_type_forbidden',
    };
  }

  /** `byContactId`: the customer who uploads (in the portal), in place of the calling user. */
  async upload(
    ctx: RequestContext,
    caseId: string,
    parts: AsyncIterable<UploadPart>,
    byContactId: string | null = null,
  ) {
    await this.cases.checkUpdatable(ctx, caseId);
    return this.store.uploadOne(parts, this.policy, (file) =>
      this.attach(ctx, caseId, null, file, byContactId),
    );
  }

  /** Stores one file and its row; in the caller's transaction when it has one. */
  async attach(
    ctx: RequestContext,
    caseId: string,
    commentId: string | null,
    file: UploadedFile,
    byContactId: string | null = null,
  ): Promise<CaseAttachmentDto> {
    const stored = await this.store.saveAllowed(this.policy, file.content);
    const rows = await this.db.query<Row>(
      ctx,
      `INSERT INTO case_attachments (id, case_id, comment_id, file_name, media_type, size_bytes, sha256, created_by_id, created_by_contact_id)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING *`,
      [
        uuidv7(),
        caseId,
        commentId,
        cleanFileName(file.fileName),
        stored.mediaType,
        stored.sizeBytes,
        stored.sha256,
        byContactId ? null : (ctx.principal?.userId ?? null),
        byContactId,
      ],
    );
    return toDto(rows[0]);
  }

  async list(ctx: RequestContext, caseId: string) {
    await this.cases.load(ctx, caseId);
    const rows = await this.db.query<Row>(
      ctx,
      `SELECT * FROM case_attachments WHERE case_id = $1 ORDER BY created_at, id LIMIT 1000`,
      [caseId],
    );
    return { data: rows.map(toDto) };
  }

  async one(ctx: RequestContext, caseId: string, id: string): Promise<CaseAttachmentDto> {
    await this.cases.load(ctx, caseId);
    const row = await this.db.one<Row>(
      ctx,
      `SELECT * FROM case_attachments WHERE case_id = $1 AND id = $2`,
      [caseId, id],
    );
    if (!row) throw AppError.notFound('attachment', id);
    return toDto(row);
  }

  async content(ctx: RequestContext, caseId: string, id: string) {
    const meta = await this.one(ctx, caseId, id);
    const stream = await this.store.open(this.policy.directory, meta.sha256);
    if (!stream) throw AppError.notFound('attachment', id);
    return { meta, stream };
  }
}
