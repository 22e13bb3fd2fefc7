import { randomBytes } from 'node:crypto';
import type { TestServer } from './test-server.js';

const unique = () => randomBytes(4).toString('hex');

export type CatalogRecord = Record<string, unknown> & { id: string; version: number };

/** Products, price books and their entries in one line each, through the API. */
export function catalogFactories(server: TestServer, auth: { authorization: string }) {
  const post = async (path: string, body: Record<string, unknown>): Promise<CatalogRecord> => {
    const res = await server.http.post(`/api/v1/${path}`).set(auth).send(body);
    if (res.status !== 201) throw new Error(`${path}: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body as CatalogRecord;
  };
  return {
    product: (fields: Record<string, unknown> = {}) =>
      post('products', { sku: `SKU-${unique()}`, name: { en: `Product ${unique()}` }, ...fields }),
    priceBook: (fields: Record<string, unknown> = {}) =>
      post('price-books', { name: `Book ${unique()}`, currency: 'IDR', ...fields }),
    entry: (
      priceBookId: string,
      productId: string,
      amount: string,
      fields: Record<string, unknown> = {},
    ) =>
      post('price-book-entries', {
        priceBookId,
        productId,
        unitPrice: { amount, currency: 'IDR' },
        ...fields,
      }),
  };
}
