import type { ProblemCatalog } from '#platform/http/index.js';

/** The problems of line items on sales (opportunity lines, and the order lines that price the same way). */
export const OPPORTUNITY_LINE_PROBLEMS = {
  line_price_not_found: {
    status: 422,
    en: [
      'No price for the line',
      'No active price book in {currency} has a price for {sku} on {date} for a quantity of {quantity}; prices are never converted from another currency. Give {field} to price the line yourself.',
    ],
    id: [
      'Harga baris tidak ada',
      'Tidak ada daftar harga aktif dalam {currency} yang memuat harga {sku} pada {date} untuk jumlah {quantity}; harga tidak pernah dikonversi dari mata uang lain. Isi {field} untuk menentukan harga baris sendiri.',
    ],
  },
  opportunity_amount_from_lines: {
    status: 409,
    en: [
      'Amount comes from the lines',
      'The opportunity has {count} line items; its amount is their total ({amount}) and changes only with them.',
    ],
    id: [
      'Nilai berasal dari baris',
      'Peluang ini memiliki {count} baris produk; nilainya adalah total baris tersebut ({amount}) dan hanya berubah bersama baris.',
    ],
  },
} as const satisfies ProblemCatalog;

declare module '#platform/http/problem-catalog.js' {
  interface ModuleProblemCodes {
    line_price_not_found: true;
    opportunity_amount_from_lines: true;
  }
}
