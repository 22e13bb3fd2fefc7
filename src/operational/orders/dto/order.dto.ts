import { ApiProperty, ApiPropertyOptional, OmitType, PartialType, PickType } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsIn,
  IsNotEmpty,
  IsObject,
  IsOptional,
  IsString,
  IsUUID,
  MaxLength,
  ValidateNested,
} from 'class-validator';
import {
  IsCurrencyCode,
  IsDecimalString,
  MoneyDto,
  IsInstant,
  RecordResponse,
  CustomFieldsInput,
  OwnerIdInput,
  TeamIdInput,
} from '#platform/records/index.js';
import { CreateOpportunityLineDto } from '#operational/sales/index.js';
import { ORDER_STATUSES } from '../order-status.js';
import { TrackingEventDto } from './tracking-event.dto.js';

export const MAX_ORDER_LINES = 500;

/** A line to order: as an opportunity line, priced on the order day in the order's currency. */
export class OrderLineInputDto extends PickType(CreateOpportunityLineDto, [
  'productId',
  'configurationId',
  'description',
  'quantity',
  'discountPercent',
] as const) {
  @ApiPropertyOptional({
    type: MoneyDto,
    example: { amount: '12500000', currency: 'IDR' },
    description:
      "In the order's currency; without it the price books of that currency price the line on the order day",
  })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => MoneyDto)
  unitPrice?: MoneyDto;
}

export class CreateOrderDto {
  @ApiProperty({ format: 'uuid', description: 'Set once' })
  @IsNotEmpty()
  @IsUUID('all')
  accountId: string;

  @ApiPropertyOptional({ type: 'string', format: 'uuid', nullable: true })
  @IsOptional()
  @IsUUID('all')
  contactId?: string | null;

  @ApiPropertyOptional({ type: 'string', format: 'uuid', nullable: true, description: 'Set once' })
  @IsOptional()
  @IsUUID('all')
  opportunityId?: string | null;

  @ApiPropertyOptional({
    type: 'string',
    example: 'IDR',
    maxLength: 3,
    description: "ISO 4217; defaults to the organization's currency. Set once",
  })
  @IsOptional()
  @IsString()
  @IsCurrencyCode()
  currency?: string;

  @ApiPropertyOptional({
    type: 'string',
    format: 'date-time',
    maxLength: 40,
    description: 'When the customer ordered; defaults to now. Set once',
  })
  @IsOptional()
  @IsString()
  @MaxLength(40)
  @IsInstant()
  orderedAt?: string;

  @ApiPropertyOptional({ type: 'string', maxLength: 5000, nullable: true })
  @IsOptional()
  @IsString()
  @MaxLength(5000)
  notes?: string | null;

  @ApiProperty({ type: [OrderLineInputDto], minItems: 1, maxItems: MAX_ORDER_LINES })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_ORDER_LINES)
  @ValidateNested({ each: true })
  @Type(() => OrderLineInputDto)
  lines: OrderLineInputDto[];

  @OwnerIdInput()
  ownerId?: string;

  @TeamIdInput()
  teamId?: string | null;

  @CustomFieldsInput('orders')
  customFields?: Record<string, unknown>;
}

export class UpdateOrderDto extends PartialType(
  PickType(CreateOrderDto, ['contactId', 'notes', 'ownerId', 'teamId', 'customFields'] as const),
) {
  @ApiPropertyOptional({ enum: ORDER_STATUSES })
  @IsOptional()
  @IsIn(ORDER_STATUSES)
  status?: string;
}

export class TaxByCategoryDto {
  @ApiProperty({ example: 'standard', maxLength: 50 }) category: string;
  @ApiProperty({ example: '11', maxLength: 10, description: 'Percent' }) rate: string;
  @ApiProperty({ example: '25000000', maxLength: 26 }) base: string;
  @ApiProperty({ example: '2750000', maxLength: 26 }) tax: string;
}

export class OrderLineDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: 1 }) lineNo: number;
  @ApiProperty({ enum: ['sale', 'credit'] }) kind: string;
  @ApiProperty({ type: 'string', format: 'uuid', nullable: true }) creditOfLineId: string | null;
  @ApiProperty({ format: 'uuid' }) productId: string;
  @ApiProperty({ type: 'string', format: 'uuid', nullable: true }) configurationId: string | null;
  @ApiProperty({ maxLength: 64 }) sku: string;
  @ApiProperty({ maxLength: 400 }) productName: string;
  @ApiProperty({ type: 'string', maxLength: 2000, nullable: true }) description: string | null;
  @ApiProperty({ example: '2', maxLength: 26, description: 'Negative on a credit line' })
  quantity: string;
  @ApiProperty({ type: MoneyDto }) unitPrice: MoneyDto;
  @ApiProperty({ example: '0', maxLength: 26 }) discountPercent: string;
  @ApiProperty({ example: 'standard', maxLength: 50 }) taxCategory: string;
  @ApiProperty({ example: '11', maxLength: 10 }) taxRate: string;
  @ApiProperty({ type: MoneyDto, description: 'After discount, before tax' }) net: MoneyDto;
  @ApiProperty({
    example: '0',
    maxLength: 26,
    description: 'On a sale line: how much of it came back so far',
  })
  returnedQuantity: string;
  @ApiProperty({ format: 'date-time', description: 'Order time; return time on a credit line' })
  bookedAt: string;
  @ApiProperty({ type: 'string', maxLength: 2000, nullable: true }) reason: string | null;
}

export class OrderDto extends RecordResponse(OmitType(CreateOrderDto, ['lines'] as const)) {
  @ApiProperty({ example: 'SO-000042', maxLength: 20 }) number: string;
  @ApiProperty({ enum: ORDER_STATUSES }) status: string;
  @ApiProperty({ example: 'IDR', maxLength: 3 }) declare currency: string;
  @ApiProperty({ format: 'date-time' }) declare orderedAt: string;
  @ApiProperty({ format: 'date-time' }) statusChangedAt: string;
  @ApiProperty({
    type: 'string',
    format: 'uuid',
    nullable: true,
    description:
      'The accepted quote the order was placed from by POST /api/v1/quotes/{id}/order; a quote has one live order at most. POST /api/v1/orders does not take it',
  })
  quoteId: string | null;
  @ApiProperty({ type: MoneyDto }) subtotal: MoneyDto;
  @ApiProperty({ type: MoneyDto }) taxTotal: MoneyDto;
  @ApiProperty({ type: MoneyDto }) total: MoneyDto;
  @ApiProperty({ type: [TaxByCategoryDto], maxItems: 100 }) taxes: TaxByCategoryDto[];
  @ApiPropertyOptional({
    type: [OrderLineDto],
    maxItems: 10000,
    description: 'On reads of one order: its lines, sales then credits',
  })
  lines?: OrderLineDto[];
  @ApiPropertyOptional({
    type: [TrackingEventDto],
    maxItems: 10000,
    description: 'On reads of one order: its tracking events, oldest first',
  })
  trackingEvents?: TrackingEventDto[];
  @ApiProperty({ type: 'string', format: 'uuid', nullable: true }) declare teamId: string | null;
}

export class ReturnLineDto {
  @ApiProperty({ format: 'uuid', description: 'A sale line of the order' })
  @IsNotEmpty()
  @IsUUID('all')
  lineId: string;

  @ApiProperty({
    type: 'string',
    example: '1',
    maxLength: 26,
    description: 'More than zero; at most what was delivered and not returned yet',
  })
  @IsString()
  @IsDecimalString()
  quantity: string;
}

export class OrderReturnDto {
  @ApiProperty({ type: [ReturnLineDto], minItems: 1, maxItems: MAX_ORDER_LINES })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_ORDER_LINES)
  @ValidateNested({ each: true })
  @Type(() => ReturnLineDto)
  lines: ReturnLineDto[];

  @ApiPropertyOptional({ type: 'string', maxLength: 2000, example: 'Damaged in transit' })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  reason?: string;

  @ApiPropertyOptional({
    type: 'string',
    format: 'date-time',
    maxLength: 40,
    description: 'When the goods came back; defaults to now',
  })
  @IsOptional()
  @IsString()
  @MaxLength(40)
  @IsInstant()
  returnedAt?: string;
}
