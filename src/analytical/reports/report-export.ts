import { PassThrough } from 'node:stream';
import ExcelJS from 'exceljs';
import PDFDocument from 'pdfkit';
import { csvCell, csvLine } from '#platform/exports/index.js';
import { cellNumber, cellText, type ReportResult } from './report-result.js';
import type { ExportFormat } from './dto/report.dto.js';

export interface ExportFile {
  body: Buffer;
  contentType: string;
  fileName: string;
}

const CONTENT_TYPES: Record<ExportFormat, string> = {
  csv: 'text/csv; charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  pdf: 'application/pdf',
};

/** The header a file shows: the columns, and for cube results whether a row is a subtotal. */
function header(result: ReportResult): string[] {
  return result.columns;
}

function toCsv(result: ReportResult): Buffer {
  const lines = [csvLine(header(result).map((c) => csvCell(c)))];
  for (const row of result.rows)
    lines.push(
      csvLine(result.columns.map((c) => csvCell(cellText(row, c), cellNumber(row, c) !== null))),
    );
  return Buffer.from(lines.join(''), 'utf8');
}

/** Streams the workbook row by row (exceljs' streaming writer), so a large result is not held twice. */
async function toXlsx(result: ReportResult, title: string): Promise<Buffer> {
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on('data', (c: Buffer) => chunks.push(c));
  const finished = new Promise<void>((resolve, reject) => {
    out.on('end', resolve);
    out.on('error', reject);
  });
  const book = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true });
  const sheet = book.addWorksheet(title.slice(0, 31).replace(/[\\/?*[\]:]/g, ' ') || 'Report');
  sheet.addRow(header(result)).commit();
  for (const row of result.rows)
    sheet.addRow(result.columns.map((c) => cellNumber(row, c) ?? cellText(row, c))).commit();
  sheet.commit();
  await book.commit();
  await finished;
  return Buffer.concat(chunks);
}

const CHART = { x: 60, y: 110, width: 480, height: 220 };
const MAX_BARS = 24;
const MAX_TABLE_ROWS = 40;

/**
 * A page a manager can look at: the report's name, when its data is from, a bar chart of the
 * first numeric column over the first text column of the detail rows, and the rows below.
 */
async function toPdf(result: ReportResult, title: string): Promise<Buffer> {
  const doc = new PDFDocument({ size: 'A4', margin: 50, info: { Title: title } });
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  doc.font('Helvetica-Bold').fontSize(16).text(title, 50, 50);
  doc
    .font('Helvetica')
    .fontSize(9)
    .text(
      [
        result.dataAsOf ? `Data as of ${result.dataAsOf}` : null,
        result.currency ? `Money in ${result.currency}` : null,
      ]
        .filter(Boolean)
        .join(' · ') || `${result.rows.length} rows`,
    );
  const details = result.rows.filter((r) => !r.rolledUp);
  const valueColumn = result.columns.find((c) => details.some((r) => cellNumber(r, c) !== null));
  const labelColumn = result.columns.find(
    (c) =>
      c !== valueColumn && details.some((r) => cellNumber(r, c) === null && cellText(r, c) !== ''),
  );
  let y = CHART.y;
  if (valueColumn && details.length) {
    const bars = details.slice(0, MAX_BARS).map((r) => ({
      label: labelColumn ? cellText(r, labelColumn) : '',
      value: cellNumber(r, valueColumn) ?? 0,
    }));
    const max = Math.max(...bars.map((b) => Math.abs(b.value)), 1);
    const slot = CHART.width / bars.length;
    doc
      .fontSize(10)
      .font('Helvetica-Bold')
      .text(valueColumn, CHART.x, CHART.y - 18);
    doc
      .moveTo(CHART.x, CHART.y + CHART.height)
      .lineTo(CHART.x + CHART.width, CHART.y + CHART.height)
      .stroke();
    bars.forEach((b, i) => {
      const h = (Math.abs(b.value) / max) * (CHART.height - 20);
      const x = CHART.x + i * slot + slot * 0.15;
      doc
        .rect(x, CHART.y + CHART.height - h, slot * 0.7, h)
        .fill(b.value < 0 ? '#c0392b' : '#2e86c1');
      doc.fillColor('black').font('Helvetica').fontSize(7);
      doc.text(String(b.value), x, CHART.y + CHART.height - h - 10, {
        width: slot * 0.7,
        align: 'center',
      });
      doc.text(b.label, x - slot * 0.1, CHART.y + CHART.height + 4, {
        width: slot * 0.9,
        align: 'center',
        height: 20,
      });
    });
    y = CHART.y + CHART.height + 40;
  }
  const width = Math.floor(495 / Math.max(result.columns.length, 1));
  const line = (cells: string[], bold: boolean) => {
    doc.font(bold ? 'Helvetica-Bold' : 'Helvetica').fontSize(8);
    cells.forEach((c, i) =>
      doc.text(c, 50 + i * width, y, { width: width - 4, height: 11, ellipsis: true }),
    );
    y += 13;
  };
  line(header(result), true);
  for (const row of result.rows.slice(0, MAX_TABLE_ROWS)) {
    if (y > 780) {
      doc.addPage();
      y = 50;
    }
    line(
      result.columns.map((c) => cellText(row, c)),
      false,
    );
  }
  if (result.rows.length > MAX_TABLE_ROWS)
    doc
      .font('Helvetica')
      .fontSize(8)
      .text(`… ${result.rows.length - MAX_TABLE_ROWS} more rows in the CSV or XLSX export`, 50, y);
  doc.end();
  return done;
}

/** A result as a file in the format asked for. */
export async function exportResult(
  result: ReportResult,
  format: ExportFormat,
  title: string,
): Promise<ExportFile> {
  const base =
    title
      .replace(/[^A-Za-z0-9._-]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 80) || 'report';
  const body =
    format === 'csv'
      ? toCsv(result)
      : format === 'xlsx'
        ? await toXlsx(result, title)
        : await toPdf(result, title);
  return { body, contentType: CONTENT_TYPES[format], fileName: `${base}.${format}` };
}
