import { Body, Controller, HttpCode, Param, Post, Query } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiQuery,
  ApiSecurity,
  ApiTags,
} from '@nestjs/swagger';
import { Ctx, type RequestContext } from '#platform/context/index.js';
import { ApiProblems, validateDto, UuidParamPipe } from '#platform/http/index.js';
import { recordController } from '#platform/records/index.js';
import { ConfigurationPricingService } from './configuration-pricing.service.js';
import {
  BundlesService,
  ConfigurationDiscountsService,
  OptionGroupsService,
  OptionRulesService,
  OptionsService,
} from './configurator-model.services.js';
import { ConfigurationsService } from './configurations.service.js';
import {
  ConfigurationDto,
  ConfigurationRequestDto,
  CreateConfigurationDto,
  PriceSavedQueryDto,
  PricedConfigurationDto,
  UpdateConfigurationDto,
  ValidationResultDto,
} from './dto/configuration.dto.js';
import {
  BundleDto,
  ConfigurationDiscountDto,
  CreateBundleDto,
  CreateConfigurationDiscountDto,
  CreateOptionDto,
  CreateOptionGroupDto,
  CreateOptionRuleDto,
  OptionDto,
  OptionGroupDto,
  OptionRuleDto,
  UpdateBundleDto,
  UpdateConfigurationDiscountDto,
  UpdateOptionDto,
  UpdateOptionGroupDto,
  UpdateOptionRuleDto,
} from './dto/configurator-model.dto.js';

const EXAMPLE_ID = '0192f000-0000-7000-8000-000000000001';
const TAG = 'Product configurator';

export const OptionGroupsController = recordController({
  path: 'product-option-groups',
  tag: TAG,
  label: 'option group',
  service: OptionGroupsService,
  createDto: CreateOptionGroupDto,
  updateDto: UpdateOptionGroupDto,
  responseDto: OptionGroupDto,
  filterExample: `filter[productId][eq]=${EXAMPLE_ID}&filter[active][eq]=true`,
});

export const OptionsController = recordController({
  path: 'product-options',
  tag: TAG,
  label: 'option',
  service: OptionsService,
  createDto: CreateOptionDto,
  updateDto: UpdateOptionDto,
  responseDto: OptionDto,
  filterExample: `filter[groupId][eq]=${EXAMPLE_ID}&filter[optionProduct.sku][startsWith]=RAM`,
});

export const BundlesController = recordController({
  path: 'product-bundles',
  tag: TAG,
  label: 'bundle',
  service: BundlesService,
  createDto: CreateBundleDto,
  updateDto: UpdateBundleDto,
  responseDto: BundleDto,
  filterExample: `filter[productId][eq]=${EXAMPLE_ID}`,
});

export const OptionRulesController = recordController({
  path: 'product-option-rules',
  tag: TAG,
  label: 'option rule',
  service: OptionRulesService,
  createDto: CreateOptionRuleDto,
  updateDto: UpdateOptionRuleDto,
  responseDto: OptionRuleDto,
  filterExample: `filter[productId][eq]=${EXAMPLE_ID}&filter[kind][in]=requires,excludes`,
});

export const ConfigurationDiscountsController = recordController({
  path: 'configuration-discounts',
  tag: TAG,
  label: 'configuration discount',
  service: ConfigurationDiscountsService,
  createDto: CreateConfigurationDiscountDto,
  updateDto: UpdateConfigurationDiscountDto,
  responseDto: ConfigurationDiscountDto,
  filterExample: 'filter[tier][eq]=gold&filter[active][eq]=true',
});

export const ConfigurationsController = recordController({
  path: 'configurations',
  tag: TAG,
  label: 'configuration',
  service: ConfigurationsService,
  createDto: CreateConfigurationDto,
  updateDto: UpdateConfigurationDto,
  responseDto: ConfigurationDto,
  filterExample: `filter[productId][eq]=${EXAMPLE_ID}&filter[total.amount][gte]=1000000`,
});

/** Checking and pricing a configuration without saving it. */
@ApiTags(TAG)
@ApiBearerAuth()
@ApiSecurity('apiKey')
@Controller('api/v1/configurations')
export class ConfigurationActionsController {
  constructor(private readonly pricing: ConfigurationPricingService) {}

  @Post('validate')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Check a configuration against every rule of its product',
    operationId: 'validate_configurations',
    description:
      'Lists every broken rule, not just the first: group minimum, maximum and required choices; requires, excludes, only-with and ' +
      'quantity-limit rules; option quantities; inactive options or option products, option products outside their availability ' +
      'on the day, unknown options and options of another product. Messages follow Accept-Language; a rule with its own message ' +
      'shows it. 404 for a product or account the caller may not read; 422 for an inactive product or one outside its availability.',
  })
  @ApiOkResponse({ type: ValidationResultDto })
  @ApiProblems(400, 401, 403, 404, 422)
  validate(@Ctx() ctx: RequestContext, @Body() body: ConfigurationRequestDto) {
    return this.pricing.check(ctx, body);
  }

  @Post('price')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Price a configuration line by line',
    operationId: 'price_configurations',
    description:
      'The base product and each option product are priced from the price books as GET /prices does (segment books, the volume tier ' +
      'the line quantity reaches), surcharge options from their surcharge in the currency; then bundle discounts (all options of a ' +
      'bundle chosen; an option counts in one bundle at most, largest discount first) and the most specific segment discount of the ' +
      "account. Every line is rounded to the currency's minor unit and the total is their sum. A configuration breaking a rule " +
      'answers 422 `configuration_invalid` with `violations`; no price in the currency answers 404 `price_not_found`, no surcharge ' +
      '422 `option_surcharge_missing`; prices are never converted.',
  })
  @ApiOkResponse({ type: PricedConfigurationDto })
  @ApiProblems(400, 401, 403, 404, 422)
  price(@Ctx() ctx: RequestContext, @Body() body: ConfigurationRequestDto) {
    return this.pricing.price(ctx, body);
  }

  @Post(':id/price')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Price a saved configuration again, without changing it',
    operationId: 'price_saved_configurations',
    description:
      "Today's prices (or those of `day`, else of the day the configuration names) for the saved product, options, account, currency " +
      'and quantity, as POST /configurations/price gives them; the saved lines and total stay as they are. 404 for a configuration ' +
      'the caller may not read; 422 when it no longer keeps its rules.',
  })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiQuery({
    name: 'day',
    required: false,
    schema: { type: 'string', format: 'date', maxLength: 10, example: '2026-05-04' },
  })
  @ApiOkResponse({ type: PricedConfigurationDto })
  @ApiProblems(400, 401, 403, 404, 422)
  async priceSaved(
    @Ctx() ctx: RequestContext,
    @Param('id', UuidParamPipe) id: string,
    @Query() query: Record<string, unknown>,
  ) {
    const { day } = await validateDto(PriceSavedQueryDto, { ...query });
    return this.pricing.priceSaved(ctx, id, day ? { day } : {});
  }
}

export const CONFIGURATOR_CONTROLLERS = [
  ConfigurationActionsController,
  OptionGroupsController,
  OptionsController,
  BundlesController,
  OptionRulesController,
  ConfigurationDiscountsController,
  ConfigurationsController,
];
