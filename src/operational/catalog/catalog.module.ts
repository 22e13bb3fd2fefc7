import { Module } from '@nestjs/common';
import {
  PriceBookEntriesController,
  PriceBooksController,
  ProductFamiliesController,
  ProductsController,
} from './catalog.controllers.js';
import { ConfigurationPricingService } from './configurator/configuration-pricing.service.js';
import { ConfiguredLinePricing } from './configurator/configured-line-pricing.js';
import {
  CONFIGURATOR_CONTROLLERS,
  CONFIGURATOR_PROVIDERS,
} from './configurator/configurator.providers.js';
import { PriceBookEntriesService } from './price-book-entries/price-book-entries.service.js';
import { PriceBooksService } from './price-books/price-books.service.js';
import { PriceLookupService } from './prices/price-lookup.service.js';
import { PricesController } from './prices/prices.controller.js';
import { ProductFamiliesService } from './product-families/product-families.service.js';
import { ProductsService } from './products/products.service.js';
import { TaxCategoriesController } from './tax-categories/tax-categories.controller.js';

/**
 * The product catalog: families, products, price books with their entries, price lookup, and
 * the configurator of configurable products.
 */
@Module({
  controllers: [
    ProductFamiliesController,
    ProductsController,
    PriceBooksController,
    PriceBookEntriesController,
    PricesController,
    TaxCategoriesController,
    ...CONFIGURATOR_CONTROLLERS,
  ],
  providers: [
    ProductFamiliesService,
    ProductsService,
    PriceBooksService,
    PriceBookEntriesService,
    PriceLookupService,
    ...CONFIGURATOR_PROVIDERS,
    ConfiguredLinePricing,
  ],
  exports: [
    ProductsService,
    PriceLookupService,
    ConfigurationPricingService,
    ConfiguredLinePricing,
  ],
})
export class CatalogModule {}
