import type { Readable } from 'node:stream';
import { Injectable } from '@nestjs/common';
import type { RequestContext } from '#platform/context/index.js';
import { DatabaseService, uuidv7 } from '#platform/database/index.js';
import { AppError } from '#platform/http/index.js';
import { CasesService } from '../cases/cases.service.js';
import { SlaClock } from '../sla/sla-clock.js';
import { AttachmentStore, FileTooLarge } from './attachment-store.js';
import type { CaseAttachmentDto } from './case-attachment.dto.js';

/** One part of a multipart upload, as @fastify/multipart hands them over. */
export type UploadPart =
  | { type: 'field'; fieldname: string; value: unknown }
  | { type: 'file'; fieldname: string; filename: string; file: Readable };

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
  createdAt: r.created_at.toISOString(),
});

/** Keeps a file name to what a download header can carry. */
function cleanName(name: string | undefined): string {
  const clean = [...(name ?? '')]
    .map((ch) => (ch < ' ' || ch === '"' || ch === '/' || ch === '\\' ? '_' : ch))
    .join('')
    .trim()
    .slice(-255);
  return clean || 'attachment';
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

  private get limits() {
    return this.sla.settings.attachments;
  }

  async upload(ctx: RequestContext, caseId: string, parts: AsyncIterable<UploadPart>) {
    await this.cases.checkUpdatable(ctx, caseId);
    let saved: CaseAttachmentDto | null = null;
    try {
      for await (const part of parts) {
        if (part.type === 'field' || part.fieldname !== 'file' || saved) {
          if (part.type === 'file') part.file.resume();
          throw AppError.field(part.fieldname, 'whitelist', 'is not a field of this request');
        }
        saved = await this.attach(ctx, caseId, null, {
          fileName: part.filename,
          content: part.file,
        });
      }
    } catch (err) {
      const code = (err as { code?: string }).code ?? '';
      if (code === 'FST_REQ_FILE_TOO_LARGE')
        throw new AppError('case_attachment_too_large', { limit: this.limits.maxBytes });
      if (code.startsWith('FST_'))
        throw AppError.field('(body)', 'multipart', (err as Error).message);
      throw err;
    }
    if (!saved) throw AppError.field('file', 'required', 'is required');
    return saved;
  }

  /** Stores one file and its row; in the caller's transaction when it has one. */
  async attach(
    ctx: RequestContext,
    caseId: string,
    commentId: string | null,
    file: { fileName: string | undefined; content: Readable | Buffer },
  ): Promise<CaseAttachmentDto> {
    const { directory, maxBytes, allowedTypes } = this.limits;
    let stored;
    try {
      stored = await this.store.save(directory, file.content, maxBytes, (mediaType) => {
        if (!allowedTypes.includes(mediaType))
          throw new AppError(
            'case_attachment_type_forbidden',
            { mediaType, allowed: allowedTypes.join(', ') },
            undefined,
            { mediaType },
          );
      });
    } catch (err) {
      if (err instanceof FileTooLarge)
        throw new AppError('case_attachment_too_large', { limit: maxBytes });
      throw err;
    }
    const rows = await this.db.query<Row>(
      ctx,
      `INSERT INTO case_attachments (id, case_id, comment_id, file_name, media_type, size_bytes, sha256, created_by_id)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING *`,
      [
        uuidv7(),
        caseId,
        commentId,
        cleanName(file.fileName),
        stored.mediaType,
        stored.sizeBytes,
        stored.sha256,
        ctx.principal?.userId ?? null,
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
    const stream = await this.store.open(this.limits.directory, meta.sha256);
    if (!stream) throw AppError.notFound('attachment', id);
    return { meta, stream };
  }
}
