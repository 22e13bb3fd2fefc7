import type { Readable } from 'node:stream';
import { applyDecorators, StreamableFile } from '@nestjs/common';
import { ApiOkResponse, ApiProduces } from '@nestjs/swagger';

/**
 * `Content-Disposition` for any file name (RFC 6266): an ASCII `filename` for old
 * clients and the exact name as UTF-8 in `filename*`. A header cannot carry "–", "é" as UTF-8
 * or an emoji as they are, and a name written into it unencoded made such downloads fail.
 */
export function contentDisposition(
  fileName: string,
  kind: 'attachment' | 'inline' = 'attachment',
): string {
  const ascii = fileName.replace(/[^\x20-\x7e]|["\\%]/g, '_');
  const encoded = encodeURIComponent(fileName).replace(
    /['()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return `${kind}; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}

/** A file answer: its media type, its length when known, saved (or shown inline) under its name. */
export function fileDownload(
  body: Readable | Uint8Array,
  file: { mediaType: string; fileName: string; sizeBytes?: number },
  kind: 'attachment' | 'inline' = 'attachment',
): StreamableFile {
  const options = {
    type: file.mediaType,
    length: file.sizeBytes,
    disposition: contentDisposition(file.fileName, kind),
  };
  return body instanceof Uint8Array
    ? new StreamableFile(body, options)
    : new StreamableFile(body, options);
}

/** The API document's answer of a file download: any media type, as stored. */
export function ApiFileDownload(
  description = 'The file, with the type sniffed when it was uploaded',
) {
  return applyDecorators(
    ApiProduces('*/*'),
    ApiOkResponse({
      description,
      content: {
        '*/*': { schema: { type: 'string', format: 'binary', maxLength: 1_073_741_824 } },
      },
    }),
  );
}
