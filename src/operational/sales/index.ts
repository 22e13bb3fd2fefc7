/** What other modules use of sales: its module, the pricing of sale lines and their input. */
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
