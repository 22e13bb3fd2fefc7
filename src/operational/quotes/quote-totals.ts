import { Injectable } from '@nestjs/common';
import type { RequestContext } from '#platform/context/index.js';
import { DatabaseService } from '#platform/database/index.js';
import { computeQuote, type LineFigures, type QuoteFigures } from './quote-math.js';

interface LineRow {
  id: string;
  quantity: string;
  unit_price: string;
  discount_percent: string;
  tax_category: string;
  tax_rate: string;
  unit_cost: string | null;
  stored: string;
  fresh: boolean;
}

const LINE_AMOUNTS = [
  ['gross', 'gross_amount'],
  ['discount', 'discount_amount'],
  ['net', 'net_amount'],
  ['headerDiscount', 'header_discount_amount'],
  ['tax', 'tax_amount'],
  ['total', 'total_amount'],
  ['cost', 'cost_amount'],
] as const satisfies readonly (readonly [keyof LineFigures, string])[];

const QUOTE_AMOUNTS = [
  ['subtotal', 'subtotal'],
  ['lineDiscountTotal', 'line_discount_total'],
  ['headerDiscount', 'header_discount'],
  ['discountTotal', 'discount_total'],
  ['taxTotal', 'tax_total'],
  ['grandTotal', 'grand_total'],
  ['costTotal', 'cost_total'],
  ['margin', 'margin'],
] as const satisfies readonly (readonly [keyof QuoteFigures, string])[];

/** The `taxes` of a quote as stored and answered: money in the quote's currency. */
export function taxesOf(figures: QuoteFigures, currency: string) {
  return figures.taxes.map((t) => ({
    category: t.category,
    rate: t.rate,
    base: { amount: t.base, currency },
    amount: { amount: t.amount, currency },
  }));
}

/** The totals of a quote with no lines yet, as record attributes. */
export function emptyTotals(currency: string): Record<string, unknown> {
  const figures = computeQuote([], '0', currency);
  return {
    ...Object.fromEntries(
      QUOTE_AMOUNTS.map(([key]) => [
        key,
        figures[key] === null ? null : { amount: figures[key], currency },
      ]),
    ),
    taxes: [],
    lineCount: 0,
    marginPercent: null,
  };
}

/**
 * Keeps a quote's stored figures in step with its lines: every line write and every change
 * of the header discount recomputes them in the write's transaction. Only lines whose
 * amounts moved are written; a line's version stays, its amounts being the server's.
 */
@Injectable()
export class QuoteTotals {
  constructor(private readonly db: DatabaseService) {}

  async recompute(
    tx: RequestContext,
    quoteId: string,
    opts: { bumpVersion: boolean },
  ): Promise<QuoteFigures> {
    const quote = await this.db.one<{ currency: string; header: string }>(
      tx,
      `SELECT trim(currency) AS currency, header_discount_percent::text AS header FROM quotes WHERE id = $1`,
      [quoteId],
    );
    const currency = quote!.currency;
    const lines = await this.db.query<LineRow>(
      tx,
      `SELECT id, quantity::text, unit_price_amount::text AS unit_price,
              discount_percent::text, tax_category, tax_rate::text,
              unit_cost_amount::text AS unit_cost,
              concat_ws('|', ${LINE_AMOUNTS.map(([, c]) => `coalesce(${c}_amount::text, '-')`).join(', ')}) AS stored,
              gross_amount_currency IS NULL AS fresh
         FROM quote_lines WHERE quote_id = $1 AND deleted_at IS NULL ORDER BY position, id`,
      [quoteId],
    );
    const figures = computeQuote(
      lines.map((l) => ({
        quantity: l.quantity,
        unitPrice: l.unit_price,
        discountPercent: l.discount_percent,
        taxCategory: l.tax_category,
        taxRate: l.tax_rate,
        unitCost: l.unit_cost,
      })),
      quote!.header,
      currency,
    );
    await this.writeLines(tx, lines, figures.lines, currency);
    const sets = QUOTE_AMOUNTS.map(
      ([, column], i) =>
        `${column}_amount = $${i + 3}::numeric, ${column}_currency = CASE WHEN $${i + 3}::numeric IS NULL THEN NULL ELSE $2 END`,
    );
    await this.db.query(
      tx,
      `UPDATE quotes SET ${sets.join(', ')},
              line_count = $${QUOTE_AMOUNTS.length + 3}, taxes = $${QUOTE_AMOUNTS.length + 4},
              margin_percent = $${QUOTE_AMOUNTS.length + 5}
              ${opts.bumpVersion ? ', version = version + 1, updated_at = now()' : ''}
        WHERE id = $1`,
      [
        quoteId,
        currency,
        ...QUOTE_AMOUNTS.map(([key]) => figures[key]),
        lines.length,
        JSON.stringify(taxesOf(figures, currency)),
        figures.marginPercent,
      ],
    );
    return figures;
  }

  private async writeLines(
    tx: RequestContext,
    lines: LineRow[],
    figures: LineFigures[],
    currency: string,
  ): Promise<void> {
    const stored = (f: LineFigures) =>
      LINE_AMOUNTS.map(([key]) => (f[key] === null ? '-' : canonical(f[key]))).join('|');
    const moved = lines.flatMap((l, i) =>
      !l.fresh && normalize(l.stored) === stored(figures[i]) ? [] : [{ id: l.id, f: figures[i] }],
    );
    if (!moved.length) return;
    const sets = LINE_AMOUNTS.map(
      ([, column], i) =>
        `${column}_amount = v.a${i}, ${column}_currency = CASE WHEN v.a${i} IS NULL THEN NULL ELSE $2 END`,
    );
    await this.db.query(
      tx,
      `UPDATE quote_lines l SET ${sets.join(', ')}
         FROM unnest($1::uuid[], ${LINE_AMOUNTS.map((_, i) => `$${i + 3}::numeric[]`).join(', ')})
              AS v (id, ${LINE_AMOUNTS.map((_, i) => `a${i}`).join(', ')})
        WHERE l.id = v.id`,
      [
        moved.map((m) => m.id),
        currency,
        ...LINE_AMOUNTS.map(([key]) => moved.map((m) => m.f[key])),
      ],
    );
  }
}

/** numeric text compared by value: "10.00" and "10.0" are the same amount. */
function canonical(value: string): string {
  return value.includes('.') ? value.replace(/\.?0+$/, '') : value;
}

function normalize(stored: string): string {
  return stored
    .split('|')
    .map((v) => (v === '-' ? v : canonical(v)))
    .join('|');
}
