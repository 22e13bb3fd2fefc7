import { ApiProperty } from '@nestjs/swagger';
import { IsString, registerDecorator } from 'class-validator';
import { isCurrencyCode } from '#platform/currency/currency-codes.js';

/** ISO 4217 code known to the runtime's currency table. */
export function IsCurrencyCode() {
  return (target: object, propertyName: string) =>
    registerDecorator({
      name: 'isISO4217CurrencyCode',
      target: target.constructor,
      propertyName,
      validator: {
        validate: isCurrencyCode,
        defaultMessage: () => `${propertyName} must be an ISO 4217 currency code`,
      },
    });
}

const DECIMAL = /^-?\d{1,18}(\.\d{1,6})?$/;

export function IsDecimalString() {
  return (target: object, propertyName: string) =>
    registerDecorator({
      name: 'isDecimal',
      target: target.constructor,
      propertyName,
      validator: {
        validate: (v: unknown) => typeof v === 'string' && DECIMAL.test(v),
        defaultMessage: () => `${propertyName} must be a decimal string such as "1250.00"`,
      },
    });
}

/**
 * Money as a decimal string and a currency. The amount is stored as given (numeric keeps its
 * scale), so nothing is rounded: more than 18 integer or 6 fraction digits is refused instead.
 */
export class MoneyDto {
  @ApiProperty({ maxLength: 26, example: '1250000.00', pattern: '^-?\\d{1,18}(\\.\\d{1,6})?$' })
  @IsString()
  @IsDecimalString()
  amount: string;

  @ApiProperty({ maxLength: 3, example: 'IDR', description: 'ISO 4217 code' })
  @IsString()
  @IsCurrencyCode()
  currency: string;
}
