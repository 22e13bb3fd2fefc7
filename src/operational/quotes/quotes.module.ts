import { Module } from '@nestjs/common';
import { CatalogModule } from '#operational/catalog/index.js';
import { CurrencyModule } from '#platform/currency/index.js';
import { timelineController } from '#platform/timeline/index.js';
import { QuoteDocumentService } from './document/quote-document.service.js';
import { QuoteLinesService } from './lines/quote-lines.service.js';
import { QuoteExpiry } from './quote-expiry.js';
import { QuoteOrdering } from './quote-ordering.js';
import { QuoteTotals } from './quote-totals.js';
import { QuoteWorkflow } from './quote-workflow.js';
import {
  OpportunityQuotesController,
  QuoteActionsController,
  QuoteLinesController,
  QuotesController,
} from './quotes.controllers.js';
import { QuotesService } from './quotes.service.js';

/** Quotes with their lines, totals, approval workflow, revisions, expiry and proposal PDFs. */
@Module({
  imports: [CatalogModule, CurrencyModule],
  controllers: [
    QuoteActionsController,
    QuotesController,
    QuoteLinesController,
    OpportunityQuotesController,
    timelineController({ path: 'quotes', entity: 'quotes', tag: 'Quotes', label: 'a quote' }),
  ],
  providers: [
    QuoteTotals,
    QuotesService,
    QuoteLinesService,
    QuoteWorkflow,
    QuoteExpiry,
    QuoteDocumentService,
    QuoteOrdering,
  ],
  exports: [QuotesService, QuoteOrdering],
})
export class QuotesModule {}
