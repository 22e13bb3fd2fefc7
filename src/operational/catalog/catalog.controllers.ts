import { recordController } from '#platform/records/index.js';
import {
  CreatePriceBookEntryDto,
  PriceBookEntryDto,
  UpdatePriceBookEntryDto,
} from './dto/price-book-entry.dto.js';
import { CreatePriceBookDto, PriceBookDto, UpdatePriceBookDto } from './dto/price-book.dto.js';
import {
  CreateProductFamilyDto,
  ProductFamilyDto,
  UpdateProductFamilyDto,
} from './dto/product-family.dto.js';
import { CreateProductDto, ProductDto, UpdateProductDto } from './dto/product.dto.js';
import { PriceBookEntriesService } from './price-book-entries/price-book-entries.service.js';
import { PriceBooksService } from './price-books/price-books.service.js';
import { ProductFamiliesService } from './product-families/product-families.service.js';
import { ProductsService } from './products/products.service.js';

/** The REST contract of each catalog record, as the record platform gives it. */
export const ProductFamiliesController = recordController({
  path: 'product-families',
  tag: 'Product families',
  label: 'product family',
  service: ProductFamiliesService,
  createDto: CreateProductFamilyDto,
  updateDto: UpdateProductFamilyDto,
  responseDto: ProductFamilyDto,
  filterExample: 'filter[active][eq]=true',
});

export const ProductsController = recordController({
  path: 'products',
  tag: 'Products',
  label: 'product',
  service: ProductsService,
  createDto: CreateProductDto,
  updateDto: UpdateProductDto,
  responseDto: ProductDto,
  filterExample:
    'filter[active][eq]=true&filter[family.active][eq]=true&filter[sku][startsWith]=LPT',
});

export const PriceBooksController = recordController({
  path: 'price-books',
  tag: 'Price books',
  label: 'price book',
  service: PriceBooksService,
  createDto: CreatePriceBookDto,
  updateDto: UpdatePriceBookDto,
  responseDto: PriceBookDto,
  filterExample: 'filter[currency][eq]=IDR&filter[isStandard][eq]=false',
});

export const PriceBookEntriesController = recordController({
  path: 'price-book-entries',
  tag: 'Price books',
  label: 'price book entry',
  service: PriceBookEntriesService,
  createDto: CreatePriceBookEntryDto,
  updateDto: UpdatePriceBookEntryDto,
  responseDto: PriceBookEntryDto,
  filterExample:
    'filter[priceBookId][eq]=0192f000-0000-7000-8000-000000000001&filter[product.sku][eq]=LPT-14-BIZ',
});
