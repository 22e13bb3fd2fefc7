import { ApiProperty } from '@nestjs/swagger';
import { PreferencesDto } from '#operational/marketing/index.js';
import { MoneyDto } from '#platform/records/index.js';
import { RFM_SEGMENTS } from '../segmentation/rfm-segments.js';

const INSTANT = { type: 'string', format: 'date-time', maxLength: 40 } as const;
const NULLABLE_INSTANT = { ...INSTANT, nullable: true } as const;
const COUNT = { type: 'integer', minimum: 0, maximum: 2147483647 } as const;

export class CustomerRefDto {
  @ApiProperty({ enum: ['contact', 'account'] }) kind: 'contact' | 'account';
  @ApiProperty({ format: 'uuid' }) id: string;
}

export class NamedCustomerRefDto extends CustomerRefDto {
  @ApiProperty({ maxLength: 300, example: 'PT Sinar Jaya' }) name: string;
}

export class AccountRefDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ maxLength: 300, example: 'PT Sinar Jaya' }) name: string;
}

export class PurchasesDto {
  @ApiProperty({ ...COUNT, example: 12 }) orders: number;
  @ApiProperty({ type: MoneyDto, description: 'Net of discounts and returns' })
  lifetimeRevenue: MoneyDto;
  @ApiProperty({ type: MoneyDto, nullable: true }) averageOrderValue: MoneyDto | null;
  @ApiProperty(NULLABLE_INSTANT) firstPurchaseAt: string | null;
  @ApiProperty(NULLABLE_INSTANT) lastPurchaseAt: string | null;
}

export class OpenOpportunitiesDto {
  @ApiProperty({ ...COUNT, example: 2 }) count: number;
  @ApiProperty({ type: MoneyDto }) amount: MoneyDto;
}

export class LastContactDto {
  @ApiProperty(INSTANT) at: string;
  @ApiProperty({
    maxLength: 40,
    example: 'activity:meeting',
    description: '`activity:<type>`, `call` or `message:<channel>`',
  })
  channel: string;
}

export class CampaignResponsesDto {
  @ApiProperty({ ...COUNT, example: 3 }) count: number;
  @ApiProperty(NULLABLE_INSTANT) lastAt: string | null;
}

export class SegmentRefDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ maxLength: 200, example: 'Jakarta retail buyers' }) name: string;
}

export class RfmDto {
  @ApiProperty({ ...COUNT, example: 21, description: 'Days since the last purchase' })
  recencyDays: number;
  @ApiProperty({ ...COUNT, example: 4, description: 'Orders in the RFM window' })
  frequency: number;
  @ApiProperty({ type: MoneyDto, description: 'Net revenue in the RFM window' })
  monetary: MoneyDto;
  @ApiProperty({ type: 'integer', minimum: 1, maximum: 5, example: 5 }) r: number;
  @ApiProperty({ type: 'integer', minimum: 1, maximum: 5, example: 4 }) f: number;
  @ApiProperty({ type: 'integer', minimum: 1, maximum: 5, example: 4 }) m: number;
  @ApiProperty({ maxLength: 3, pattern: '^[1-5]{3}$', example: '544' }) score: string;
  @ApiProperty({ enum: RFM_SEGMENTS, example: 'champions' }) segment: string;
  @ApiProperty({ maxLength: 50, example: 'gold' }) tier: string;
}

export class RevenueFiguresDto {
  @ApiProperty({ type: MoneyDto, description: 'Quantity × unit price of sale lines' })
  grossSales: MoneyDto;
  @ApiProperty({ type: MoneyDto }) discounts: MoneyDto;
  @ApiProperty({ type: MoneyDto, description: 'Net value of credit lines' }) returns: MoneyDto;
  @ApiProperty({ type: MoneyDto, description: 'grossSales − discounts − returns' })
  netRevenue: MoneyDto;
}

export class CostFiguresDto {
  @ApiProperty({ type: MoneyDto, description: 'Quantity × catalog cost price' })
  productCost: MoneyDto;
  @ApiProperty({
    type: MoneyDto,
    description: 'discounts + productCost (discounts are already taken from net revenue)',
  })
  costOfServing: MoneyDto;
  @ApiProperty({ type: MoneyDto }) acquisition: MoneyDto;
  @ApiProperty({ type: MoneyDto }) enhancement: MoneyDto;
  @ApiProperty({ type: MoneyDto }) retention: MoneyDto;
}

export class ProfitFiguresDto {
  @ApiProperty({ type: RevenueFiguresDto }) revenue: RevenueFiguresDto;
  @ApiProperty({ type: CostFiguresDto }) costs: CostFiguresDto;
  @ApiProperty({ type: MoneyDto, description: 'netRevenue − productCost' }) grossProfit: MoneyDto;
  @ApiProperty({
    type: MoneyDto,
    description: 'grossProfit − acquisition − enhancement − retention',
  })
  profit: MoneyDto;
}

export class ClvDto {
  @ApiProperty({ enum: ['retention'], description: 'm × r / (1 + d − r), see README' })
  model: 'retention';
  @ApiProperty({ type: MoneyDto, description: 'Gross profit per year of tenure (m)' })
  annualMargin: MoneyDto;
  @ApiProperty({ type: 'number', minimum: 0, maximum: 1, example: 0.6 }) retentionRate: number;
  @ApiProperty({ type: 'number', minimum: 0, maximum: 1, example: 0.1 }) discountRate: number;
  @ApiProperty({ type: MoneyDto }) value: MoneyDto;
}

export class ChurnReasonDto {
  @ApiProperty({ enum: ['recency', 'frequency_trend', 'open_complaints', 'sla_breaches'] })
  code: string;
  @ApiProperty({ type: 'number', minimum: 0, maximum: 100, example: 20 }) points: number;
  @ApiProperty({
    type: 'number',
    minimum: -2147483647,
    maximum: 2147483647,
    example: 182,
    description: 'Days, change in orders, complaints or breached cases',
  })
  value: number;
}

export class ChurnRiskDto {
  @ApiProperty({ type: 'integer', minimum: 0, maximum: 100, example: 64 }) score: number;
  @ApiProperty({ enum: ['low', 'medium', 'high'] }) level: string;
  @ApiProperty({ type: [ChurnReasonDto], maxItems: 4 }) reasons: ChurnReasonDto[];
}

export class FreshnessDto {
  @ApiProperty({ ...INSTANT, description: 'When the live parts were read (this answer)' })
  liveAsOf: string;
  @ApiProperty({
    type: [String],
    maxItems: 20,
    items: { type: 'string', maxLength: 40 },
    example: ['purchases', 'profitability'],
    description:
      'Parts read from operational records as of `liveAsOf`: they count only the records you may read, which a ' +
      'read model shared by every caller cannot, and a ledger line points at its record',
  })
  live: string[];
  @ApiProperty({ ...NULLABLE_INSTANT, description: 'When the read model parts were computed' })
  readModelAsOf: string | null;
  @ApiProperty({
    type: [String],
    maxItems: 20,
    items: { type: 'string', maxLength: 40 },
    example: ['rfm', 'clv', 'churnRisk'],
    description: 'Parts read from the customer values read model, as of `readModelAsOf`',
  })
  readModel: string[];
}

export class CustomerProfileDto {
  @ApiProperty({ type: NamedCustomerRefDto }) customer: NamedCustomerRefDto;
  @ApiProperty({ type: AccountRefDto, nullable: true }) account: AccountRefDto | null;
  @ApiProperty({ maxLength: 3, example: 'IDR', description: 'Reporting currency' })
  currency: string;
  @ApiProperty({ ...NULLABLE_INSTANT, description: 'When RFM scores and tiers were computed' })
  dataAsOf: string | null;
  @ApiProperty({ type: PurchasesDto }) purchases: PurchasesDto;
  @ApiProperty({ type: OpenOpportunitiesDto, nullable: true })
  openOpportunities: OpenOpportunitiesDto | null;
  @ApiProperty({ ...COUNT, nullable: true, example: 1 }) openCases: number | null;
  @ApiProperty({ type: LastContactDto, nullable: true }) lastContact: LastContactDto | null;
  @ApiProperty({ type: CampaignResponsesDto, nullable: true })
  campaignResponses: CampaignResponsesDto | null;
  @ApiProperty({ type: PreferencesDto, nullable: true }) preferences: PreferencesDto | null;
  @ApiProperty({ type: [SegmentRefDto], maxItems: 10000 }) segments: SegmentRefDto[];
  @ApiProperty({ type: RfmDto, nullable: true }) rfm: RfmDto | null;
  @ApiProperty({ type: ProfitFiguresDto, nullable: true, description: 'Lifetime' })
  profitability: ProfitFiguresDto | null;
  @ApiProperty({ type: ClvDto, nullable: true }) clv: ClvDto | null;
  @ApiProperty({ type: ChurnRiskDto, nullable: true }) churnRisk: ChurnRiskDto | null;
  @ApiProperty({ type: FreshnessDto, description: 'How fresh each part of the profile is' })
  freshness: FreshnessDto;
}
