import { createHash, randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { Injectable } from '@nestjs/common';
import { AppError, type ProblemCode, type UploadPart } from '#platform/http/index.js';
import { SNIFF_BYTES, sniffContentType } from './content-type-sniffer.js';

export interface StoredFile {
  sha256: string;
  sizeBytes: number;
  mediaType: string;
}

/** The upload went past the size limit; what arrived was thrown away. */
export class FileTooLarge extends Error {}

/** What a feature accepts of its files, and the problems it answers for the rest. */
export interface AttachmentPolicy {
  readonly directory: string;
  readonly maxBytes: number;
  /** MIME types accepted, as sniffed from the content. */
  readonly allowedTypes: readonly string[];
  /** Answered for a file over `maxBytes` (413), with `{limit}`. */
  readonly tooLarge: ProblemCode;
  /** Answered for a type not allowed (415), with `{mediaType}` and `{allowed}`. */
  readonly forbidden: ProblemCode;
}

/** A file as it arrives, by upload or with an e-mail. */
export interface IncomingFile {
  fileName: string | undefined;
  content: Readable | Buffer;
}

/** Keeps a file name to what a download header can carry. */
export function cleanFileName(name: string | undefined): string {
  const clean = [...(name ?? '')]
    .map((ch) => (ch < ' ' || ch === '"' || ch === '/' || ch === '\\' ? '_' : ch))
    .join('')
    .trim()
    .slice(-255);
  return clean || 'attachment';
}

/**
 * Attachment files on disk, one per content: stored under their SHA-256, so the same file
 * sent twice is kept once. A file is written to a temporary name while it is hashed and
 * counted, and moved into place only when complete and allowed.
 */
@Injectable()
export class AttachmentStore {
  /**
   * Streams a file in, at most `maxBytes`; throws FileTooLarge beyond. `accept` decides on
   * the type sniffed from the first bytes before the file is kept.
   */
  async save(
    directory: string,
    source: Readable | Buffer,
    maxBytes: number,
    accept: (mediaType: string) => void,
  ): Promise<StoredFile> {
    await mkdir(join(directory, 'tmp'), { recursive: true });
    const temp = join(directory, 'tmp', randomUUID());
    const hash = createHash('sha256');
    const out = createWriteStream(temp);
    let size = 0;
    const head: Buffer[] = [];
    let headBytes = 0;
    try {
      const chunks: AsyncIterable<Buffer> | Buffer[] = Buffer.isBuffer(source) ? [source] : source;
      for await (const chunk of chunks) {
        size += chunk.length;
        if (size > maxBytes) throw new FileTooLarge();
        if (headBytes < SNIFF_BYTES) {
          head.push(chunk.subarray(0, SNIFF_BYTES - headBytes));
          headBytes += Math.min(chunk.length, SNIFF_BYTES - headBytes);
        }
        hash.update(chunk);
        if (!out.write(chunk)) await new Promise<void>((r) => out.once('drain', () => r()));
      }
      await new Promise<void>((resolve, reject) =>
        out.end((err?: Error | null) => (err ? reject(err) : resolve())),
      );
      const mediaType = sniffContentType(Buffer.concat(head));
      accept(mediaType);
      const sha256 = hash.digest('hex');
      const target = this.pathOf(directory, sha256);
      await mkdir(join(directory, sha256.slice(0, 2)), { recursive: true });
      await rename(temp, target);
      return { sha256, sizeBytes: size, mediaType };
    } catch (err) {
      out.destroy();
      if (!Buffer.isBuffer(source)) source.resume();
      await rm(temp, { force: true });
      throw err;
    }
  }

  /** Saves a file under a feature's policy, answering its problems when the file breaks it. */
  async saveAllowed(policy: AttachmentPolicy, content: Readable | Buffer): Promise<StoredFile> {
    try {
      return await this.save(policy.directory, content, policy.maxBytes, (mediaType) => {
        if (!policy.allowedTypes.includes(mediaType))
          throw new AppError(
            policy.forbidden,
            { mediaType, allowed: policy.allowedTypes.join(', ') },
            undefined,
            { mediaType },
          );
      });
    } catch (err) {
      if (err instanceof FileTooLarge)
        throw new AppError(policy.tooLarge, { limit: policy.maxBytes });
      throw err;
    }
  }

  /**
   * The one file of a multipart upload, in a part named `file`, handed to `keep`; any other
   * part is a field error, a file past the server's multipart limit the policy's 413.
   */
  async uploadOne<T>(
    parts: AsyncIterable<UploadPart>,
    policy: AttachmentPolicy,
    keep: (file: IncomingFile) => Promise<T>,
  ): Promise<T> {
    let saved: { value: T } | null = null;
    try {
      for await (const part of parts) {
        if (part.type === 'field' || part.fieldname !== 'file' || saved) {
          if (part.type === 'file') part.file.resume();
          throw AppError.field(part.fieldname, 'whitelist', 'is not a field of this request');
        }
        saved = { value: await keep({ fileName: part.filename, content: part.file }) };
      }
    } catch (err) {
      const code = (err as { code?: string }).code ?? '';
      if (code === 'FST_REQ_FILE_TOO_LARGE')
        throw new AppError(policy.tooLarge, { limit: policy.maxBytes });
      if (code.startsWith('FST_'))
        throw AppError.field('(body)', 'multipart', (err as Error).message);
      throw err;
    }
    if (!saved) throw AppError.field('file', 'required', 'is required');
    return saved.value;
  }

  pathOf(directory: string, sha256: string): string {
    return join(directory, sha256.slice(0, 2), sha256);
  }

  async open(directory: string, sha256: string): Promise<Readable | null> {
    const path = this.pathOf(directory, sha256);
    try {
      await stat(path);
    } catch {
      return null;
    }
    return createReadStream(path);
  }
}
