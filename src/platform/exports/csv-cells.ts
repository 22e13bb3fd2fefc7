/**
 * One CSV cell, both ways. Writing follows RFC 4180 (a cell holding a comma, a quote, CR or LF
 * is quoted, quotes doubled) and guards against formula injection: a text cell that starts
 * with = + - @, a tab or a carriage return would run as a formula when the file is opened in
 * a spreadsheet, so it gets an apostrophe in front, which spreadsheets read as "this is text".
 * Numbers of numeric columns are left as they are, so -12.50 stays a number. Reading strips
 * that apostrophe again, so an export imports back unchanged.
 */

const FORMULA_START = /^[=+\-@\t\r]/;
const NEEDS_QUOTES = /[",\r\n]/;
const NUMBER = /^-?\d+(\.\d+)?([eE][+-]?\d+)?$/;

/** A text cell, escaped for spreadsheets and quoted for CSV. */
export function csvCell(value: string, numeric = false): string {
  let text = value;
  if (FORMULA_START.test(text) && !(numeric && NUMBER.test(text))) text = `'${text}`;
  return NEEDS_QUOTES.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** One CSV line (CRLF-terminated, as RFC 4180 has it). */
export function csvLine(cells: readonly string[]): string {
  return `${cells.join(',')}\r\n`;
}

/** A cell as read from a file: the formula guard written by `csvCell` comes off again. */
export function unescapeCell(value: string): string {
  return value.length > 1 && value[0] === "'" && FORMULA_START.test(value.slice(1))
    ? value.slice(1)
    : value;
}
