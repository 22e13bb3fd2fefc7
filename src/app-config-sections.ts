import type { ConfigComposition } from '#platform/config/config-section.js';
import { SALES_CONFIG } from '#operational/sales/sales.config.js';

/**
 * The modules' part of crm.config.yaml and of the API paths, composed here at the root so the
 * platform parses one file without knowing any module. main.ts, worker.ts and the scripts
 * all load the config with it.
 */
export const APP_CONFIG: ConfigComposition = {
  sections: [...SALES_CONFIG.sections],
  reservedPaths: [
    'accounts',
    'contacts',
    'activities',
    ...SALES_CONFIG.reservedPaths,
    // Kept for modules still to come, so an admin's object does not take their path first.
    'products',
    'price-books',
    'quotes',
    'orders',
    'campaigns',
    'segments',
    'cases',
    'queues',
    'articles',
    'reports',
    'messages',
    'partners',
  ],
};
