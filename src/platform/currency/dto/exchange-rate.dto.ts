import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsNotEmpty, IsString, registerDecorator, ValidateIf } from 'class-validator';
import { IsCalendarDate } from '#platform/http/is-calendar-date.validator.js';
import { IsCurrencyCode } from '#platform/records/dto/money.dto.js';
import { ListMetaDto } from '#platform/records/dto/list.dto.js';

/** Twelve digits each side reach from IDR per BTC to BTC per IDR without rounding a rate. */
export const RATE_PATTERN = /^\d{1,12}(\.\d{1,12})?$/;

/** A rate as a decimal string above zero: a zero or negative rate would convert to nonsense. */
export function IsPositiveRate() {
  return (target: object, propertyName: string) =>
    registerDecorator({
      name: 'positiveDecimal',
      target: target.constructor,
      propertyName,
      validator: {
        validate: (v: unknown) => typeof v === 'string' && RATE_PATTERN.test(v) && /[1-9]/.test(v),
        defaultMessage: () => `${propertyName} must be a decimal string greater than 0`,
      },
    });
}

const FROM_DOC = {
  maxLength: 3,
  example: 'USD',
  description: 'ISO 4217 code of the currency converted from',
};
const TO_DOC = {
  maxLength: 3,
  example: 'IDR',
  description: 'ISO 4217 code of the currency converted to',
};
const RATE_DOC = {
  maxLength: 25,
  example: '16250.5',
  pattern: RATE_PATTERN.source,
  description: 'Units of toCurrency per unit of fromCurrency, as a decimal string above 0',
};
const VALID_FROM_DOC = {
  example: '2026-03-01',
  format: 'date',
  description: 'The rate applies from this day until the next rate of the pair',
};

const present = (_: object, v: unknown) => v !== undefined;

export class CreateExchangeRateDto {
  @ApiProperty(FROM_DOC)
  @IsNotEmpty()
  @IsString()
  @IsCurrencyCode()
  fromCurrency: string;

  @ApiProperty(TO_DOC)
  @IsNotEmpty()
  @IsString()
  @IsCurrencyCode()
  toCurrency: string;

  @ApiProperty(RATE_DOC)
  @IsNotEmpty()
  @IsString()
  @IsPositiveRate()
  rate: string;

  @ApiProperty(VALID_FROM_DOC)
  @IsNotEmpty()
  @IsCalendarDate()
  validFrom: string;
}

export class UpdateExchangeRateDto {
  @ApiPropertyOptional(FROM_DOC)
  @ValidateIf(present)
  @IsString()
  @IsCurrencyCode()
  fromCurrency?: string;

  @ApiPropertyOptional(TO_DOC)
  @ValidateIf(present)
  @IsString()
  @IsCurrencyCode()
  toCurrency?: string;

  @ApiPropertyOptional(RATE_DOC)
  @ValidateIf(present)
  @IsString()
  @IsPositiveRate()
  rate?: string;

  @ApiPropertyOptional(VALID_FROM_DOC)
  @ValidateIf(present)
  @IsCalendarDate()
  validFrom?: string;
}

export class ExchangeRateDto {
  @ApiProperty({ format: 'uuid', example: '0192f3a1-7c2e-7d41-9a55-3f1f0c9b8e21' }) id: string;
  @ApiProperty({ maxLength: 3, example: 'USD' }) fromCurrency: string;
  @ApiProperty({ maxLength: 3, example: 'IDR' }) toCurrency: string;
  @ApiProperty({ maxLength: 25, example: '16250.5' }) rate: string;
  @ApiProperty({ format: 'date', example: '2026-03-01' }) validFrom: string;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) createdById: string | null;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) updatedById: string | null;
  @ApiProperty({ format: 'date-time', example: '2026-02-28T08:00:00.000Z' }) createdAt: string;
  @ApiProperty({ format: 'date-time', example: '2026-02-28T08:00:00.000Z' }) updatedAt: string;
  @ApiProperty({ example: 1 }) version: number;
}

export class ExchangeRateListDto {
  @ApiProperty({ type: [ExchangeRateDto], maxItems: 500 }) data: ExchangeRateDto[];
  @ApiProperty({ type: ListMetaDto }) meta: ListMetaDto;
}

export class EffectiveRateDto {
  @ApiProperty({ maxLength: 3, example: 'USD' }) fromCurrency: string;
  @ApiProperty({ maxLength: 3, example: 'IDR' }) toCurrency: string;
  @ApiProperty({ format: 'date', example: '2026-03-15' }) date: string;
  @ApiProperty({
    maxLength: 26,
    example: '16250.5',
    description:
      'Units of toCurrency per unit of fromCurrency on that date (1 for the same currency)',
  })
  rate: string;
  @ApiProperty({
    example: false,
    description:
      'True when only the opposite pair is on file for the date: its rate is inverted (1 / rate)',
  })
  inverse: boolean;
  @ApiProperty({
    type: String,
    format: 'uuid',
    nullable: true,
    description: 'The exchange rate applied; null for the same currency',
  })
  exchangeRateId: string | null;
  @ApiProperty({ type: String, format: 'date', nullable: true, example: '2026-03-01' })
  validFrom: string | null;
}
