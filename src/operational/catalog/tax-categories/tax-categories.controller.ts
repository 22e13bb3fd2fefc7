import { Controller, Get, Inject } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { CRM_CONFIG, type CrmConfig } from '#platform/config/index.js';
import { ApiProblems } from '#platform/http/index.js';
import { CATALOG_SECTION, defaultTaxCategory } from '../catalog.config.js';
import { TaxCategoryListDto, type TaxCategoryDto } from '../dto/tax-category.dto.js';

@ApiTags('Products')
@ApiBearerAuth()
@ApiSecurity('apiKey')
@Controller('api/v1/tax-categories')
export class TaxCategoriesController {
  /** Config is read once at start, so the answer is built once too. */
  private readonly categories: TaxCategoryDto[];

  constructor(@Inject(CRM_CONFIG) config: CrmConfig) {
    const catalog = CATALOG_SECTION.read(config);
    const fallback = defaultTaxCategory(catalog);
    this.categories = catalog.taxCategories.map((c) => ({
      code: c.key,
      name: { ...c.label },
      rate: c.rate,
      default: c.key === fallback,
    }));
  }

  @Get()
  @ApiOperation({
    summary: 'The tax categories products name, with their rates',
    description:
      'Declared in crm.config.yaml (`catalog.taxCategories`); read-only through the API. Quotes and orders tax ' +
      "each line at its product's category's rate; `default` marks the category of a product that names none.",
    operationId: 'list_tax_categories',
  })
  @ApiOkResponse({ type: TaxCategoryListDto })
  @ApiProblems(401)
  list(): TaxCategoryListDto {
    return { data: this.categories };
  }
}
