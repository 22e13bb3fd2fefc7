/** What other modules use of sales: its module, lead and opportunity services and events, the opportunity definition, the pricing of sale lines. */
export { LEAD_ASSIGNED, LEAD_CONVERTED, LEAD_SCORE_CHANGED } from './leads/leads.events.js';
export type {
  LeadAssignedPayload,
  LeadConvertedPayload,
  LeadScoreChangedPayload,
} from './leads/leads.events.js';
export { LeadsService } from './leads/leads.service.js';
export { OPPORTUNITY_STAGE_CHANGED } from './opportunities/opportunities.events.js';
export type {
  OpportunityStageChangedPayload,
  StagePosition,
} from './opportunities/opportunities.events.js';
export { OpportunitiesService } from './opportunities/opportunities.service.js';
export { PipelineCatalog } from './pipelines/pipeline-catalog.js';
export type { Pipeline, Stage } from './pipelines/pipeline-catalog.js';
export { SalesModule } from './sales.module.js';
export {
  checkDiscount,
  checkQuantity,
  dayIn,
  lineTotal,
  LinePricing,
  type LinePrice,
} from './opportunity-lines/line-pricing.js';
export { CreateOpportunityLineDto } from './opportunity-lines/dto/opportunity-line.dto.js';
export { OPPORTUNITY_DEFINITION } from './opportunities/opportunity.definition.js';
