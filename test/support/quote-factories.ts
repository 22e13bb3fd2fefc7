import { catalogFactories } from './catalog-factories.js';
import { salesFactories, type SalesRecord } from './sales-factories.js';
import type { TestServer } from './test-server.js';

export type QuoteRecord = Record<string, unknown> & { id: string; version: number };

/** Quotes and their lines in one line each, through the API. */
export function quoteFactories(server: TestServer, token: string) {
  const auth = { authorization: `Bearer ${token}` };
  const sales = salesFactories(server, token);
  const post = async (path: string, body: Record<string, unknown>): Promise<QuoteRecord> => {
    const res = await server.http.post(`/api/v1/${path}`).set(auth).send(body);
    if (res.status !== 201) throw new Error(`${path}: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body as QuoteRecord;
  };
  const f = {
    ...sales,
    auth,
    catalog: catalogFactories(server, auth),
    quote: async (fields: Record<string, unknown> = {}): Promise<QuoteRecord> => {
      const accountId = fields.opportunityId
        ? undefined
        : (fields.accountId ?? (await sales.account()).id);
      return post('quotes', { accountId, ...fields });
    },
    forOpportunity: (opportunity: SalesRecord, fields: Record<string, unknown> = {}) =>
      post(`opportunities/${opportunity.id}/quotes`, fields),
    line: (quoteId: string, productId: string, fields: Record<string, unknown> = {}) =>
      post('quote-lines', { quoteId, productId, quantity: '1', ...fields }),
    get: async (id: string): Promise<QuoteRecord> => {
      const res = await server.http.get(`/api/v1/quotes/${id}`).set(auth);
      if (res.status !== 200) throw new Error(`quote: ${res.status} ${JSON.stringify(res.body)}`);
      return res.body as QuoteRecord;
    },
    /** A workflow step; returns the answer, whatever its status. */
    act: (id: string, action: string, headers: Record<string, string> = {}, body?: object) =>
      server.http
        .post(`/api/v1/quotes/${id}/${action}`)
        .set({ ...auth, ...headers })
        .send(body ?? {}),
  };
  return f;
}
