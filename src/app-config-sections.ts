import type { ConfigComposition } from '#platform/config/config-section.js';
import type { ApiKeyScope } from '#platform/auth/api-key-scopes.js';
import type { ModuleProblems } from '#platform/http/problem-catalog.js';
import { MESSAGING_CONFIG, MESSAGING_PROBLEMS } from '#collaborative/messaging/index.js';
import { NOTIFICATION_PROBLEMS, NOTIFICATIONS_CONFIG } from '#collaborative/notifications/index.js';
import { STREAM_CONFIG, STREAM_PROBLEMS } from '#collaborative/stream/index.js';
import { PARTNER_PROBLEMS, PARTNERS_CONFIG } from '#collaborative/partners/index.js';
import { BUDGET_CONFIG, BUDGET_PROBLEMS } from '#analytical/budget/index.js';
import { CUBE_PROBLEMS, CUBES_CONFIG } from '#analytical/cube/index.js';
import { REPORT_PROBLEMS, REPORTS_CONFIG } from '#analytical/reports/index.js';
import { CATALOG_CONFIG } from '#operational/catalog/catalog.config.js';
import { CATALOG_PROBLEMS } from '#operational/catalog/catalog.errors.js';
import { MARKETING_CONFIG } from '#operational/marketing/marketing.config.js';
import { MARKETING_PROBLEMS } from '#operational/marketing/marketing.errors.js';
import { CAMPAIGNS_CONFIG } from '#operational/marketing/campaigns/campaigns.config.js';
import { CAMPAIGN_PROBLEMS } from '#operational/marketing/campaigns/campaigns.errors.js';
import { TEMPLATE_PROBLEMS } from '#operational/marketing/templates/templates.errors.js';
import { CAMPAIGN_SEND_PROBLEMS } from '#operational/marketing/campaign-send/campaign-send.errors.js';
import { AUTOMATION_PROBLEMS } from '#operational/marketing/automations/automations.errors.js';
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
import { CUSTOMER_ANALYTICS_CONFIG } from '#analytical/customers/customer-analytics.config.js';
import { CUSTOMER_ANALYTICS_PROBLEMS } from '#analytical/customers/customer-analytics.errors.js';
import { ANALYTICS_ENTITY } from '#analytical/customers/customer-subjects.js';
import { THREADS } from '#collaborative/messaging/thread-access.js';
import { PORTAL_CONFIG } from '#operational/service/portal/portal.config.js';
import { CSAT_CONFIG } from '#operational/service/csat/csat.config.js';
import { CSAT_PROBLEMS } from '#operational/service/csat/csat.errors.js';
import { PORTAL_PROBLEMS } from '#operational/service/portal/portal.errors.js';

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
    ...PORTAL_CONFIG.sections,
    ...CSAT_CONFIG.sections,
    ...MARKETING_CONFIG.sections,
    ...CAMPAIGNS_CONFIG.sections,
    ...MESSAGING_CONFIG.sections,
    ...STREAM_CONFIG.sections,
    ...NOTIFICATIONS_CONFIG.sections,
    ...PARTNERS_CONFIG.sections,
    ...CUSTOMER_ANALYTICS_CONFIG.sections,
    ...CUBES_CONFIG.sections,
    ...BUDGET_CONFIG.sections,
    ...REPORTS_CONFIG.sections,
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
    ...PORTAL_CONFIG.reservedPaths,
    'technicians',
    'work-orders',
    'public',
    ...MARKETING_CONFIG.reservedPaths,
    ...CAMPAIGNS_CONFIG.reservedPaths,
    ...MESSAGING_CONFIG.reservedPaths,
    ...PARTNERS_CONFIG.reservedPaths,
    ...CUSTOMER_ANALYTICS_CONFIG.reservedPaths,
    ...CUBES_CONFIG.reservedPaths,
    ...REPORTS_CONFIG.reservedPaths,
    'automations',
    // Kept for modules still to come, so an admin's object does not take their path first.
    'orders',
    'articles',
    'messages',
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
  ...PORTAL_PROBLEMS,
  ...CSAT_PROBLEMS,
  ...MARKETING_PROBLEMS,
  ...SEGMENT_PROBLEMS,
  ...CAMPAIGN_PROBLEMS,
  ...MESSAGING_PROBLEMS,
  ...STREAM_PROBLEMS,
  ...NOTIFICATION_PROBLEMS,
  ...PARTNER_PROBLEMS,
  ...CUSTOMER_ANALYTICS_PROBLEMS,
  ...CUBE_PROBLEMS,
  ...REPORT_PROBLEMS,
  ...BUDGET_PROBLEMS,
  ...TEMPLATE_PROBLEMS,
  ...CAMPAIGN_SEND_PROBLEMS,
  ...AUTOMATION_PROBLEMS,
];

/** The API key scopes the modules define; registered by AppModule. */
export const APP_API_KEY_SCOPES: readonly ApiKeyScope[] = [
  ...LEAD_API_KEY_SCOPES,
  ...SERVICE_API_KEY_SCOPES,
];

/** What roles may be granted besides record types; registered by AppModule. */
export const APP_PERMISSION_SUBJECTS: readonly string[] = [THREADS, ANALYTICS_ENTITY];
