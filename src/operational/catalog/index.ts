/** The catalog's public surface for other modules. */
export { CatalogModule } from './catalog.module.js';
export { PriceLookupService } from './prices/price-lookup.service.js';
export {
  ConfigurationPricingService,
  type ConfigurationCheck,
  type ConfigurationInput,
  type ConfigurationSnapshot,
  type MoneyValue,
  type PricedLine,
} from './configurator/configuration-pricing.service.js';
export type { Selection } from './configurator/configuration-model.js';
export type { Violation, ViolationCode } from './configurator/configuration-rules.js';
export {
  CONFIGURATION_PRICED,
  type ConfigurationPricedPayload,
} from './configurator/configurator.events.js';
