import { InitialSchema1764000000000 } from './1764000000000-initial-schema.js';
import { DomainEventOutbox1764100000000 } from './1764100000000-domain-event-outbox.js';
import { ConfigurablePicklists1764100000001 } from './1764100000001-configurable-picklists.js';
import { CustomObjectRecords1764100000002 } from './1764100000002-custom-object-records.js';
import { ContactListIndexes1764100000003 } from './1764100000003-contact-list-indexes.js';
import { JobQueue1764210000000 } from './1764210000000-job-queue.js';
import { Webhooks1764220000000 } from './1764220000000-webhooks.js';
import { CsvImports1764300000000 } from './1764300000000-csv-imports.js';
import { SalesLeadsOpportunities1764400000000 } from './1764400000000-sales-leads-opportunities.js';
import { SalesRoleGrants1764400000001 } from './1764400000001-sales-role-grants.js';
import { ApiKeyScopes1764400000002 } from './1764400000002-api-key-scopes.js';
import { ActivitiesTimeline1764500000000 } from './1764500000000-activities-timeline.js';
import { WebhookPing1764500000001 } from './1764500000001-webhook-ping.js';
import { OpportunityBoardDeltas1764500000002 } from './1764500000002-opportunity-board-deltas.js';
import { Forecasting1764500000010 } from './1764500000010-forecasting.js';
import { LeadScoringAssignment1764500000030 } from './1764500000030-lead-scoring-assignment.js';
import { Catalog1764600000000 } from './1764600000000-catalog.js';
import { Configurator1764700000000 } from './1764700000000-configurator.js';
import { Quotes1764700100000 } from './1764700100000-quotes.js';
import { OpportunityLines1764700200000 } from './1764700200000-opportunity-lines.js';
import { Orders1764700200001 } from './1764700200001-orders.js';
import { PrivacyRequests1764750000000 } from './1764750000000-privacy-requests.js';
import { ServiceCases1764900000000 } from './1764900000000-service-cases.js';
import { KnowledgeBase1764900100000 } from './1764900100000-knowledge-base.js';
import { CallCentre1764900100001 } from './1764900100001-call-centre.js';
import { FieldService1764900100002 } from './1764900100002-field-service.js';
import { OpportunityLinePriceSource1764700300000 } from './1764700300000-opportunity-line-price-source.js';
import { OrderPerQuote1764700300001 } from './1764700300001-order-per-quote.js';
import { QuoteLineConfigurationOptions1764700300002 } from './1764700300002-quote-line-configuration-options.js';
import { MarketingConsent1764800000010 } from './1764800000010-marketing-consent.js';
import { Segments1764800100000 } from './1764800100000-segments.js';
import { Campaigns1764800100001 } from './1764800100001-campaigns.js';

/** Every migration, oldest first. A release upgrades by running the ones a database lacks. */
export const MIGRATIONS = [
  InitialSchema1764000000000,
  DomainEventOutbox1764100000000,
  ConfigurablePicklists1764100000001,
  CustomObjectRecords1764100000002,
  ContactListIndexes1764100000003,
  JobQueue1764210000000,
  Webhooks1764220000000,
  CsvImports1764300000000,
  SalesLeadsOpportunities1764400000000,
  SalesRoleGrants1764400000001,
  ApiKeyScopes1764400000002,
  ActivitiesTimeline1764500000000,
  WebhookPing1764500000001,
  OpportunityBoardDeltas1764500000002,
  Forecasting1764500000010,
  LeadScoringAssignment1764500000030,
  Catalog1764600000000,
  Configurator1764700000000,
  Quotes1764700100000,
  OpportunityLines1764700200000,
  Orders1764700200001,
  OpportunityLinePriceSource1764700300000,
  OrderPerQuote1764700300001,
  QuoteLineConfigurationOptions1764700300002,
  PrivacyRequests1764750000000,
  MarketingConsent1764800000010,
  Segments1764800100000,
  Campaigns1764800100001,
  ServiceCases1764900000000,
  KnowledgeBase1764900100000,
  CallCentre1764900100001,
  FieldService1764900100002,
];
