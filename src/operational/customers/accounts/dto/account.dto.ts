import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsInt,
  IsNotEmpty,
  IsObject,
  IsOptional,
  IsString,
  IsUrl,
  IsUUID,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import { IsPicklistValue } from '#platform/customization/index.js';
import {
  MoneyDto,
  RecordResponse,
  CustomFieldsInput,
  OwnerIdInput,
  TeamIdInput,
} from '#platform/records/index.js';
import { AddressDto, PhoneDto } from '../../dto/contact-points.dto.js';
import { ACCOUNT_TYPES } from '../account.definition.js';

export class CreateAccountDto {
  @ApiProperty({ example: 'PT Sinar Jaya Abadi', maxLength: 200 })
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  name: string;

  @ApiPropertyOptional({ enum: ACCOUNT_TYPES, default: 'prospect' })
  @IsOptional()
  @IsPicklistValue('accounts', 'type', ACCOUNT_TYPES)
  type?: string;

  @ApiPropertyOptional({ type: 'string', example: 'retail', maxLength: 100, nullable: true })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  @IsPicklistValue('accounts', 'industry')
  industry?: string | null;

  @ApiPropertyOptional({
    type: 'string',
    example: 'https://sinarjaya.co.id',
    maxLength: 300,
    nullable: true,
  })
  @IsOptional()
  @IsUrl({ protocols: ['http', 'https'], require_protocol: true })
  @MaxLength(300)
  website?: string | null;

  @ApiPropertyOptional({ type: 'string', maxLength: 10000, nullable: true })
  @IsOptional()
  @IsString()
  @MaxLength(10_000)
  description?: string | null;

  @ApiPropertyOptional({ type: [PhoneDto], maxItems: 10 })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(10)
  @ValidateNested({ each: true })
  @Type(() => PhoneDto)
  phones?: PhoneDto[];

  @ApiPropertyOptional({ type: [AddressDto], maxItems: 10 })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(10)
  @ValidateNested({ each: true })
  @Type(() => AddressDto)
  addresses?: AddressDto[];

  @ApiPropertyOptional({ type: 'string', format: 'uuid', nullable: true })
  @IsOptional()
  @IsUUID('all')
  parentAccountId?: string | null;

  @ApiPropertyOptional({ type: MoneyDto, nullable: true })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => MoneyDto)
  annualRevenue?: MoneyDto | null;

  @ApiPropertyOptional({
    type: 'integer',
    example: 250,
    minimum: 0,
    maximum: 100_000_000,
    nullable: true,
  })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(100_000_000)
  employees?: number | null;

  @OwnerIdInput()
  ownerId?: string;

  @TeamIdInput()
  teamId?: string | null;

  @CustomFieldsInput('accounts')
  customFields?: Record<string, unknown>;
}

export class UpdateAccountDto extends PartialType(CreateAccountDto) {}

export class AccountDto extends RecordResponse(CreateAccountDto) {
  @ApiProperty({ enum: ACCOUNT_TYPES }) declare type: string;
  @ApiProperty({ type: [PhoneDto], maxItems: 10 }) declare phones: PhoneDto[];
  @ApiProperty({ type: [AddressDto], maxItems: 10 }) declare addresses: AddressDto[];
}
