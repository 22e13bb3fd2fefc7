import type { ConfigComposition } from '#platform/config/config-section.js';
import type { ApiKeyScope } from '#platform/auth/api-key-scopes.js';
import type { ModuleProblems } from '#platform/http/problem-catalog.js';
import { CATALOG_CONFIG } from '#operational/catalog/catalog.config.js';
import { CATALOG_PROBLEMS } from '#operational/catalog/catalog.errors.js';
import { MARKETING_CONFIG } from '#operational/marketing/marketing.config.js';
import { MARKETING_PROBLEMS } from '#operational/marketing/marketing.errors.js';
import { CAMPAIGNS_CONFIG } from '#operational/marketing/campaigns/campaigns.config.js';
import { CAMPAIGN_PROBLEMS } from '#operational/marketing/campaigns/campaigns.errors.js';
import { SEGMENT_PROBLEMS } from '#operational/marketing/segments/segments.errors.js';
import { ORDER_PROBLEMS } from '#operational/orders/orders.errors.js';
import { PRIVACY_CONFIG, PRIVACY_PROBLEMS } from '#operational/privacy/index.js';
import { QUOTES_CONFIG } from '#operational/quotes/quotes.config.js';
import { QUOTE_PROBLEMS } from '#operational/quotes/quotes.errors.js';
import { LEAD_API_KEY_SCOPES } from '#operational/sales/leads/leads.scopes.js';
import { SALES_CONFIG } from '#operational/sales/sales.config.js';
import { SALES_PROBLEMS } from '#operational/sales/sales.errors.js';
import { SERVICE_CASES_CONFIG } from '#operational/service/service.config.js';
import { SERVICE_CASES_PROBLEMS } from '#operational/service/service.errors.js';
import { SERVICE_API_KEY_SCOPES } from '#operational/service/inbound-email/inbound-email.scopes.js';
import { CALL_PROBLEMS, CALLS_CONFIG } from '#operational/service/calls/index.js';
import { FIELD_SERVICE_PROBLEMS } from '#operational/service/field-service/index.js';
import { KNOWLEDGE_PROBLEMS } from '#operational/service/knowledge/index.js';

/**
 * The modules' part of crm.config.yaml and of the API paths, composed here at the root so the
 * platform parses one file without knowing any module. main.ts, worker.ts and the scripts
 * all load the config with it.
 */
export const APP_CONFIG: ConfigComposition = {
  sections: [
    ...SALES_CONFIG.sections,
    ...CATALOG_CONFIG.sections,
    ...QUOTES_CONFIG.sections,
    ...PRIVACY_CONFIG.sections,
    ...SERVICE_CASES_CONFIG.sections,
    ...CALLS_CONFIG.sections,
    ...MARKETING_CONFIG.sections,
    ...CAMPAIGNS_CONFIG.sections,
  ],
  reservedPaths: [
    'accounts',
    'contacts',
    'activities',
    ...SALES_CONFIG.reservedPaths,
    ...CATALOG_CONFIG.reservedPaths,
    ...QUOTES_CONFIG.reservedPaths,
    ...PRIVACY_CONFIG.reservedPaths,
    ...SERVICE_CASES_CONFIG.reservedPaths,
    'knowledge-articles',
    ...CALLS_CONFIG.reservedPaths,
    'technicians',
    'work-orders',
    'public',
    ...MARKETING_CONFIG.reservedPaths,
    ...CAMPAIGNS_CONFIG.reservedPaths,
    // Kept for modules still to come, so an admin's object does not take their path first.
    'orders',
    'articles',
    'reports',
    'messages',
    'partners',
  ],
};

/** The problem types the modules answer besides the platform's; registered by AppModule. */
export const APP_PROBLEMS: readonly ModuleProblems[] = [
  ...SALES_PROBLEMS,
  ...CATALOG_PROBLEMS,
  ...ORDER_PROBLEMS,
  ...QUOTE_PROBLEMS,
  ...PRIVACY_PROBLEMS,
  ...SERVICE_CASES_PROBLEMS,
  ...KNOWLEDGE_PROBLEMS,
  ...CALL_PROBLEMS,
  ...FIELD_SERVICE_PROBLEMS,
  ...MARKETING_PROBLEMS,
  ...SEGMENT_PROBLEMS,
  ...CAMPAIGN_PROBLEMS,
];

/** The API key scopes the modules define; registered by AppModule. */
export const APP_API_KEY_SCOPES: readonly ApiKeyScope[] = [
  ...LEAD_API_KEY_SCOPES,
  ...SERVICE_API_KEY_SCOPES,
];
