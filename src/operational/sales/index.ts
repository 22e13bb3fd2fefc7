/** What other modules use of sales: the opportunity record definition. */
export { OPPORTUNITY_DEFINITION } from './opportunities/opportunity.definition.js';
export { SalesModule } from './sales.module.js';
