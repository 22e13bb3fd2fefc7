import type { ModuleProblems, ProblemCatalog } from '#platform/http/index.js';
import { CONFIGURATOR_PROBLEMS } from './configurator/configurator.errors.js';

/** The problems of products, price books and price lookups; `{name}` comes from the params. */
export const CATALOG_PROBLEMS_CATALOG = {
  product_inactive: {
    status: 422,
    en: ['Product inactive', 'The product {sku} is inactive; it cannot be priced or sold.'],
    id: [
      'Produk tidak aktif',
      'Produk {sku} tidak aktif; produk ini tidak dapat diberi harga atau dijual.',
    ],
  },
  product_not_available: {
    status: 422,
    en: [
      'Product not available',
      'The product {sku} is not available on {date} (available {from} to {to}).',
    ],
    id: [
      'Produk tidak tersedia',
      'Produk {sku} tidak tersedia pada {date} (tersedia {from} sampai {to}).',
    ],
  },
  price_not_found: {
    status: 404,
    en: [
      'No price',
      'No active price book in {currency} has a price for {sku} on {date} for a quantity of {quantity}; prices are never converted from another currency.',
    ],
    id: [
      'Harga tidak ada',
      'Tidak ada daftar harga aktif dalam {currency} yang memuat harga {sku} pada {date} untuk jumlah {quantity}; harga tidak pernah dikonversi dari mata uang lain.',
    ],
  },
  price_book_currency_mismatch: {
    status: 422,
    en: [
      'Currency differs from the price book',
      'The price book is in {bookCurrency}; a price in {currency} cannot be put in it.',
    ],
    id: [
      'Mata uang berbeda dengan daftar harga',
      'Daftar harga ini dalam {bookCurrency}; harga dalam {currency} tidak dapat dimasukkan.',
    ],
  },
  standard_price_book_exists: {
    status: 409,
    en: [
      'Standard price book exists',
      'The currency {currency} has a standard price book already: {existingId}.',
    ],
    id: [
      'Daftar harga standar sudah ada',
      'Mata uang {currency} sudah memiliki daftar harga standar: {existingId}.',
    ],
  },
} as const satisfies ProblemCatalog;

declare module '#platform/http/problem-catalog.js' {
  interface ModuleProblemCodes {
    product_inactive: true;
    product_not_available: true;
    price_not_found: true;
    price_book_currency_mismatch: true;
    standard_price_book_exists: true;
  }
}

export const CATALOG_PROBLEMS: readonly ModuleProblems[] = [
  { module: 'catalog', problems: CATALOG_PROBLEMS_CATALOG },
  CONFIGURATOR_PROBLEMS,
];
