/**
 * What other modules use of quotes: the module, the quotes service, and QuoteOrdering to
 * read an accepted quote for its order and to place that order when a quote is accepted.
 */
export { QuotesModule } from './quotes.module.js';
export { QuotesService } from './quotes.service.js';
export {
  QuoteOrdering,
  type QuoteForOrder,
  type QuoteLineForOrder,
  type QuoteOrderPlacer,
} from './quote-ordering.js';
