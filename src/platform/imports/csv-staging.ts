import { createHash } from 'node:crypto';
import { Readable, Transform, type Writable } from 'node:stream';
import { finished } from 'node:stream/promises';
import { parse, type Info } from 'csv-parse';
import { AppError } from '#platform/http/app-error.js';
import { runPiped } from './piped-streams.js';

/** What staging a file left in `import_rows`. */
export interface StagedFile {
  header: string[];
  rows: number;
  bytes: number;
  sha256: string;
}

export interface StagingLimits {
  /** Upload limit in bytes, for the 413 answer. */
  maxBytes: number;
  maxColumns: number;
  /** Longest record, in characters. */
  maxRecordChars: number;
}

const DELIMITERS = [',', ';', '\t', '|'];
/** Characters of COPY text sent at a time. */
const COPY_CHUNK = 256 * 1024;
/** How much of the file is read to find the header line and its delimiter. */
const HEADER_PEEK = 64 * 1024;

/** A 400 about the file, worded in both languages (the field catalogue has no text for these). */
function notCsv(en: string, id: string, params: Record<string, unknown> = {}): AppError {
  return AppError.field('file', 'isCsv', en, { ...params, messages: { en, id } });
}

/** The delimiter of a header line: the candidate that occurs most outside quotes (`,` on a tie). */
export function detectDelimiter(headerLine: string): string {
  const counts = new Map(DELIMITERS.map((d) => [d, 0]));
  let quoted = false;
  for (const ch of headerLine) {
    if (ch === '"') quoted = !quoted;
    else if (!quoted && counts.has(ch)) counts.set(ch, counts.get(ch)! + 1);
  }
  let best = ',';
  for (const d of DELIMITERS) if (counts.get(d)! > counts.get(best)!) best = d;
  return best;
}

/**
 * Ends an unfinished COPY with CopyFail and waits for the server to say so: until then the
 * connection accepts no other statement, not even the ROLLBACK.
 */
async function abandon(copy: Writable): Promise<void> {
  if (copy.writableFinished || copy.closed) return;
  const settled = finished(copy).catch(() => undefined);
  copy.destroy();
  await settled;
}

/** COPY text format: backslash is the escape character; JSON text has no raw tab or newline. */
function copyEscape(text: string): string {
  return text.includes('\\') ? text.replace(/\\/g, '\\\\') : text;
}

/** Busboy ends a file at the size limit and marks it truncated; the multipart plugin may also throw. */
function isTooLarge(file: Readable, err?: unknown): boolean {
  return (
    (file as Readable & { truncated?: boolean }).truncated === true ||
    (err as { code?: string } | null)?.code === 'FST_REQ_FILE_TOO_LARGE'
  );
}

/**
 * Text of an upload, checked on the way: UTF-8 (a byte-order mark is dropped by the parser),
 * no NUL characters (no text file has them; spreadsheets, archives and images do). Counts and
 * hashes the bytes, for the import's record and its idempotency check.
 */
class UploadText {
  bytes = 0;
  private readonly hash = createHash('sha256');
  private readonly decoder = new TextDecoder('utf-8', { fatal: true });
  private readonly iterator: AsyncIterator<Buffer>;

  constructor(file: Readable) {
    this.iterator = file[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  }

  get sha256(): string {
    return this.hash.digest('hex');
  }

  /** Reads the rest of the upload without looking at it, so the multipart stream can move on. */
  async drain(): Promise<void> {
    try {
      for (;;) if ((await this.iterator.next()).done) return;
    } catch {
      // The upload broke off; there is nothing left to read.
    }
  }

  /** The next piece of text, or null at the end. */
  async next(): Promise<string | null> {
    const { value, done } = await this.iterator.next();
    if (done) {
      const tail = this.decode(undefined);
      return tail === '' ? null : tail;
    }
    this.bytes += value.length;
    this.hash.update(value);
    return this.decode(value);
  }

  private decode(chunk: Buffer | undefined): string {
    let text: string;
    try {
      text = chunk ? this.decoder.decode(chunk, { stream: true }) : this.decoder.decode();
    } catch {
      throw notCsv(
        'is not UTF-8 text: save the spreadsheet as "CSV UTF-8"',
        'bukan teks UTF-8: simpan lembar kerja sebagai "CSV UTF-8"',
      );
    }
    if (text.includes('\u0000'))
      throw notCsv(
        'is not a CSV text file (it holds binary data)',
        'bukan berkas teks CSV (berisi data biner)',
      );
    return text;
  }
}

/**
 * Parses an uploaded CSV as it arrives and writes each record to `copy` (a `COPY import_rows
 * (import_id, row_number, line, cells) FROM STDIN` stream) as one staged row: its number
 * (1 = the first record after the header), the line it starts on, and its cells as a JSON
 * array. Nothing is held in memory beyond the record being parsed. The first record is the
 * header; the delimiter (`,` `;` tab or `|`) is the one it uses. Records of the wrong width
 * are staged as they are and reported by the import, so one bad line fails only itself;
 * a file that is not CSV at all (binary, not UTF-8, a quote never closed) answers 400.
 */
export async function stageCsv(
  file: Readable,
  copy: Writable,
  importId: string,
  limits: StagingLimits,
): Promise<StagedFile> {
  const text = new UploadText(file);
  let header: string[] | null = null;
  let rows = 0;
  try {
    let head = '';
    while (!/[\r\n]/.test(head) && head.length < HEADER_PEEK) {
      const piece = await text.next();
      if (piece === null) break;
      head += piece;
    }
    const delimiter = detectDelimiter(head.split(/\r?\n|\r/, 1)[0] ?? '');
    const parser = parse({
      delimiter,
      bom: true,
      info: true,
      relax_column_count: true,
      skip_empty_lines: true,
      max_record_size: limits.maxRecordChars,
    });
    // Lines go to COPY in chunks: a stream step per record would cost more than the record.
    let chunk = '';
    const toCopyLines = new Transform({
      writableObjectMode: true,
      transform({ record, info }: { record: string[]; info: Info }, _encoding, done) {
        try {
          if (!header) {
            header = checkedHeader(record, limits);
          } else {
            rows++;
            chunk += `${importId}\t${rows}\t${info.lines}\t${copyEscape(JSON.stringify(record))}\n`;
            if (chunk.length >= COPY_CHUNK) {
              this.push(chunk);
              chunk = '';
            }
          }
          done();
        } catch (err) {
          done(err as Error);
        }
      },
      flush(done) {
        if (chunk) this.push(chunk);
        done();
      },
    });
    await runPiped(
      Readable.from(
        (async function* () {
          if (head) yield head;
          for (;;) {
            const piece = await text.next();
            if (piece === null) return;
            yield piece;
          }
        })(),
      ),
      parser,
      toCopyLines,
      copy,
    );
  } catch (err) {
    await abandon(copy);
    await text.drain();
    if (isTooLarge(file, err)) throw new AppError('payload_too_large', { limit: limits.maxBytes });
    if (err instanceof AppError) throw err;
    const code = (err as { code?: string }).code ?? '';
    if (code.startsWith('CSV_')) {
      const line = (err as { lines?: number }).lines;
      const at = line ? ` (line ${line})` : '';
      throw notCsv(
        `is not valid CSV${at}: ${(err as Error).message}`,
        `bukan CSV yang valid${line ? ` (baris ${line})` : ''}: ${(err as Error).message}`,
        { line },
      );
    }
    throw err;
  }
  if (isTooLarge(file)) throw new AppError('payload_too_large', { limit: limits.maxBytes });
  if (!header)
    throw notCsv(
      'is empty: the first line must name the columns',
      'kosong: baris pertama harus berisi nama kolom',
    );
  if (rows === 0)
    throw notCsv('has a header row but no records', 'hanya berisi baris judul tanpa data');
  return { header, rows, bytes: text.bytes, sha256: text.sha256 };
}

/** The header row's names, trimmed; a file with too many, a blank or a repeated one is refused. */
function checkedHeader(record: string[], limits: StagingLimits): string[] {
  const header = record.map((h) => h.trim());
  if (header.length > limits.maxColumns)
    throw notCsv(
      `has ${header.length} columns; at most ${limits.maxColumns} are read`,
      `memiliki ${header.length} kolom; paling banyak ${limits.maxColumns} yang dibaca`,
      { max: limits.maxColumns },
    );
  const names = new Set<string>();
  for (const name of header) {
    if (name === '')
      throw notCsv(
        'has a column without a name in its header row',
        'memiliki kolom tanpa nama di baris judul',
      );
    if (names.has(name))
      throw notCsv(
        `has the column "${name}" twice in its header row`,
        `memiliki kolom "${name}" dua kali di baris judul`,
      );
    names.add(name);
  }
  return header;
}

/** Reads an upload to its end, only to hash it (a repeated upload under an Idempotency-Key). */
export async function hashUpload(
  file: Readable,
  maxBytes: number,
): Promise<{ bytes: number; sha256: string }> {
  const hash = createHash('sha256');
  let bytes = 0;
  try {
    for await (const chunk of file as AsyncIterable<Buffer>) {
      bytes += chunk.length;
      hash.update(chunk);
    }
  } catch (err) {
    if (isTooLarge(file, err)) throw new AppError('payload_too_large', { limit: maxBytes });
    throw err;
  }
  if (isTooLarge(file)) throw new AppError('payload_too_large', { limit: maxBytes });
  return { bytes, sha256: hash.digest('hex') };
}
