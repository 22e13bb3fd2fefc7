import { existsSync } from 'node:fs';
import PDFDocument from 'pdfkit';
import { minorUnitDigits } from '#platform/currency/index.js';
import type { LetterheadConfig, QuoteLanguage } from '../quotes.config.js';

/** Everything a proposal prints, already in the quote's language where it is data. */
/** A part of a line: an option of its configuration with its quoted share of the unit price. */
export interface LineDetail {
  text: string;
  /** Its amount in one unit of the line; null when not known as quoted. */
  amount: string | null;
}

export interface Proposal {
  language: QuoteLanguage;
  letterhead: LetterheadConfig;
  number: string;
  revision: number;
  date: string;
  validUntil: string;
  status: string;
  customer: string | null;
  attention: string | null;
  currency: string;
  lines: {
    description: string;
    quantity: string;
    unitPrice: string;
    discountPercent: string;
    net: string;
    /** What the line's configuration is made of, printed under it. */
    details?: LineDetail[];
  }[];
  subtotal: string;
  headerDiscountPercent: string;
  headerDiscount: string;
  taxes: { label: string; base: string; amount: string }[];
  grandTotal: string;
  notes: string | null;
  terms: string;
}

const WORDS = {
  en: {
    title: 'QUOTATION',
    number: 'Quote number',
    revision: 'Version',
    date: 'Date',
    validUntil: 'Valid until',
    customer: 'Customer',
    attention: 'Attention',
    taxId: 'Tax ID',
    description: 'Description',
    quantity: 'Qty',
    unitPrice: 'Unit price',
    discount: 'Disc.',
    amount: 'Amount',
    subtotal: 'Subtotal',
    headerDiscount: 'Discount',
    taxOn: 'on',
    total: 'Total',
    notes: 'Notes',
    terms: 'Terms and conditions',
  },
  id: {
    title: 'PENAWARAN HARGA',
    number: 'Nomor penawaran',
    revision: 'Versi',
    date: 'Tanggal',
    validUntil: 'Berlaku sampai',
    customer: 'Pelanggan',
    attention: 'Kepada',
    taxId: 'NPWP',
    description: 'Deskripsi',
    quantity: 'Jml',
    unitPrice: 'Harga satuan',
    discount: 'Disk.',
    amount: 'Nilai',
    subtotal: 'Subtotal',
    headerDiscount: 'Diskon',
    taxOn: 'atas',
    total: 'Total',
    notes: 'Catatan',
    terms: 'Syarat dan ketentuan',
  },
} as const;

const LOCALES: Record<QuoteLanguage, string> = { en: 'en-GB', id: 'id-ID' };
const NUMBER_LOCALES: Record<QuoteLanguage, string> = { en: 'en-US', id: 'id-ID' };

/** The standard PDF fonts know WinAnsi only: no narrow or non-breaking spaces. */
const plain = (s: string) => s.replace(/[\u00a0\u202f]/g, ' ');

/** An amount the way a reader of the language writes money: `Rp 3.322.150`, `$1,250.50`. */
export function formatMoney(amount: string, currency: string, language: QuoteLanguage): string {
  const digits = minorUnitDigits(currency);
  return plain(
    new Intl.NumberFormat(NUMBER_LOCALES[language], {
      style: 'currency',
      currency,
      minimumFractionDigits: digits,
      maximumFractionDigits: digits,
    }).format(Number(amount)),
  );
}

export function formatNumber(value: string, language: QuoteLanguage): string {
  return plain(
    new Intl.NumberFormat(NUMBER_LOCALES[language], { maximumFractionDigits: 6 }).format(
      Number(value),
    ),
  );
}

export function formatDate(day: string, language: QuoteLanguage): string {
  return new Intl.DateTimeFormat(LOCALES[language], { dateStyle: 'long', timeZone: 'UTC' }).format(
    new Date(`${day.slice(0, 10)}T00:00:00Z`),
  );
}

const COLUMNS = { description: 50, quantity: 265, unitPrice: 310, discount: 405, amount: 445 };
const RIGHT = 545;
const BOTTOM = 760;

/** Renders the proposal as a PDF with pdfkit's standard fonts; resolves to its bytes. */
export function renderProposal(p: Proposal): Promise<Buffer> {
  const w = WORDS[p.language];
  const money = (amount: string) => formatMoney(amount, p.currency, p.language);
  const doc = new PDFDocument({
    size: 'A4',
    margin: 50,
    info: { Title: `${w.title} ${p.number}`, Author: p.letterhead.companyName },
  });
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });

  const logo = p.letterhead.logoPath;
  if (logo && existsSync(logo)) {
    try {
      doc.image(logo, 50, 45, { fit: [100, 50] });
    } catch {
      // An unreadable logo leaves the letterhead as text rather than failing the document.
    }
  }
  doc.font('Helvetica-Bold').fontSize(14).text(plain(p.letterhead.companyName), 160, 50);
  doc.font('Helvetica').fontSize(9).text(plain(p.letterhead.address), 160);
  if (p.letterhead.taxId) doc.text(`${w.taxId}: ${plain(p.letterhead.taxId)}`, 160);

  doc.moveDown(2).font('Helvetica-Bold').fontSize(16).text(w.title, 50);
  doc.moveDown(0.5).font('Helvetica').fontSize(10);
  const facts: [string, string][] = [
    [w.number, p.number],
    [w.revision, String(p.revision)],
    [w.date, formatDate(p.date, p.language)],
    [w.validUntil, formatDate(p.validUntil, p.language)],
  ];
  if (p.customer) facts.push([w.customer, plain(p.customer)]);
  if (p.attention) facts.push([w.attention, plain(p.attention)]);
  for (const [label, value] of facts) {
    const y = doc.y;
    doc.font('Helvetica-Bold').text(`${label}:`, 50, y, { width: 110 });
    doc.font('Helvetica').text(value, 165, y);
  }

  doc.moveDown(1.5);
  const header = (y: number) => {
    doc.font('Helvetica-Bold').fontSize(9);
    doc.text(w.description, COLUMNS.description, y, { width: 210 });
    doc.text(w.quantity, COLUMNS.quantity, y, { width: 40, align: 'right' });
    doc.text(w.unitPrice, COLUMNS.unitPrice, y, { width: 90, align: 'right' });
    doc.text(w.discount, COLUMNS.discount, y, { width: 35, align: 'right' });
    doc.text(w.amount, COLUMNS.amount, y, { width: RIGHT - COLUMNS.amount, align: 'right' });
    doc
      .moveTo(50, y + 13)
      .lineTo(RIGHT, y + 13)
      .stroke();
    doc.font('Helvetica').fontSize(9);
    return y + 18;
  };
  let y = header(doc.y);
  p.lines.forEach((line, i) => {
    const text = [
      `${i + 1}. ${plain(line.description)}`,
      ...(line.details ?? []).map(
        (d) => `   + ${plain(d.text)}${d.amount === null ? '' : `: ${money(d.amount)}`}`,
      ),
    ].join('\n');
    const height = doc.heightOfString(text, { width: 210 });
    if (y + height > BOTTOM) {
      doc.addPage();
      y = header(50);
    }
    doc.text(text, COLUMNS.description, y, { width: 210 });
    doc.text(formatNumber(line.quantity, p.language), COLUMNS.quantity, y, {
      width: 40,
      align: 'right',
    });
    doc.text(money(line.unitPrice), COLUMNS.unitPrice, y, { width: 90, align: 'right' });
    doc.text(`${formatNumber(line.discountPercent, p.language)}%`, COLUMNS.discount, y, {
      width: 35,
      align: 'right',
    });
    doc.text(money(line.net), COLUMNS.amount, y, {
      width: RIGHT - COLUMNS.amount,
      align: 'right',
    });
    y += Math.max(height, 12) + 4;
  });

  const totals: [string, string, boolean][] = [[w.subtotal, money(p.subtotal), false]];
  if (Number(p.headerDiscount) !== 0)
    totals.push([
      `${w.headerDiscount} ${formatNumber(p.headerDiscountPercent, p.language)}%`,
      `-${money(p.headerDiscount)}`,
      false,
    ]);
  for (const t of p.taxes)
    totals.push([`${plain(t.label)} ${w.taxOn} ${money(t.base)}`, money(t.amount), false]);
  totals.push([w.total, money(p.grandTotal), true]);
  if (y + totals.length * 16 > BOTTOM) {
    doc.addPage();
    y = 50;
  }
  doc.moveTo(300, y).lineTo(RIGHT, y).stroke();
  y += 6;
  for (const [label, value, strong] of totals) {
    doc.font(strong ? 'Helvetica-Bold' : 'Helvetica').fontSize(strong ? 11 : 9);
    doc.text(label, 260, y, { width: 175, align: 'right' });
    doc.text(value, COLUMNS.amount - 20, y, { width: RIGHT - COLUMNS.amount + 20, align: 'right' });
    y += 16;
  }

  doc.font('Helvetica').fontSize(9);
  doc.y = y + 10;
  if (p.notes) {
    doc.font('Helvetica-Bold').text(w.notes, 50).font('Helvetica').text(plain(p.notes), 50);
    doc.moveDown();
  }
  doc.font('Helvetica-Bold').text(w.terms, 50).font('Helvetica').text(plain(p.terms), 50);
  doc.end();
  return done;
}
