/** What other modules use of the catalog: its module, products and the price lookup. */
export { CatalogModule } from './catalog.module.js';
export { CATALOG_SECTION, type CatalogConfig } from './catalog.config.js';
export { PRODUCT_DEFINITION, PRICE_BOOK_DEFINITION } from './catalog.definitions.js';
export { assertSellable, nameIn, todayIn } from './catalog-rules.js';
export { PriceLookupService } from './prices/price-lookup.service.js';
