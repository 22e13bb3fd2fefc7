import { createHash, randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { Injectable } from '@nestjs/common';
import { SNIFF_BYTES, sniffContentType } from './content-type-sniffer.js';

export interface StoredFile {
  sha256: string;
  sizeBytes: number;
  mediaType: string;
}

/** The upload went past the size limit; what arrived was thrown away. */
export class FileTooLarge extends Error {}

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
