import { Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
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
import { ApiProblems, UuidParamPipe } from '#platform/http/index.js';
import { CustomerAnalyticsService } from './customer-analytics.service.js';
import {
  CohortReportDto,
  ParetoReportDto,
  ProfitabilityListDto,
  ProfitabilityStatementDto,
  ReadModelFreshnessDto,
  RecommendationsDto,
  RfmReportDto,
} from './dto/analytics-lists.dto.js';
import { CustomerProfileDto } from './dto/customer-analytics.dto.js';
import { ProfitabilityService } from './profitability/profitability.service.js';
import { RFM_SEGMENTS } from './segmentation/rfm-segments.js';
import { SegmentationService } from './segmentation/segmentation.service.js';

const TAG = 'Customer analytics';
const CUSTOMER_ID = {
  name: 'id',
  format: 'uuid',
  description: 'A contact or an account; a contact answers with its account’s purchases',
};
const PERIOD = [
  { name: 'from', description: 'First day (organization time zone); none: since the beginning' },
  { name: 'to', description: 'Last day, inclusive; none: today' },
];

/** One customer: the 360° profile and the next best offers. */
@ApiTags(TAG)
@ApiBearerAuth()
@ApiSecurity('apiKey')
@Controller('api/v1/customers')
export class CustomerInsightsController {
  constructor(private readonly analytics: CustomerAnalyticsService) {}

  @Get(':id/profile')
  @ApiOperation({
    summary:
      'Customer 360: purchases, pipeline, service, contact, marketing, RFM, profit, CLV, churn',
    description:
      'For a contact or an account the caller may read (404 otherwise). Purchases, opportunities, cases and campaign ' +
      'responses count only records the caller may read; a part the role cannot read at all is null. RFM, lifetime ' +
      'profitability, CLV and churn risk are the account’s (a contact’s account when the caller may read it). ' +
      'Amounts are in the reporting currency `customerAnalytics.reportingCurrency`; `dataAsOf` is when RFM scores ' +
      'and tiers were last computed.',
    operationId: 'profile_customers',
  })
  @ApiParam(CUSTOMER_ID)
  @ApiOkResponse({ type: CustomerProfileDto })
  @ApiProblems(400, 401, 403, 404)
  profile(@Ctx() ctx: RequestContext, @Param('id', UuidParamPipe) id: string) {
    return this.analytics.profile(ctx, id);
  }

  @Get(':id/recommendations')
  @ApiOperation({
    summary: 'Next best offers: products the customer does not own, ranked by association rules',
    description:
      'Rules "who bought X also bought Y" (support, confidence, lift above the configured thresholds) from every ' +
      'order basket, recomputed by the refresh job. Candidates are active products reached from a product the ' +
      'account bought and not bought by it, best confidence first, then lift and support. For a contact, ' +
      'families whose marketing topic (`customerAnalytics.recommendations.familyTopics`) the contact did not choose, ' +
      'or all mapped families after an unsubscribe, are left out.',
    operationId: 'recommendations_customers',
  })
  @ApiParam(CUSTOMER_ID)
  @ApiQuery({
    name: 'limit',
    required: false,
    schema: { type: 'integer', minimum: 1, maximum: 100 },
  })
  @ApiOkResponse({ type: RecommendationsDto })
  @ApiProblems(400, 401, 403, 404, 422)
  recommendations(
    @Ctx() ctx: RequestContext,
    @Param('id', UuidParamPipe) id: string,
    @Query() query: Record<string, unknown>,
  ) {
    return this.analytics.recommendations(ctx, id, query);
  }
}

/** Across customers: RFM, Pareto, profitability, cohorts, and the refresh of the read models. */
@ApiTags(TAG)
@ApiBearerAuth()
@ApiSecurity('apiKey')
@Controller('api/v1/analytics')
export class CustomerAnalyticsController {
  constructor(
    private readonly analytics: CustomerAnalyticsService,
    private readonly segmentation: SegmentationService,
    private readonly profitability: ProfitabilityService,
  ) {}

  @Get('rfm')
  @ApiOperation({
    summary:
      'RFM segments and value tiers: distribution and customers, highest lifetime revenue first',
    description:
      'Over the accounts the caller may read with at least one purchase, as of `dataAsOf` (the last refresh). ' +
      'R, F and M are ⌈5 × cume_dist⌉ of last purchase, orders and net revenue in the window; segments follow the ' +
      'R/F grid in the README; tiers rank lifetime net revenue against `customerAnalytics.valueTiers`.',
    operationId: 'rfm_analytics',
  })
  @ApiQuery({
    name: 'segment',
    required: false,
    schema: { type: 'string', enum: [...RFM_SEGMENTS] },
  })
  @ApiQuery({ name: 'tier', required: false, schema: { type: 'string', maxLength: 50 } })
  @ApiQuery({
    name: 'limit',
    required: false,
    schema: { type: 'integer', minimum: 1, maximum: 500 },
  })
  @ApiQuery({ name: 'cursor', required: false, schema: { type: 'string', maxLength: 100 } })
  @ApiOkResponse({ type: RfmReportDto })
  @ApiProblems(400, 401, 403)
  rfm(@Ctx() ctx: RequestContext, @Query() query: Record<string, unknown>) {
    return this.segmentation.rfm(ctx, query);
  }

  @Get('pareto')
  @ApiOperation({
    summary:
      'Pareto: the share of revenue and of gross profit the top N% of customers bring, and who they are',
    description:
      'Customers the caller may read, ranked by lifetime net revenue (ties by id); the top ⌈N% × customers⌉. ' +
      'Gross profit is net revenue less product cost.',
    operationId: 'pareto_analytics',
  })
  @ApiQuery({
    name: 'topPercent',
    required: false,
    schema: { type: 'integer', minimum: 1, maximum: 100, default: 20 },
  })
  @ApiQuery({
    name: 'limit',
    required: false,
    schema: { type: 'integer', minimum: 1, maximum: 500, default: 100 },
  })
  @ApiOkResponse({ type: ParetoReportDto })
  @ApiProblems(400, 401, 403)
  pareto(@Ctx() ctx: RequestContext, @Query() query: Record<string, unknown>) {
    return this.segmentation.pareto(ctx, query);
  }

  @Get('profitability')
  @ApiOperation({
    summary: 'Profitability of every customer in a period, a page at a time',
    description:
      'Accounts the caller may read with at least one purchase, by id. Same figures as the single statement.',
    operationId: 'list_profitability_analytics',
  })
  @ApiQuery({ ...PERIOD[0], required: false, schema: { type: 'string', format: 'date' } })
  @ApiQuery({ ...PERIOD[1], required: false, schema: { type: 'string', format: 'date' } })
  @ApiQuery({
    name: 'limit',
    required: false,
    schema: { type: 'integer', minimum: 1, maximum: 500 },
  })
  @ApiQuery({ name: 'cursor', required: false, schema: { type: 'string', maxLength: 100 } })
  @ApiOkResponse({ type: ProfitabilityListDto })
  @ApiProblems(400, 401, 403)
  profitabilityList(@Ctx() ctx: RequestContext, @Query() query: Record<string, unknown>) {
    return this.profitability.list(ctx, query);
  }

  @Get('profitability/:id')
  @ApiOperation({
    summary: 'A customer’s profitability in a period, with every line it was built from',
    description:
      'Revenue net of discounts and returns, less product cost, acquisition (the cost of the campaign credited ' +
      'with the first order, shared among the customers it acquired), enhancement (campaigns reaching the ' +
      'customer after the first purchase, cost per member) and retention (cases × handling hours, call time and ' +
      'field work at the configured hour costs). See the README for each rule.',
    operationId: 'profitability_analytics',
  })
  @ApiParam(CUSTOMER_ID)
  @ApiQuery({ ...PERIOD[0], required: false, schema: { type: 'string', format: 'date' } })
  @ApiQuery({ ...PERIOD[1], required: false, schema: { type: 'string', format: 'date' } })
  @ApiOkResponse({ type: ProfitabilityStatementDto })
  @ApiProblems(400, 401, 403, 404, 422)
  profitabilityOf(
    @Ctx() ctx: RequestContext,
    @Param('id', UuidParamPipe) id: string,
    @Query() query: Record<string, unknown>,
  ) {
    return this.profitability.statement(ctx, id, query);
  }

  @Get('cohorts')
  @ApiOperation({
    summary:
      'Retention by first-purchase month: how many of each cohort bought again in each later month',
    operationId: 'cohorts_analytics',
  })
  @ApiQuery({
    name: 'from',
    required: true,
    schema: { type: 'string', pattern: '^\\d{4}-\\d{2}$', maxLength: 7 },
  })
  @ApiQuery({
    name: 'to',
    required: true,
    schema: { type: 'string', pattern: '^\\d{4}-\\d{2}$', maxLength: 7 },
  })
  @ApiQuery({
    name: 'months',
    required: false,
    schema: { type: 'integer', minimum: 1, maximum: 60 },
  })
  @ApiOkResponse({ type: CohortReportDto })
  @ApiProblems(400, 401, 403)
  cohorts(@Ctx() ctx: RequestContext, @Query() query: Record<string, unknown>) {
    return this.segmentation.cohorts(ctx, query);
  }

  @Post('refresh')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Recompute RFM scores, tiers and association rules now (admins)',
    description:
      'What the job on `customerAnalytics.refreshSchedule` does; answers when both are done.',
    operationId: 'refresh_analytics',
  })
  @ApiOkResponse({ type: ReadModelFreshnessDto })
  @ApiProblems(401, 403)
  refresh(@Ctx() ctx: RequestContext) {
    return this.analytics.refresh(ctx);
  }
}
