/** What other modules use of the catalog: its module, products, the price lookup, selling rules and tax categories. */
export { CatalogModule } from './catalog.module.js';
export { ProductsService } from './products/products.service.js';
export { PriceLookupService } from './prices/price-lookup.service.js';
export { PRODUCT_DEFINITION, PRICE_BOOK_DEFINITION } from './catalog.definitions.js';
export { assertSellable, nameIn, todayIn, withinWindow } from './catalog-rules.js';
export { PRICE_SOURCES, repricesFromBook, type PriceSource } from './lines/line-price-source.js';
export { CATALOG_SECTION, type CatalogConfig, type TaxCategoryConfig } from './catalog.config.js';
export {
  ConfigurationPricingService,
  type ConfigurationCheck,
  type ConfigurationInput,
  type ConfigurationSnapshot,
  type MoneyValue,
  type PricedLine,
} from './configurator/configuration-pricing.service.js';
export {
  ConfiguredLinePricing,
  type ConfiguredLine,
  type ConfiguredOption,
} from './configurator/configured-line-pricing.js';
export type { Selection } from './configurator/configuration-model.js';
export type { Violation, ViolationCode } from './configurator/configuration-rules.js';
export {
  CONFIGURATION_PRICED,
  type ConfigurationPricedPayload,
} from './configurator/configurator.events.js';
export { PERCENT, PERCENT_DOC, SalesLineInputDto } from './lines/sales-line-input.dto.js';
