import { InitialSchema1764000000000 } from './1764000000000-initial-schema.js';
import { DomainEventOutbox1764100000000 } from './1764100000000-domain-event-outbox.js';
import { ConfigurablePicklists1764100000001 } from './1764100000001-configurable-picklists.js';
import { CustomObjectRecords1764100000002 } from './1764100000002-custom-object-records.js';
import { IdentityKeysWithoutPendingList1764990000000 } from './1764990000000-identity-keys-without-pending-list.js';
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
import { Messaging1765500000001 } from './1765500000001-messaging.js';
import { Stream1765500000002 } from './1765500000002-stream.js';
import { Notifications1765500000003 } from './1765500000003-notifications.js';
import { AnalyticsParallelConversion1765900000001 } from './1765900000001-analytics-parallel-conversion.js';
import { CubeSalesRegionIndex1765900000002 } from './1765900000002-cube-sales-region-index.js';
import { AutomationStepRetries1766000000001 } from './1766000000001-automation-step-retries.js';
import { AutomationDateTriggers1766000000002 } from './1766000000002-automation-date-triggers.js';
import { MarketingText1765800000001 } from './1765800000001-marketing-text.js';
import { MessagingBridge1765700000001 } from './1765700000001-messaging-bridge.js';
import { PartnerThreads1766000000011 } from './1766000000011-partner-threads.js';
import { CustomerAnalytics1765300000000 } from './1765300000000-customer-analytics.js';
import { AnalyticsCubes1765400000000 } from './1765400000000-analytics-cubes.js';
import { Reports1765400000001 } from './1765400000001-reports.js';
import { Partners1765600000001 } from './1765600000001-partners.js';
import { CustomerPortal1765100000000 } from './1765100000000-customer-portal.js';
import { ServiceCaseForeignKeys1765100000001 } from './1765100000001-service-case-foreign-keys.js';
import { CaseSatisfaction1765100000002 } from './1765100000002-case-satisfaction.js';
import { OpportunityLinePriceSource1764700300000 } from './1764700300000-opportunity-line-price-source.js';
import { OrderPerQuote1764700300001 } from './1764700300001-order-per-quote.js';
import { QuoteLineConfigurationOptions1764700300002 } from './1764700300002-quote-line-configuration-options.js';
import { MarketingConsent1764800000010 } from './1764800000010-marketing-consent.js';
import { Segments1764800100000 } from './1764800100000-segments.js';
import { Campaigns1764800100001 } from './1764800100001-campaigns.js';
import { MessageTemplates1765200000001 } from './1765200000001-message-templates.js';
import { Automations1765200000002 } from './1765200000002-automations.js';
import { KnowledgeSearchHeads1766000000100 } from './1766000000100-knowledge-search-heads.js';
import { OutboundEmailSendRate1766000000200 } from './1766000000200-outbound-email-send-rate.js';
import { DocumentNumbersPastAMillion1766000000201 } from './1766000000201-document-numbers-past-a-million.js';
import { CubeSalesDaily1766000000202 } from './1766000000202-cube-sales-daily.js';
import { RecordHistoryJson1766000000300 } from './1766000000300-record-history-json.js';

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
  IdentityKeysWithoutPendingList1764990000000,
  CustomerPortal1765100000000,
  ServiceCaseForeignKeys1765100000001,
  CaseSatisfaction1765100000002,
  MessageTemplates1765200000001,
  Automations1765200000002,
  CustomerAnalytics1765300000000,
  AnalyticsCubes1765400000000,
  Reports1765400000001,
  Messaging1765500000001,
  Stream1765500000002,
  Notifications1765500000003,
  Partners1765600000001,
  MessagingBridge1765700000001,
  MarketingText1765800000001,
  AnalyticsParallelConversion1765900000001,
  CubeSalesRegionIndex1765900000002,
  AutomationStepRetries1766000000001,
  AutomationDateTriggers1766000000002,
  PartnerThreads1766000000011,
  KnowledgeSearchHeads1766000000100,
  OutboundEmailSendRate1766000000200,
  DocumentNumbersPastAMillion1766000000201,
  CubeSalesDaily1766000000202,
  RecordHistoryJson1766000000300,
];
