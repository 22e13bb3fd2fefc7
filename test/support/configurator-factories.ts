import { catalogFactories, type CatalogRecord } from './catalog-factories.js';
import { accessFactories } from './access-factories.js';
import { factories } from './factories.js';
import { writeSalesConfig } from './sales-factories.js';
import { startServer, type TestServer } from './test-server.js';

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

const CONFIG = `
version: 1
customization:
  accounts:
    fields:
      - code: tier
        type: picklist
        label: { en: Tier, id: Tingkat }
        options: [{ value: gold, label: { en: Gold, id: Emas } }]
`;

/** The day the configurator tests price on. */
export const DAY = '2026-05-04';

/**
 * A server with a configurable laptop: a required Memory group (one choice), a Storage group
 * of at least two, Accessories; product options priced from the standard IDR book (the laptop
 * has a tier from 10 units), two surcharge options, a rule of each kind, a bundle of dock and
 * warranty at 10 % and a 5 % discount for gold accounts.
 */
export async function configuratorWorld(name: string) {
  const server = await startServer({
    env: { CRM_CONFIG: writeSalesConfig(name, CONFIG), CRM_PRINCIPAL_CACHE_TTL_MS: '0' },
  });
  const token = await server.login();
  const admin = { authorization: `Bearer ${token}` };
  const make = configuratorFactories(server, admin);
  const book = await make.priceBook({ name: 'Standar', isStandard: true });
  const laptop = await make.product({ name: { en: 'Business laptop', id: 'Laptop bisnis' } });
  await make.entry(book.id, laptop.id, '10000000.00');
  await make.entry(book.id, laptop.id, '9500000.00', { minQuantity: '10' });
  const memory = await make.group(laptop.id, 'Memory', { required: true, maxChoices: 1 });
  const storage = await make.group(laptop.id, 'Storage', { minChoices: 2 });
  const extras = await make.group(laptop.id, 'Accessories');
  const o: Record<
    'ram16' | 'ram32' | 'ssd512' | 'ssd1t' | 'dock' | 'hub' | 'warranty' | 'engraving',
    CatalogRecord & { product?: CatalogRecord }
  > = {
    ram16: await make.productOption(memory.id, book.id, '500000.00'),
    ram32: await make.productOption(memory.id, book.id, '1234567.5'),
    ssd512: await make.productOption(storage.id, book.id, '750000.00', { maxQuantity: '4' }),
    ssd1t: await make.productOption(storage.id, book.id, '1500000.00'),
    dock: await make.productOption(extras.id, book.id, '1200000.00'),
    hub: await make.productOption(extras.id, book.id, '150000.00'),
    warranty: await make.surchargeOption(extras.id, 'Warranty 3y', [
      { amount: '250000.00', currency: 'IDR' },
      { amount: '15.00', currency: 'USD' },
    ]),
    engraving: await make.surchargeOption(extras.id, 'Engraving', [
      { amount: '100000.00', currency: 'IDR' },
    ]),
  };
  const r = {
    requires: await make.rule('requires', o.dock.id, {
      targetOptionIds: [o.warranty.id],
      message: { en: 'A dock needs the warranty', id: 'Dok memerlukan garansi' },
    }),
    excludes: await make.rule('excludes', o.hub.id, { targetOptionIds: [o.dock.id] }),
    onlyWith: await make.rule('only-with', o.engraving.id, { targetOptionIds: [o.ram32.id] }),
    limit: await make.rule('quantity-limit', o.ssd512.id, {
      targetOptionIds: [o.ssd1t.id],
      maxQuantity: '3',
    }),
  };
  await make.bundle(laptop.id, [o.dock.id, o.warranty.id], '10');
  await make.discount({ tier: 'gold', discountPercent: '5' });

  const pick = (...keys: (keyof typeof o)[]) => keys.map((k) => ({ optionId: o[k].id }));
  return {
    server,
    admin,
    make,
    people: accessFactories(server, token),
    customers: factories(server, token),
    laptop,
    memory,
    storage,
    o,
    r,
    pick,
    /** Options that keep every rule. */
    valid: () => pick('ram32', 'ssd512', 'ssd1t', 'dock', 'warranty'),
    /** A configuration body of the laptop. */
    config: (selections: unknown[], fields: Record<string, unknown> = {}) => ({
      productId: laptop.id,
      currency: 'IDR',
      quantity: '1',
      day: DAY,
      selections,
      ...fields,
    }),
  };
}

export type ConfiguratorWorld = Awaited<ReturnType<typeof configuratorWorld>>;
