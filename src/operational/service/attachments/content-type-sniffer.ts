/** Leading bytes of the file types the service desk tells apart, most specific first. */
const SIGNATURES: { type: string; at?: number; bytes: number[] }[] = [
  { type: 'application/pdf', bytes: [0x25, 0x50, 0x44, 0x46, 0x2d] },
  { type: 'image/png', bytes: [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a] },
  { type: 'image/jpeg', bytes: [0xff, 0xd8, 0xff] },
  { type: 'image/gif', bytes: [0x47, 0x49, 0x46, 0x38] },
  { type: 'image/webp', at: 8, bytes: [0x57, 0x45, 0x42, 0x50] },
  { type: 'application/zip', bytes: [0x50, 0x4b, 0x03, 0x04] },
  { type: 'application/gzip', bytes: [0x1f, 0x8b] },
  { type: 'application/x-msdownload', bytes: [0x4d, 0x5a] },
  { type: 'application/x-executable', bytes: [0x7f, 0x45, 0x4c, 0x46] },
];

/** How many leading bytes `sniffContentType` looks at. */
export const SNIFF_BYTES = 4096;

/**
 * The MIME type of a file from its first bytes, never from its name or the type a client
 * claims: a known signature, else `text/plain` for UTF-8 text without control bytes, else
 * `application/octet-stream`.
 */
export function sniffContentType(head: Buffer): string {
  for (const s of SIGNATURES) {
    const at = s.at ?? 0;
    if (head.length >= at + s.bytes.length && s.bytes.every((b, i) => head[at + i] === b))
      return s.type === 'image/webp' && head.subarray(0, 4).toString('latin1') !== 'RIFF'
        ? 'application/octet-stream'
        : s.type;
  }
  if (head.length === 0) return 'application/octet-stream';
  for (const b of head)
    if (b < 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0d && b !== 0x0c)
      return 'application/octet-stream';
  try {
    // `stream` lets a character cut at the end of the sample pass.
    new TextDecoder('utf-8', { fatal: true }).decode(head, { stream: true });
    return 'text/plain';
  } catch {
    return 'application/octet-stream';
  }
}
