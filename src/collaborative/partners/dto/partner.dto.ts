import { ApiProperty, ApiPropertyOptional, OmitType, PartialType } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsIn,
  IsInt,
  IsNotEmpty,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import { IsCalendarDate } from '#platform/http/index.js';
import {
  CustomFieldsInput,
  OwnerIdInput,
  RecordResponse,
  TeamIdInput,
} from '#platform/records/index.js';
import { PARTNER_STATUSES } from '../partner.definition.js';

export class CertificationDto {
  @ApiProperty({ example: 'Certified installer', maxLength: 200 })
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  name: string;

  @ApiProperty({ type: 'string', format: 'date', example: '2026-01-15' })
  @IsCalendarDate()
  issued: string;

  @ApiPropertyOptional({ type: 'string', format: 'date', example: '2027-01-14', nullable: true })
  @IsOptional()
  @IsCalendarDate()
  expires?: string | null;
}

export class CreatePartnerDto {
  @ApiProperty({ format: 'uuid', description: 'An account of type partner; set once' })
  @IsNotEmpty()
  @IsUUID('all')
  accountId: string;

  @ApiProperty({
    example: 'silver',
    maxLength: 50,
    description: 'One of `partners.tiers` in crm.config.yaml',
  })
  @IsString()
  @IsNotEmpty()
  @MaxLength(50)
  tier: string;

  @ApiPropertyOptional({
    type: 'array',
    items: { type: 'string', maxLength: 20, pattern: '^[A-Z0-9-]{2,20}$' },
    example: ['ID', 'ID-JK'],
    maxItems: 100,
    description: 'Codes of the territories the partner covers (ISO 3166 country or region)',
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(100)
  @IsString({ each: true })
  @Matches(/^[A-Z0-9-]{2,20}$/, { each: true })
  territories?: string[];

  @ApiPropertyOptional({ type: [CertificationDto], maxItems: 50 })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @ValidateNested({ each: true })
  @Type(() => CertificationDto)
  certifications?: CertificationDto[];

  @ApiPropertyOptional({
    type: 'string',
    format: 'uuid',
    nullable: true,
    description: 'The staff user who looks after the partner and decides its registrations',
  })
  @IsOptional()
  @IsUUID('all')
  channelManagerId?: string | null;

  @ApiPropertyOptional({
    enum: PARTNER_STATUSES,
    default: 'active',
    description: 'A suspended partner’s users are locked out at once',
  })
  @IsOptional()
  @IsIn(PARTNER_STATUSES)
  status?: string;

  @ApiPropertyOptional({
    type: 'integer',
    nullable: true,
    minimum: 0,
    maximum: 100000,
    description: 'Most open leads distribution rules give the partner; none: no limit',
  })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(100000)
  leadCapacity?: number | null;

  @OwnerIdInput()
  ownerId?: string;

  @TeamIdInput()
  teamId?: string | null;

  @CustomFieldsInput('partners')
  customFields?: Record<string, unknown>;
}

export class UpdatePartnerDto extends PartialType(
  OmitType(CreatePartnerDto, ['accountId'] as const),
) {}

export class PartnerDto extends RecordResponse(CreatePartnerDto) {
  @ApiProperty({ type: 'array', items: { type: 'string', maxLength: 20 }, maxItems: 100 })
  declare territories: string[];
  @ApiProperty({ type: [CertificationDto], maxItems: 50 })
  declare certifications: CertificationDto[];
  @ApiProperty({ enum: PARTNER_STATUSES }) declare status: string;
}
