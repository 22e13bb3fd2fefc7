import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsNotEmpty,
  IsObject,
  IsOptional,
  IsString,
  IsUUID,
  Max,
  MaxLength,
  Min,
  registerDecorator,
  ValidateNested,
} from 'class-validator';
import { ACCOUNT_TYPES } from '#operational/customers/index.js';
import { IsCalendarDate } from '#platform/http/index.js';
import {
  IsDecimalString,
  MoneyDto,
  RecordResponse,
  CustomFieldsInput,
  OwnerIdInput,
  TeamIdInput,
} from '#platform/records/index.js';
import { MAX_CURRENCIES } from '#platform/currency/index.js';
import { LocalizedDescriptionDto, LocalizedNameDto } from '../../dto/localized-text.dto.js';
import { RULE_KINDS } from '../configuration-model.js';

/** Options a bundle or rule may name; a product offering more is split into products. */
export const MAX_OPTIONS_NAMED = 100;

/** A decimal string from 0 to 100. */
function IsPercent() {
  return (target: object, propertyName: string) =>
    registerDecorator({
      name: 'isPercent',
      target: target.constructor,
      propertyName,
      validator: {
        validate: (v: unknown) => typeof v === 'string' && Number(v) >= 0 && Number(v) <= 100,
        defaultMessage: () => `${propertyName} must be a percent from 0 to 100`,
      },
    });
}

const PERCENT = {
  type: 'string',
  maxLength: 26,
  example: '10',
  description: 'Percent off, from 0 to 100',
} as const;

/** `active` in a body: an inactive record is kept but no longer offered. */
function ActiveInput(): PropertyDecorator {
  return applyDecorators(
    ApiPropertyOptional({ type: 'boolean', default: true }),
    IsOptional(),
    IsBoolean(),
  );
}

/** `sortOrder` in a body: lower first. */
function SortOrderInput(): PropertyDecorator {
  return applyDecorators(
    ApiPropertyOptional({ type: 'integer', default: 0, minimum: -100000, maximum: 100000 }),
    IsOptional(),
    IsInt(),
    Min(-100_000),
    Max(100_000),
  );
}

/** An optional quantity bound as a decimal string. */
function QuantityInput(example: string, nullable: boolean): PropertyDecorator {
  return applyDecorators(
    ApiPropertyOptional({ type: 'string', maxLength: 26, nullable, example }),
    IsOptional(),
    IsString(),
    IsDecimalString() as PropertyDecorator,
  );
}

/** The configurable product a record belongs to. */
function ConfigurableProductInput(): PropertyDecorator {
  return applyDecorators(
    ApiProperty({
      type: 'string',
      format: 'uuid',
      description: 'The configurable product; set once',
    }),
    IsUUID('all'),
  );
}

/** A name in at least one language. */
function NameInput(example: LocalizedNameDto): PropertyDecorator {
  return applyDecorators(
    ApiProperty({ type: LocalizedNameDto, example }),
    IsObject(),
    ValidateNested(),
    Type(() => LocalizedNameDto),
  );
}

/** Fields every model record takes: ownership and custom fields. */
class RecordInput {
  @OwnerIdInput() ownerId?: string;
  @TeamIdInput() teamId?: string | null;
}

export class CreateOptionGroupDto extends RecordInput {
  @ConfigurableProductInput() productId: string;

  @NameInput({ en: 'Memory', id: 'Memori' }) name: LocalizedNameDto;

  @ApiPropertyOptional({
    type: 'integer',
    default: 0,
    minimum: 0,
    maximum: 1000,
    description: 'Fewest options a configuration choosing in this group takes',
  })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(1000)
  minChoices?: number;

  @ApiPropertyOptional({
    type: 'integer',
    nullable: true,
    minimum: 1,
    maximum: 1000,
    description: 'Most options; null for no limit',
  })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(1000)
  maxChoices?: number | null;

  @ApiPropertyOptional({
    type: 'boolean',
    default: false,
    description: 'Every configuration chooses at least one option here',
  })
  @IsOptional()
  @IsBoolean()
  required?: boolean;

  @SortOrderInput() sortOrder?: number;

  @ActiveInput() active?: boolean;

  @CustomFieldsInput('product-option-groups') customFields?: Record<string, unknown>;
}

export class UpdateOptionGroupDto extends PartialType(CreateOptionGroupDto) {}

export class OptionGroupDto extends RecordResponse(CreateOptionGroupDto) {
  @ApiProperty({ type: 'integer' }) declare minChoices: number;
  @ApiProperty({ type: 'boolean' }) declare required: boolean;
  @ApiProperty({ type: 'integer' }) declare sortOrder: number;
  @ApiProperty({ type: 'boolean' }) declare active: boolean;
}

export class CreateOptionDto extends RecordInput {
  @ApiProperty({ type: 'string', format: 'uuid', description: 'The option group; set once' })
  @IsUUID('all')
  groupId: string;

  @ApiPropertyOptional({
    type: LocalizedNameDto,
    nullable: true,
    example: { en: '16 GB extra memory', id: 'Tambahan memori 16 GB' },
    description: "Defaults to the option product's name",
  })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => LocalizedNameDto)
  name?: LocalizedNameDto | null;

  @ApiPropertyOptional({
    type: 'string',
    format: 'uuid',
    nullable: true,
    description: 'A product of its own, priced from the price books; set once',
  })
  @IsOptional()
  @IsUUID('all')
  optionProductId?: string | null;

  @ApiPropertyOptional({
    type: [MoneyDto],
    maxItems: MAX_CURRENCIES,
    example: [{ amount: '250000.00', currency: 'IDR' }],
    description: 'A fixed surcharge per unit, one per currency, for an option that is no product',
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(MAX_CURRENCIES)
  @ValidateNested({ each: true })
  @Type(() => MoneyDto)
  surcharges?: MoneyDto[];

  @ApiPropertyOptional({ type: 'boolean', default: false, description: 'Preselected for sellers' })
  @IsOptional()
  @IsBoolean()
  isDefault?: boolean;

  @ApiPropertyOptional({ type: 'string', maxLength: 26, default: '1', example: '1' })
  @IsOptional()
  @IsString()
  @IsDecimalString()
  minQuantity?: string;

  @QuantityInput('4', true) maxQuantity?: string | null;

  @SortOrderInput() sortOrder?: number;

  @ActiveInput() active?: boolean;

  @CustomFieldsInput('product-options') customFields?: Record<string, unknown>;
}

export class UpdateOptionDto extends PartialType(CreateOptionDto) {}

export class OptionDto extends RecordResponse(CreateOptionDto) {
  @ApiProperty({ type: 'string', format: 'uuid', description: 'The configurable product' })
  productId: string;
  @ApiProperty({ type: [MoneyDto], maxItems: MAX_CURRENCIES }) declare surcharges: MoneyDto[];
  @ApiProperty({ type: 'string', maxLength: 26 }) declare minQuantity: string;
}

export class CreateBundleDto extends RecordInput {
  @ConfigurableProductInput() productId: string;

  @NameInput({ en: 'Office pack', id: 'Paket kantor' }) name: LocalizedNameDto;

  @ApiProperty({
    type: 'array',
    items: { type: 'string', format: 'uuid', maxLength: 36 },
    minItems: 2,
    maxItems: MAX_OPTIONS_NAMED,
    description: 'Options of the product; the discount applies when all are chosen',
  })
  @IsArray()
  @ArrayMinSize(2)
  @ArrayMaxSize(MAX_OPTIONS_NAMED)
  @IsUUID('all', { each: true })
  optionIds: string[];

  @ApiProperty(PERCENT)
  @IsString()
  @IsDecimalString()
  @IsPercent()
  discountPercent: string;

  @ActiveInput() active?: boolean;

  @CustomFieldsInput('product-bundles') customFields?: Record<string, unknown>;
}

export class UpdateBundleDto extends PartialType(CreateBundleDto) {}

export class BundleDto extends RecordResponse(CreateBundleDto) {
  @ApiProperty({ type: 'boolean' }) declare active: boolean;
}

export class CreateOptionRuleDto extends RecordInput {
  @ApiProperty({
    type: 'string',
    enum: RULE_KINDS,
    description:
      '`requires`: the option needs all targets; `excludes`: none of the targets may be chosen with it; `only-with`: it needs at least one target; `quantity-limit`: the summed quantity of the option and its targets stays within min/max',
  })
  @IsString()
  @IsIn(RULE_KINDS)
  kind: (typeof RULE_KINDS)[number];

  @ApiProperty({
    type: 'string',
    format: 'uuid',
    description: 'The option the rule is about; set once',
  })
  @IsUUID('all')
  optionId: string;

  @ApiPropertyOptional({
    type: 'array',
    items: { type: 'string', format: 'uuid', maxLength: 36 },
    maxItems: MAX_OPTIONS_NAMED,
    description: 'Other options of the same product',
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(MAX_OPTIONS_NAMED)
  @IsUUID('all', { each: true })
  targetOptionIds?: string[];

  @QuantityInput('1', true) minQuantity?: string | null;

  @QuantityInput('4', true) maxQuantity?: string | null;

  @ApiPropertyOptional({
    type: LocalizedDescriptionDto,
    nullable: true,
    example: { en: 'The docking station needs the USB-C port', id: 'Dok memerlukan port USB-C' },
    description: 'Shown instead of the generated message when the rule is broken',
  })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => LocalizedDescriptionDto)
  message?: LocalizedDescriptionDto | null;

  @ActiveInput() active?: boolean;

  @CustomFieldsInput('product-option-rules') customFields?: Record<string, unknown>;
}

export class UpdateOptionRuleDto extends PartialType(CreateOptionRuleDto) {}

export class OptionRuleDto extends RecordResponse(CreateOptionRuleDto) {
  @ApiProperty({ type: 'string', format: 'uuid', description: 'The configurable product' })
  productId: string;
  @ApiProperty({
    type: 'array',
    items: { type: 'string', format: 'uuid', maxLength: 36 },
    maxItems: MAX_OPTIONS_NAMED,
  })
  declare targetOptionIds: string[];
}

export class CreateConfigurationDiscountDto extends RecordInput {
  @ApiProperty({ type: 'string', maxLength: 200, example: 'Gold partners 2026' })
  @IsString()
  @MaxLength(200)
  @IsNotEmpty()
  name: string;

  @ApiPropertyOptional({
    type: 'string',
    format: 'uuid',
    nullable: true,
    description: 'One configurable product; null for every one',
  })
  @IsOptional()
  @IsUUID('all')
  productId?: string | null;

  @ApiPropertyOptional({ type: 'string', enum: ACCOUNT_TYPES, nullable: true })
  @IsOptional()
  @IsIn(ACCOUNT_TYPES)
  accountType?: string | null;

  @ApiPropertyOptional({ type: 'string', maxLength: 100, nullable: true, example: 'retail' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  industry?: string | null;

  @ApiPropertyOptional({ type: 'string', maxLength: 100, nullable: true, example: 'gold' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  tier?: string | null;

  @ApiProperty(PERCENT)
  @IsString()
  @IsDecimalString()
  @IsPercent()
  discountPercent: string;

  @ApiPropertyOptional({ type: 'string', format: 'date', nullable: true, example: '2026-01-01' })
  @IsOptional()
  @IsCalendarDate()
  validFrom?: string | null;

  @ApiPropertyOptional({ type: 'string', format: 'date', nullable: true, example: '2026-12-31' })
  @IsOptional()
  @IsCalendarDate()
  validTo?: string | null;

  @ActiveInput() active?: boolean;

  @CustomFieldsInput('configuration-discounts') customFields?: Record<string, unknown>;
}

export class UpdateConfigurationDiscountDto extends PartialType(CreateConfigurationDiscountDto) {}

export class ConfigurationDiscountDto extends RecordResponse(CreateConfigurationDiscountDto) {
  @ApiProperty({ type: 'boolean' }) declare active: boolean;
}
