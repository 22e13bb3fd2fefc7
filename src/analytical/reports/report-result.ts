import type { CubeResult } from '#analytical/cube/index.js';

/** What a run keeps: the cube answer (rows shape) or the records of a list. */
export interface ReportResult {
  kind: 'cube' | 'list';
  /** Cube reports: the reporting currency and the age of the data. */
  currency?: string;
  dataAsOf?: string;
  /** Cube reports: dimensions then measures; list reports: the records' fields. */
  columns: string[];
  rows: Record<string, unknown>[];
}

/** A cube answer as a report result: one flat object per row, `rolledUp` kept. */
export function fromCube(r: CubeResult): ReportResult {
  return {
    kind: 'cube',
    currency: r.currency,
    dataAsOf: r.dataAsOf,
    columns: [...r.dimensions, ...r.measures],
    rows: (r.rows ?? []).map((row) => ({
      ...row.dimensions,
      ...row.measures,
      ...(row.rolledUp.length ? { rolledUp: row.rolledUp } : {}),
    })),
  };
}

export function fromList(
  records: Record<string, unknown>[],
  fields: string[] | null,
): ReportResult {
  const columns = fields ?? Object.keys(records[0] ?? {});
  return { kind: 'list', columns, rows: records };
}

/** A cell as text for a file: money as its amount, a subtotal's summed dimension as "(all)". */
export function cellText(row: Record<string, unknown>, column: string): string {
  const v = row[column];
  if (v === null || v === undefined) {
    const rolled = row.rolledUp as string[] | undefined;
    return rolled?.includes(column) ? '(all)' : '';
  }
  if (typeof v === 'object' && 'amount' in v) return String(v.amount);
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v);
}

/** The value of a cell as a number, for charts; null when it is not one. */
export function cellNumber(row: Record<string, unknown>, column: string): number | null {
  const text = cellText(row, column);
  return /^-?\d+(\.\d+)?$/.test(text) ? Number(text) : null;
}
