import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsEmail,
  IsNotEmpty,
  IsObject,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  MaxLength,
  ValidateNested,
} from 'class-validator';
import { IsCalendarDate } from '#platform/http/index.js';
import { MoneyDto } from '#platform/records/index.js';

export const REGISTRATION_STATUSES = ['submitted', 'approved', 'rejected', 'expired'] as const;

export class RegistrationContactDto {
  @ApiProperty({ example: 'Budi Santoso', maxLength: 200 })
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  name: string;

  @ApiPropertyOptional({ example: 'budi@maju.co.id', maxLength: 320 })
  @IsOptional()
  @IsEmail()
  @MaxLength(320)
  email?: string;

  @ApiPropertyOptional({ example: '+62 21 555 0100', maxLength: 50 })
  @IsOptional()
  @IsString()
  @MaxLength(50)
  phone?: string;
}

export class SubmitDealRegistrationDto {
  @ApiProperty({ example: 'PT Maju Jaya', maxLength: 200, description: 'The customer’s name' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  accountName: string;

  @ApiPropertyOptional({
    example: 'maju.co.id',
    maxLength: 253,
    pattern: '^[A-Za-z0-9.-]+\\.[A-Za-z]{2,}$',
    description: 'The customer’s web domain, the surest way to find it among existing deals',
  })
  @IsOptional()
  @IsString()
  @MaxLength(253)
  @Matches(/^[A-Za-z0-9.-]+\.[A-Za-z]{2,}$/)
  accountDomain?: string;

  @ApiPropertyOptional({ type: RegistrationContactDto })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => RegistrationContactDto)
  contact?: RegistrationContactDto;

  @ApiPropertyOptional({
    type: 'array',
    items: { type: 'string', maxLength: 200 },
    maxItems: 50,
    example: ['ERP licences', 'Implementation'],
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @IsString({ each: true })
  @IsNotEmpty({ each: true })
  @MaxLength(200, { each: true })
  productInterest?: string[];

  @ApiPropertyOptional({ type: MoneyDto })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => MoneyDto)
  estimatedAmount?: MoneyDto;

  @ApiPropertyOptional({ type: 'string', format: 'date', example: '2027-03-31' })
  @IsOptional()
  @IsCalendarDate()
  expectedCloseDate?: string;

  @ApiPropertyOptional({ maxLength: 4000, example: 'Met the IT director at the Jakarta expo.' })
  @IsOptional()
  @IsString()
  @MaxLength(4000)
  notes?: string;
}

export class ApproveDealRegistrationDto {
  @ApiPropertyOptional({
    format: 'uuid',
    description:
      'An existing account to link; without it an account is created from the registration',
  })
  @IsOptional()
  @IsUUID('all')
  accountId?: string;

  @ApiPropertyOptional({
    format: 'uuid',
    description:
      'An existing open opportunity of that account to attribute to the partner; without it one is created',
  })
  @IsOptional()
  @IsUUID('all')
  opportunityId?: string;
}

export class RejectDealRegistrationDto {
  @ApiProperty({ example: 'Already in our direct pipeline', maxLength: 1000 })
  @IsString()
  @IsNotEmpty()
  @MaxLength(1000)
  reason: string;
}

/** What the partner sees of its registration. */
export class PartnerDealRegistrationDto extends SubmitDealRegistrationDto {
  @ApiProperty({ format: 'uuid' }) declare id: string;
  @ApiProperty({ enum: REGISTRATION_STATUSES }) declare status: string;
  @ApiProperty({ type: 'array', items: { type: 'string', maxLength: 200 }, maxItems: 50 })
  declare productInterest: string[];
  @ApiProperty({ type: 'string', nullable: true, maxLength: 1000 }) declare rejectReason:
    string | null;
  @ApiProperty({ type: 'string', format: 'date-time', nullable: true }) declare decidedAt:
    string | null;
  @ApiProperty({
    type: 'string',
    format: 'date-time',
    nullable: true,
    description: 'End of the protection of an approved registration',
  })
  declare expiresAt: string | null;
  @ApiProperty({ type: 'string', format: 'uuid', nullable: true }) declare opportunityId:
    string | null;
  @ApiProperty({ format: 'uuid' }) declare submittedById: string;
  @ApiProperty({ type: 'string', format: 'date-time' }) declare createdAt: string;
  @ApiProperty({ type: 'string', format: 'date-time' }) declare updatedAt: string;
  @ApiProperty({ type: 'integer', minimum: 1, maximum: 2147483647 }) declare version: number;
}

export class RegistrationConflictDto {
  @ApiProperty({ enum: ['opportunity', 'registration'] }) kind: string;
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ enum: ['name', 'domain'], description: 'How the account matched' })
  match: string;
  @ApiProperty({ maxLength: 200, example: 'PT Maju Jaya' }) accountName: string;
  @ApiPropertyOptional({ type: 'string', format: 'uuid', nullable: true }) partnerId: string | null;
  @ApiPropertyOptional({ maxLength: 20, example: 'submitted' }) status: string;
  @ApiProperty({
    type: 'array',
    items: { type: 'string', maxLength: 200 },
    maxItems: 50,
    description: 'Products both registrations name (registrations only)',
  })
  overlappingProducts: string[];
}

/** What staff see of a registration; `conflicts` on a single read. */
export class DealRegistrationDto extends PartnerDealRegistrationDto {
  @ApiProperty({ format: 'uuid' }) declare partnerId: string;
  @ApiProperty({ type: 'string', format: 'uuid', nullable: true }) declare accountId: string | null;
  @ApiProperty({ type: 'string', format: 'uuid', nullable: true }) declare decidedById:
    string | null;
  @ApiPropertyOptional({ type: [RegistrationConflictDto], maxItems: 100 })
  declare conflicts?: RegistrationConflictDto[];
}
