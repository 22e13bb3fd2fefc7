import { recordController } from '#platform/records/index.js';
import {
  CreateOpportunityLineDto,
  OpportunityLineDto,
  UpdateOpportunityLineDto,
} from './dto/opportunity-line.dto.js';
import { OpportunityLinesService } from './opportunity-lines.service.js';

/** Line items as a record resource of their own, listed per opportunity by `filter[opportunityId][eq]`. */
export const OpportunityLinesController = recordController({
  path: 'opportunity-lines',
  tag: 'Opportunity lines',
  label: 'opportunity line',
  service: OpportunityLinesService,
  createDto: CreateOpportunityLineDto,
  updateDto: UpdateOpportunityLineDto,
  responseDto: OpportunityLineDto,
  filterExample: 'filter[opportunityId][eq]=0192f000-0000-7000-8000-000000000001&sort=position',
});
