import { catalogFactories, type CatalogRecord } from './catalog-factories.js';
import type { TestServer } from './test-server.js';

/** Option groups, options, rules and bundles of configurable products, through the API. */
export function configuratorFactories(server: TestServer, auth: { authorization: string }) {
  const post = async (path: string, body: Record<string, unknown>): Promise<CatalogRecord> => {
    const res = await server.http.post(`/api/v1/${path}`).set(auth).send(body);
    if (res.status !== 201) throw new Error(`${path}: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body as CatalogRecord;
  };
  const catalog = catalogFactories(server, auth);
  return {
    ...catalog,
    group: (productId: string, name: string, fields: Record<string, unknown> = {}) =>
      post('product-option-groups', { productId, name: { en: name }, ...fields }),
    /** An option that is a product of its own, with a price in the given book. */
    async productOption(
      groupId: string,
      bookId: string,
      amount: string,
      fields: Record<string, unknown> = {},
    ) {
      const product = await catalog.product({ name: { en: `Part ${Math.random()}` } });
      await catalog.entry(bookId, product.id, amount);
      const option = await post('product-options', {
        groupId,
        optionProductId: product.id,
        ...fields,
      });
      return Object.assign(option, { product });
    },
    surchargeOption: (
      groupId: string,
      name: string,
      surcharges: { amount: string; currency: string }[],
      fields: Record<string, unknown> = {},
    ) => post('product-options', { groupId, name: { en: name }, surcharges, ...fields }),
    rule: (kind: string, optionId: string, fields: Record<string, unknown> = {}) =>
      post('product-option-rules', { kind, optionId, ...fields }),
    bundle: (productId: string, optionIds: string[], discountPercent: string) =>
      post('product-bundles', { productId, name: { en: 'Bundle' }, optionIds, discountPercent }),
    discount: (fields: Record<string, unknown>) =>
      post('configuration-discounts', { name: 'Discount', ...fields }),
  };
}
