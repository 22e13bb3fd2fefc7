import { ConfigurationModelLoader } from './configuration-model.loader.js';
import { ConfigurationPricingService } from './configuration-pricing.service.js';
import {
  BundlesService,
  ConfigurationDiscountsService,
  OptionGroupsService,
  OptionRulesService,
  OptionsService,
} from './configurator-model.services.js';
import { ConfigurationsService } from './configurations.service.js';

export { CONFIGURATOR_CONTROLLERS } from './configurator.controllers.js';

/** The configurator's services, registered by CatalogModule beside the price lookup they use. */
export const CONFIGURATOR_PROVIDERS = [
  ConfigurationModelLoader,
  ConfigurationPricingService,
  OptionGroupsService,
  OptionsService,
  BundlesService,
  OptionRulesService,
  ConfigurationDiscountsService,
  ConfigurationsService,
];
