import { PERCENT, PERCENT_DOC } from '#operational/catalog/index.js';
import { ApiProperty, ApiPropertyOptional, OmitType, PartialType } from '@nestjs/swagger';
import { IsBoolean, IsIn, IsOptional, IsString, IsUUID, Matches, MaxLength } from 'class-validator';
import { IsCalendarDate } from '#platform/http/index.js';
import {
  IsCurrencyCode,
  MoneyDto,
  RecordResponse,
  CustomFieldsInput,
  OwnerIdInput,
  TeamIdInput,
} from '#platform/records/index.js';
import { QUOTE_LANGUAGES } from '../quotes.config.js';
import { QUOTE_STATUSES } from '../quotes.definitions.js';

/** A percent from 0 to 100 with up to 4 decimals, as a string. */
export { PERCENT, PERCENT_DOC } from '#operational/catalog/index.js';

export class CreateQuoteDto {
  @ApiPropertyOptional({
    format: 'uuid',
    description: "The deal quoted: its account, currency and primary contact become the quote's",
  })
  @IsOptional()
  @IsUUID('all')
  opportunityId?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'Required without opportunityId' })
  @IsOptional()
  @IsUUID('all')
  accountId?: string;

  @ApiPropertyOptional({ type: 'string', format: 'uuid', nullable: true })
  @IsOptional()
  @IsUUID('all')
  contactId?: string | null;

  @ApiPropertyOptional({
    example: 'IDR',
    maxLength: 3,
    description: "ISO 4217; defaults to the opportunity's amount currency, else the organization's",
  })
  @IsOptional()
  @IsString()
  @MaxLength(3)
  @IsCurrencyCode()
  currency?: string;

  @ApiPropertyOptional({
    type: 'string',
    format: 'uuid',
    nullable: true,
    description: 'Prices of lines come from this book only; it must be in the quote currency',
  })
  @IsOptional()
  @IsUUID('all')
  priceBookId?: string | null;

  @ApiPropertyOptional({
    enum: QUOTE_LANGUAGES,
    description: "The proposal's language; defaults to the contact's preferred language, else en",
  })
  @IsOptional()
  @IsIn(QUOTE_LANGUAGES)
  language?: string;

  @ApiPropertyOptional({
    type: 'string',
    format: 'date',
    example: '2026-06-30',
    description: 'Last day the offer holds; defaults to today plus quotes.defaultValidityDays',
  })
  @IsOptional()
  @IsCalendarDate()
  validUntil?: string;

  @ApiPropertyOptional({ ...PERCENT_DOC, example: '5', default: '0' })
  @IsOptional()
  @IsString()
  @Matches(PERCENT, { message: 'headerDiscountPercent must be a percent from 0 to 100' })
  headerDiscountPercent?: string;

  @ApiPropertyOptional({ type: 'string', nullable: true, maxLength: 5000 })
  @IsOptional()
  @IsString()
  @MaxLength(5000)
  notes?: string | null;

  @ApiPropertyOptional({
    type: 'string',
    nullable: true,
    maxLength: 10000,
    description: "Printed on the proposal instead of the configured terms of the quote's language",
  })
  @IsOptional()
  @IsString()
  @MaxLength(10000)
  terms?: string | null;

  @OwnerIdInput()
  ownerId?: string;

  @TeamIdInput()
  teamId?: string | null;

  @CustomFieldsInput('quotes')
  customFields?: Record<string, unknown>;
}

export class UpdateQuoteDto extends PartialType(
  OmitType(CreateQuoteDto, ['opportunityId', 'accountId', 'currency'] as const),
) {}

/** The body of POST /opportunities/{id}/quotes: the opportunity gives account and currency. */
export class CreateOpportunityQuoteDto extends OmitType(CreateQuoteDto, [
  'opportunityId',
  'accountId',
] as const) {}

export class QuoteTaxDto {
  @ApiProperty({ type: 'string', maxLength: 50, example: 'standard' }) category: string;
  @ApiProperty({ type: 'string', maxLength: 10, example: '11' }) rate: string;
  @ApiProperty({ type: MoneyDto }) base: MoneyDto;
  @ApiProperty({ type: MoneyDto }) amount: MoneyDto;
}

const stamp = (description?: string) =>
  ApiProperty({ type: 'string', format: 'date-time', nullable: true, description });
const userRef = () => ApiProperty({ type: 'string', format: 'uuid', nullable: true });

export class QuoteDto extends RecordResponse(CreateQuoteDto) {
  @ApiProperty({ type: 'string', maxLength: 40, example: 'Q-2026-000123' }) number: string;
  @ApiProperty({
    type: 'integer',
    example: 1,
    minimum: 1,
    maximum: 2147483647,
    description: 'Version of the quote; a revision adds one',
  })
  revision: number;
  @ApiProperty({ type: 'string', enum: QUOTE_STATUSES }) status: string;
  @ApiProperty({ format: 'uuid' }) declare accountId: string;
  @ApiProperty({ type: 'string', format: 'uuid', nullable: true }) declare opportunityId: string;
  @ApiProperty({ type: 'string', maxLength: 3, example: 'IDR' }) declare currency: string;
  @ApiProperty({ enum: QUOTE_LANGUAGES }) declare language: string;
  @ApiProperty({ type: 'string', format: 'date' }) declare validUntil: string;
  @ApiProperty({ ...PERCENT_DOC, example: '0' }) declare headerDiscountPercent: string;
  @ApiProperty({ type: 'boolean', description: "A discount exceeded the submitter's limit" })
  approvalRequired: boolean;
  @stamp() submittedAt: string | null;
  @userRef() submittedById: string | null;
  @stamp() approvedAt: string | null;
  @userRef() approvedById: string | null;
  @stamp() sentAt: string | null;
  @stamp('When the customer accepted or rejected it') decidedAt: string | null;
  @ApiProperty({ type: 'string', nullable: true, maxLength: 2000 }) rejectionReason: string | null;
  @stamp() expiredAt: string | null;
  @userRef() previousRevisionId: string | null;
  @userRef() supersededById: string | null;
  @ApiProperty({ type: 'integer', example: 3, minimum: 0, maximum: 2147483647 }) lineCount: number;
  @ApiProperty({ type: MoneyDto, description: 'Sum of line nets (after line discounts)' })
  subtotal: MoneyDto;
  @ApiProperty({ type: MoneyDto }) lineDiscountTotal: MoneyDto;
  @ApiProperty({ type: MoneyDto }) headerDiscount: MoneyDto;
  @ApiProperty({ type: MoneyDto, description: 'Line discounts plus the header discount' })
  discountTotal: MoneyDto;
  @ApiProperty({ type: [QuoteTaxDto], maxItems: 50 }) taxes: QuoteTaxDto[];
  @ApiProperty({ type: MoneyDto }) taxTotal: MoneyDto;
  @ApiProperty({ type: MoneyDto }) grandTotal: MoneyDto;
  @ApiProperty({
    type: MoneyDto,
    nullable: true,
    description: 'From cost prices; hidden where cost prices are; null when a cost is unknown',
  })
  costTotal: MoneyDto | null;
  @ApiProperty({ type: MoneyDto, nullable: true }) margin: MoneyDto | null;
  @ApiProperty({ type: 'string', nullable: true, maxLength: 30, example: '37.50' })
  marginPercent: string | null;
  @ApiPropertyOptional({
    type: 'string',
    format: 'uuid',
    maxLength: 36,
    description:
      'Only in the answer of POST /quotes/{id}/accept with `createOrder: true`: the order placed with it',
  })
  orderId?: string;
}

export class RejectQuoteDto {
  @ApiPropertyOptional({ type: 'string', maxLength: 2000, example: 'Budget moved to next year' })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  reason?: string;
}

export class AcceptQuoteDto {
  @ApiPropertyOptional({
    type: 'boolean',
    example: true,
    description:
      'Also place the order of the quote in the same transaction (as POST /quotes/{id}/order); needs create on orders.',
  })
  @IsOptional()
  @IsBoolean()
  createOrder?: boolean;
}
