import { Money, roundMoney } from '#platform/currency/index.js';
import type { CheckedCubeQuery } from './cube-query.js';
import type { MeasureType } from './cube.definitions.js';

export type MeasureValue = string | number | { amount: string; currency: string } | null;

/** One cell of the result: its dimension values, its measures, and the dimensions summed over. */
export interface CubeRow {
  dimensions: Record<string, string | null>;
  measures: Record<string, MeasureValue>;
  /** Dimensions this row is a subtotal over (empty for a detail row). */
  rolledUp: string[];
}

export interface CubePivot {
  on: string;
  columns: { value: string | null; total: boolean }[];
  rows: {
    dimensions: Record<string, string | null>;
    rolledUp: string[];
    cells: (Record<string, MeasureValue> | null)[];
  }[];
}

function measureValue(raw: string | null, type: MeasureType, currency: string): MeasureValue {
  if (raw === null) return type === 'money' ? null : type === 'integer' ? 0 : null;
  switch (type) {
    case 'money':
      return { amount: roundMoney(raw, currency), currency };
    case 'integer':
      return Number(raw);
    case 'ratio':
      return new Money(raw).toDecimalPlaces(4).toFixed(4);
    case 'decimal':
      return new Money(raw).toDecimalPlaces(4).toFixed();
  }
}

/** Database rows (d0…, m0…, g) in API form. */
export function toCubeRows(
  q: CheckedCubeQuery,
  rows: Record<string, unknown>[],
  currency: string,
): CubeRow[] {
  const n = q.dimensions.length;
  return rows.map((r) => {
    const g = Number(r.g);
    const dimensions: Record<string, string | null> = {};
    const rolledUp: string[] = [];
    q.dimensions.forEach((d, i) => {
      // GROUPING's bits run from the first argument (highest) to the last (lowest).
      if ((g >> (n - 1 - i)) & 1) rolledUp.push(d.name);
      const v = r[`d${i}`];
      dimensions[d.name] =
        v === null || v === undefined
          ? null
          : v instanceof Date
            ? v.toISOString().slice(0, 10)
            : String(v);
    });
    const measures: Record<string, MeasureValue> = {};
    q.measures.forEach((m, i) => {
      measures[m.name] = measureValue(r[`m${i}`] as string | null, m.type, currency);
    });
    return { dimensions, measures, rolledUp };
  });
}

/** Turns the values of one dimension into columns; the rows keep the other dimensions. */
export function pivotRows(on: string, rows: CubeRow[]): CubePivot {
  const columns: CubePivot['columns'] = [];
  const columnKey = (r: CubeRow) =>
    r.rolledUp.includes(on) ? '\u0000total' : `v:${r.dimensions[on] ?? '\u0000null'}`;
  const columnIndex = new Map<string, number>();
  for (const r of rows) {
    const key = columnKey(r);
    if (!columnIndex.has(key)) {
      columnIndex.set(key, columns.length);
      columns.push({
        value: r.rolledUp.includes(on) ? null : r.dimensions[on],
        total: r.rolledUp.includes(on),
      });
    }
  }
  const order = columns
    .map((c, i) => ({ c, i }))
    .sort((x, y) =>
      x.c.total !== y.c.total
        ? Number(x.c.total) - Number(y.c.total)
        : String(x.c.value ?? '\uffff').localeCompare(String(y.c.value ?? '\uffff')),
    );
  const position = new Map(order.map((o, p) => [o.i, p]));
  const out: CubePivot = { on, columns: order.map((o) => o.c), rows: [] };
  const byRow = new Map<string, CubePivot['rows'][number]>();
  for (const r of rows) {
    const dimensions = { ...r.dimensions };
    delete dimensions[on];
    const rolledUp = r.rolledUp.filter((d) => d !== on);
    const key = JSON.stringify([dimensions, rolledUp]);
    let row = byRow.get(key);
    if (!row) {
      row = { dimensions, rolledUp, cells: columns.map(() => null) };
      byRow.set(key, row);
      out.rows.push(row);
    }
    row.cells[position.get(columnIndex.get(columnKey(r))!)!] = r.measures;
  }
  return out;
}
