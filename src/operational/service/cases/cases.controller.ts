import { recordController } from '#platform/records/index.js';
import { CaseDto, CreateCaseDto, UpdateCaseDto } from './dto/case.dto.js';
import { CasesService } from './cases.service.js';

export const CasesController = recordController({
  path: 'cases',
  tag: 'Cases',
  label: 'case',
  service: CasesService,
  createDto: CreateCaseDto,
  updateDto: UpdateCaseDto,
  responseDto: CaseDto,
  filterExample: 'filter[status][in]=new,open&filter[slaStatus][eq]=at_risk',
});
