import { ApiProperty } from '@nestjs/swagger';
import { MoneyDto } from '#platform/records/index.js';
import { RFM_SEGMENTS } from '../segmentation/rfm-segments.js';
import {
  AccountRefDto,
  FreshnessDto,
  CustomerRefDto,
  ProfitFiguresDto,
  RfmDto,
} from './customer-analytics.dto.js';

const INSTANT = { type: 'string', format: 'date-time', maxLength: 40 } as const;
const COUNT = { type: 'integer', minimum: 0, maximum: 2147483647 } as const;
const DAY = { type: 'string', format: 'date', maxLength: 10 } as const;
const SHARE = { type: 'number', minimum: 0, maximum: 1, nullable: true } as const;

export class AnalyticsPageMetaDto {
  @ApiProperty({ type: 'integer', minimum: 1, maximum: 500, example: 50 }) limit: number;
  @ApiProperty({ type: 'string', maxLength: 300, nullable: true }) nextCursor: string | null;
}

export class SegmentShareDto {
  @ApiProperty({ enum: RFM_SEGMENTS }) segment: string;
  @ApiProperty(COUNT) customers: number;
  @ApiProperty({ type: MoneyDto, description: 'Their lifetime net revenue' }) revenue: MoneyDto;
}

export class TierShareDto {
  @ApiProperty({ maxLength: 50, example: 'gold' }) tier: string;
  @ApiProperty(COUNT) customers: number;
  @ApiProperty({ type: MoneyDto }) revenue: MoneyDto;
}

export class RfmCustomerDto extends RfmDto {
  @ApiProperty({ format: 'uuid' }) accountId: string;
  @ApiProperty({ maxLength: 300 }) accountName: string;
  @ApiProperty({ type: MoneyDto }) lifetimeRevenue: MoneyDto;
  @ApiProperty(COUNT) orders: number;
  @ApiProperty(INSTANT) lastPurchaseAt: string;
}

export class RfmReportDto {
  @ApiProperty({ ...INSTANT, nullable: true }) dataAsOf: string | null;
  @ApiProperty({ type: 'integer', minimum: 1, maximum: 3660, example: 365 }) windowDays: number;
  @ApiProperty({ type: [SegmentShareDto], maxItems: 11 }) segments: SegmentShareDto[];
  @ApiProperty({ type: [TierShareDto], maxItems: 11 }) tiers: TierShareDto[];
  @ApiProperty({ type: [RfmCustomerDto], maxItems: 500 }) data: RfmCustomerDto[];
  @ApiProperty({ type: AnalyticsPageMetaDto }) meta: AnalyticsPageMetaDto;
}

export class ParetoCustomerDto {
  @ApiProperty({ format: 'uuid' }) accountId: string;
  @ApiProperty({ maxLength: 300 }) accountName: string;
  @ApiProperty({ type: MoneyDto }) revenue: MoneyDto;
  @ApiProperty({ type: MoneyDto, description: 'Revenue − product cost' }) grossProfit: MoneyDto;
}

export class ParetoReportDto {
  @ApiProperty({ ...INSTANT, nullable: true }) dataAsOf: string | null;
  @ApiProperty({ type: 'integer', minimum: 1, maximum: 100, example: 20 }) topPercent: number;
  @ApiProperty(COUNT) customers: number;
  @ApiProperty({ ...COUNT, description: '⌈customers × topPercent / 100⌉' }) topCustomers: number;
  @ApiProperty({ type: MoneyDto }) revenue: MoneyDto;
  @ApiProperty({ type: MoneyDto }) topRevenue: MoneyDto;
  @ApiProperty({ ...SHARE, example: 0.8 }) revenueShare: number | null;
  @ApiProperty({ type: MoneyDto }) grossProfit: MoneyDto;
  @ApiProperty({ type: MoneyDto }) topGrossProfit: MoneyDto;
  @ApiProperty({ ...SHARE, example: 0.74 }) grossProfitShare: number | null;
  @ApiProperty({ type: [ParetoCustomerDto], maxItems: 500 }) top: ParetoCustomerDto[];
  @ApiProperty({ description: 'More top customers than listed (see limit)' })
  topTruncated: boolean;
}

export class PeriodDto {
  @ApiProperty({ ...DAY, nullable: true }) from: string | null;
  @ApiProperty(DAY) to: string;
  @ApiProperty({ maxLength: 64, example: 'Asia/Jakarta' }) timeZone: string;
}

export class LedgerAmountsDto {
  @ApiProperty({ type: MoneyDto, required: false }) grossSales?: MoneyDto;
  @ApiProperty({ type: MoneyDto, required: false }) discounts?: MoneyDto;
  @ApiProperty({ type: MoneyDto, required: false }) returns?: MoneyDto;
  @ApiProperty({ type: MoneyDto, required: false }) productCost?: MoneyDto;
  @ApiProperty({ type: MoneyDto, required: false }) acquisition?: MoneyDto;
  @ApiProperty({ type: MoneyDto, required: false }) enhancement?: MoneyDto;
  @ApiProperty({ type: MoneyDto, required: false }) retention?: MoneyDto;
}

export class LedgerLineDto {
  @ApiProperty({ enum: ['order_line', 'campaign', 'case', 'call', 'work_order'] })
  source: string;
  @ApiProperty({ format: 'uuid' }) sourceId: string;
  @ApiProperty(INSTANT) at: string;
  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    description: 'What the amounts were computed from (order, product, quantity, hours …)',
  })
  detail: Record<string, unknown>;
  @ApiProperty({ type: LedgerAmountsDto }) amounts: LedgerAmountsDto;
}

export class ProfitabilityStatementDto extends ProfitFiguresDto {
  @ApiProperty({ type: CustomerRefDto }) customer: CustomerRefDto;
  @ApiProperty({ type: AccountRefDto }) account: AccountRefDto;
  @ApiProperty({ type: PeriodDto }) period: PeriodDto;
  @ApiProperty({ type: [LedgerLineDto], maxItems: 2000 }) lines: LedgerLineDto[];
  @ApiProperty() linesTruncated: boolean;
  @ApiProperty({ type: FreshnessDto }) freshness: FreshnessDto;
}

export class ProfitabilityRowDto extends ProfitFiguresDto {
  @ApiProperty({ format: 'uuid' }) accountId: string;
}

export class ProfitabilityListDto {
  @ApiProperty({ type: PeriodDto }) period: PeriodDto;
  @ApiProperty({ type: [ProfitabilityRowDto], maxItems: 500 }) data: ProfitabilityRowDto[];
  @ApiProperty({ type: FreshnessDto }) freshness: FreshnessDto;
  @ApiProperty({ type: AnalyticsPageMetaDto }) meta: AnalyticsPageMetaDto;
}

export class CohortDto {
  @ApiProperty({ maxLength: 7, pattern: '^\\d{4}-\\d{2}$', example: '2026-01' }) cohort: string;
  @ApiProperty(COUNT) customers: number;
  @ApiProperty({
    type: 'array',
    items: { type: 'integer', minimum: 0, maximum: 2147483647 },
    maxItems: 60,
    description: 'Customers of the cohort buying in month 0, 1, …',
  })
  active: number[];
  @ApiProperty({
    type: 'array',
    items: { type: 'number', minimum: 0, maximum: 1 },
    maxItems: 60,
    description: 'active / customers',
  })
  retention: number[];
}

export class CohortReportDto {
  @ApiProperty({ maxLength: 7, example: '2026-01' }) from: string;
  @ApiProperty({ maxLength: 7, example: '2026-06' }) to: string;
  @ApiProperty({ type: 'integer', minimum: 1, maximum: 60 }) months: number;
  @ApiProperty({ maxLength: 64 }) timeZone: string;
  @ApiProperty({ type: [CohortDto], maxItems: 120 }) cohorts: CohortDto[];
}

export class RecommendationDto {
  @ApiProperty({ format: 'uuid' }) productId: string;
  @ApiProperty({ maxLength: 64, example: 'SRV-CARE' }) sku: string;
  @ApiProperty({
    type: 'object',
    additionalProperties: { type: 'string', maxLength: 200 },
    example: { en: 'Care plan' },
  })
  name: Record<string, string>;
  @ApiProperty({ type: 'string', format: 'uuid', nullable: true }) familyId: string | null;
  @ApiProperty({ type: 'number', minimum: 0, maximum: 1, example: 0.5 }) confidence: number;
  @ApiProperty({ type: 'number', minimum: 0, maximum: 1000000, example: 1.5 }) lift: number;
  @ApiProperty({ type: 'number', minimum: 0, maximum: 1, example: 0.2 }) support: number;
  @ApiProperty({
    type: 'array',
    items: { type: 'string', format: 'uuid' },
    maxItems: 1000,
    description: 'Products the customer bought that lead here',
  })
  becauseOf: string[];
}

export class RecommendationsDto {
  @ApiProperty({ type: CustomerRefDto }) customer: CustomerRefDto;
  @ApiProperty({ type: AccountRefDto }) account: AccountRefDto;
  @ApiProperty({ ...INSTANT, nullable: true, description: 'When the rules were computed' })
  dataAsOf: string | null;
  @ApiProperty({
    type: 'array',
    items: { type: 'string', format: 'uuid' },
    maxItems: 1000,
    description: "Product families the contact's preferences rule out",
  })
  excludedFamilyIds: string[];
  @ApiProperty({ type: [RecommendationDto], maxItems: 100 }) data: RecommendationDto[];
}

export class ReadModelFreshnessDto {
  @ApiProperty({ ...INSTANT, nullable: true }) valuesAsOf: string | null;
  @ApiProperty({ ...INSTANT, nullable: true }) rulesAsOf: string | null;
}
