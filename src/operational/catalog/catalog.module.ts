import { Module } from '@nestjs/common';
import {
  PriceBookEntriesController,
  PriceBooksController,
  ProductFamiliesController,
  ProductsController,
} from './catalog.controllers.js';
import { PriceBookEntriesService } from './price-book-entries/price-book-entries.service.js';
import { PriceBooksService } from './price-books/price-books.service.js';
import { PriceLookupService } from './prices/price-lookup.service.js';
import { PricesController } from './prices/prices.controller.js';
import { ProductFamiliesService } from './product-families/product-families.service.js';
import { ProductsService } from './products/products.service.js';

/** The product catalog: families, products, price books with their entries, and price lookup. */
@Module({
  controllers: [
    ProductFamiliesController,
    ProductsController,
    PriceBooksController,
    PriceBookEntriesController,
    PricesController,
  ],
  providers: [
    ProductFamiliesService,
    ProductsService,
    PriceBooksService,
    PriceBookEntriesService,
    PriceLookupService,
  ],
  exports: [ProductsService, PriceLookupService],
})
export class CatalogModule {}
