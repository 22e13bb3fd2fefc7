import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsNotEmpty,
  IsOptional,
  IsString,
  IsUUID,
  MaxLength,
  registerDecorator,
  ValidateNested,
} from 'class-validator';
import { IsCalendarDate } from '#platform/http/index.js';
import {
  IsCurrencyCode,
  IsDecimalString,
  MoneyDto,
  RecordResponse,
  CustomFieldsInput,
  OwnerIdInput,
  TeamIdInput,
} from '#platform/records/index.js';
import { LINE_KINDS, type LineKind } from '../configuration-pricing.js';
import { VIOLATION_CODES, type ViolationCode } from '../configuration-rules.js';

/** Selections one configuration may hold. */
export const MAX_SELECTIONS = 200;
/** Lines a priced configuration may have: the product, two per selection, the discounts. */
export const MAX_LINES = 1 + MAX_SELECTIONS * 2 + MAX_SELECTIONS + 1;
const MAX_VIOLATIONS = 1000;

/** A decimal string above zero. */
function IsPositiveDecimal() {
  return (target: object, propertyName: string) =>
    registerDecorator({
      name: 'isPositive',
      target: target.constructor,
      propertyName,
      validator: {
        validate: (v: unknown) => typeof v === 'string' && Number(v) > 0,
        defaultMessage: () => `${propertyName} must be more than zero`,
      },
    });
}

const QUANTITY = {
  type: 'string',
  maxLength: 26,
  example: '2',
  pattern: '^\\d{1,18}(\\.\\d{1,6})?$',
} as const;

export class SelectionDto {
  @ApiProperty({ type: 'string', format: 'uuid', maxLength: 36 })
  @IsUUID('all')
  optionId: string;

  @ApiPropertyOptional({
    ...QUANTITY,
    description: "Per unit of the configured product; defaults to the option's minimum quantity",
  })
  @IsOptional()
  @IsString()
  @IsDecimalString()
  @IsPositiveDecimal()
  quantity?: string;
}

/** What a configuration is: a product, its options, for whom, in which currency and quantity. */
export class ConfigurationRequestDto {
  @ApiProperty({ type: 'string', format: 'uuid', maxLength: 36 })
  @IsUUID('all')
  productId: string;

  @ApiProperty({ type: 'string', maxLength: 3, example: 'IDR', description: 'ISO 4217' })
  @IsString()
  @IsCurrencyCode()
  currency: string;

  @ApiPropertyOptional({
    type: 'string',
    format: 'uuid',
    maxLength: 36,
    nullable: true,
    description: 'Picks price books and segment discounts; without it only those for every account',
  })
  @IsOptional()
  @IsUUID('all')
  accountId?: string | null;

  @ApiProperty({ ...QUANTITY, description: 'Units of the configured product; more than zero' })
  @IsString()
  @IsDecimalString()
  @IsPositiveDecimal()
  quantity: string;

  @ApiProperty({ type: [SelectionDto], maxItems: MAX_SELECTIONS })
  @IsArray()
  @ArrayMaxSize(MAX_SELECTIONS)
  @ValidateNested({ each: true })
  @Type(() => SelectionDto)
  selections: SelectionDto[];

  @ApiPropertyOptional({
    type: 'string',
    format: 'date',
    maxLength: 10,
    nullable: true,
    example: '2026-05-04',
    description: "The day to check and price on; defaults to today in the organization's time zone",
  })
  @IsOptional()
  @IsCalendarDate()
  day?: string | null;
}

/** The query of POST /configurations/{id}/price. */
export class PriceSavedQueryDto {
  @ApiPropertyOptional({ type: 'string', format: 'date', maxLength: 10, example: '2026-05-04' })
  @IsOptional()
  @IsCalendarDate()
  day?: string;
}

export class ViolationDto {
  @ApiProperty({ type: 'string', enum: VIOLATION_CODES }) code: ViolationCode;
  @ApiProperty({ type: 'string', format: 'uuid', nullable: true }) ruleId: string | null;
  @ApiProperty({ type: 'string', format: 'uuid', nullable: true }) groupId: string | null;
  @ApiProperty({
    type: 'array',
    items: { type: 'string', format: 'uuid', maxLength: 36 },
    maxItems: MAX_SELECTIONS,
  })
  optionIds: string[];
  @ApiProperty({
    type: 'string',
    maxLength: 10000,
    example: 'Docking station cannot be combined with USB-A hub.',
    description: 'In the language of Accept-Language; a rule’s own message when it has one',
  })
  message: string;
}

export class ValidationResultDto {
  @ApiProperty({ type: 'boolean' }) valid: boolean;
  @ApiProperty({ type: [ViolationDto], maxItems: MAX_VIOLATIONS }) violations: ViolationDto[];
}

export class PricedLineDto {
  @ApiProperty({ type: 'string', enum: LINE_KINDS }) kind: LineKind;
  @ApiProperty({
    type: 'string',
    format: 'uuid',
    description: 'The product, option (surcharge), bundle or segment discount',
  })
  refId: string;
  @ApiProperty({ type: 'string', format: 'uuid', nullable: true }) optionId: string | null;
  @ApiProperty({ type: 'string', maxLength: 64, nullable: true, example: 'RAM-16' })
  sku: string | null;
  @ApiProperty({ type: 'string', maxLength: 200, example: 'Memori 16 GB' }) description: string;
  @ApiProperty({ type: 'string', maxLength: 60, nullable: true, example: '20' })
  quantity: string | null;
  @ApiProperty({ type: MoneyDto, nullable: true }) unitPrice: MoneyDto | null;
  @ApiProperty({
    type: 'string',
    maxLength: 26,
    nullable: true,
    example: '10',
    description: 'The volume tier reached: minimum quantity of the price book entry used',
  })
  tierMinQuantity: string | null;
  @ApiProperty({ type: 'string', format: 'uuid', nullable: true }) priceBookId: string | null;
  @ApiProperty({ type: 'string', format: 'uuid', nullable: true }) entryId: string | null;
  @ApiProperty({ type: 'string', maxLength: 26, nullable: true, example: '5' })
  percent: string | null;
  @ApiProperty({ type: MoneyDto, description: 'Rounded to the minor unit; negative for discounts' })
  amount: MoneyDto;
}

export class PricedConfigurationDto {
  @ApiProperty({ type: 'string', format: 'uuid' }) productId: string;
  @ApiProperty({ type: 'string', format: 'uuid', nullable: true }) accountId: string | null;
  @ApiProperty({ type: 'string', maxLength: 3, example: 'IDR' }) currency: string;
  @ApiProperty({ type: 'string', maxLength: 26, example: '2' }) quantity: string;
  @ApiProperty({ type: 'string', format: 'date' }) date: string;
  @ApiProperty({ type: [SelectionDto], maxItems: MAX_SELECTIONS }) selections: SelectionDto[];
  @ApiProperty({ type: [PricedLineDto], maxItems: MAX_LINES }) lines: PricedLineDto[];
  @ApiProperty({ type: MoneyDto }) subtotal: MoneyDto;
  @ApiProperty({ type: MoneyDto, description: 'Bundle and segment discounts, zero or negative' })
  discountTotal: MoneyDto;
  @ApiProperty({ type: MoneyDto, description: 'The sum of the lines' }) total: MoneyDto;
}

export class CreateConfigurationDto extends ConfigurationRequestDto {
  @ApiPropertyOptional({ type: 'string', maxLength: 200, nullable: true, example: 'Laptop tim IT' })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  name?: string | null;

  @OwnerIdInput() ownerId?: string;
  @TeamIdInput() teamId?: string | null;
  @CustomFieldsInput('configurations') customFields?: Record<string, unknown>;
}

export class UpdateConfigurationDto extends PartialType(CreateConfigurationDto) {}

export class ConfigurationDto extends RecordResponse(CreateConfigurationDto) {
  @ApiProperty({ type: [PricedLineDto], maxItems: MAX_LINES }) lines: PricedLineDto[];
  @ApiProperty({ type: MoneyDto }) total: MoneyDto;
  @ApiProperty({ type: 'string', format: 'date-time' }) pricedAt: string;
}
