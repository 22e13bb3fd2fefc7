import type { Readable } from 'node:stream';
import { Inject, Injectable, StreamableFile } from '@nestjs/common';
import {
  AttachmentStore,
  cleanFileName,
  type AttachmentPolicy,
} from '#operational/service/index.js';
import { CRM_CONFIG, type CrmConfig } from '#platform/config/index.js';
import type { RequestContext } from '#platform/context/index.js';
import { AppError, fileDownload, type UploadPart } from '#platform/http/index.js';
import type { ThreadAttachmentDto } from './dto/message.dto.js';
import { MESSAGING_SECTION } from './messaging.config.js';
import {
  MessagesRepository,
  attachmentView,
  type AttachmentRow,
  type Uploader,
} from './messages.repository.js';
import { ThreadAccess } from './thread-access.js';

/** A stored file as a download answer: its sniffed type, length and name. */
export function threadFileDownload(found: {
  meta: { mediaType: string; sizeBytes: number; fileName: string };
  stream: Readable;
}): StreamableFile {
  return fileDownload(found.stream, found.meta);
}

/**
 * Files for thread messages: uploaded to a thread first, into the service desk's
 * content-addressed store under the messaging limits (size, and type sniffed from the
 * content), then sent with a message that names them.
 */
@Injectable()
export class ThreadAttachmentsService {
  constructor(
    private readonly store: AttachmentStore,
    private readonly repo: MessagesRepository,
    private readonly access: ThreadAccess,
    @Inject(CRM_CONFIG) private readonly config: CrmConfig,
  ) {}

  private get policy(): AttachmentPolicy {
    return {
      ...MESSAGING_SECTION.read(this.config).attachments,
      tooLarge: 'thread_attachment_too_large',
      forbidden: 'thread_attachment_type_forbidden',
    };
  }

  async upload(
    ctx: RequestContext,
    threadId: string,
    parts: AsyncIterable<UploadPart>,
  ): Promise<ThreadAttachmentDto> {
    await this.access.visible(ctx, threadId);
    return this.uploadAs(ctx, threadId, parts, {
      userId: ctx.principal?.userId ?? null,
      participantId: null,
    });
  }

  /** An upload by someone the caller has already let into the thread. */
  async uploadAs(
    ctx: RequestContext,
    threadId: string,
    parts: AsyncIterable<UploadPart>,
    uploader: Uploader,
  ): Promise<ThreadAttachmentDto> {
    return this.store.uploadOne(parts, this.policy, async (file) =>
      attachmentView(await this.keep(ctx, threadId, file, uploader)),
    );
  }

  /** Stores a file under the messaging limits (413/415 beyond them) and lists it on the thread. */
  async keep(
    ctx: RequestContext,
    threadId: string,
    file: { fileName: string | undefined; content: Readable | Buffer },
    uploader: Uploader,
  ): Promise<AttachmentRow> {
    const stored = await this.store.saveAllowed(this.policy, file.content);
    return this.repo.insertAttachment(
      ctx,
      { threadId, fileName: cleanFileName(file.fileName), ...stored },
      uploader,
    );
  }

  async content(ctx: RequestContext, threadId: string, id: string) {
    await this.access.visible(ctx, threadId);
    return this.contentOf(ctx, threadId, id);
  }

  /**
   * A file's content for a caller the thread has already let in; `outsider` (an outside
   * participant's row) narrows it to what they may see.
   */
  async contentOf(
    ctx: RequestContext,
    threadId: string,
    id: string,
    outsider: string | null = null,
  ) {
    const row = await this.repo.attachment(ctx, threadId, id, outsider);
    if (!row) throw AppError.notFound('attachment', id);
    const stream = await this.store.open(this.policy.directory, row.sha256);
    if (!stream) throw AppError.notFound('attachment', id);
    return { meta: attachmentView(row), stream };
  }
}
