export { CatalogModule } from './catalog.module.js';
export { PriceLookupService } from './prices/price-lookup.service.js';
export { ProductsService } from './products/products.service.js';
