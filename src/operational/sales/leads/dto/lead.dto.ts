import { ApiProperty, ApiPropertyOptional, OmitType, PartialType } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  IsEmail,
  IsIn,
  IsObject,
  IsOptional,
  IsString,
  IsUrl,
  Matches,
  MaxLength,
  ValidateNested,
} from 'class-validator';
import { IsPicklistValue } from '#platform/customization/index.js';
import {
  RecordResponse,
  CustomFieldsInput,
  OwnerIdInput,
  TeamIdInput,
} from '#platform/records/index.js';
import { AddressDto } from '#operational/customers/index.js';
import {
  ASSIGNED_VIA,
  LEAD_RATINGS,
  LEAD_SOURCES,
  LEAD_STATUSES,
  SETTABLE_LEAD_STATUSES,
} from '../lead.definition.js';

/** The person and organization a lead describes; shared by create and web capture. */
export class LeadContactFieldsDto {
  @ApiPropertyOptional({ type: 'string', example: 'Bapak', maxLength: 20, nullable: true })
  @IsOptional()
  @IsString()
  @MaxLength(20)
  salutation?: string | null;

  @ApiPropertyOptional({ type: 'string', example: 'Budi', maxLength: 100, nullable: true })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  firstName?: string | null;

  @ApiPropertyOptional({
    type: 'string',
    example: 'Santoso',
    maxLength: 100,
    nullable: true,
    description: 'Required unless company is set',
  })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  lastName?: string | null;

  @ApiPropertyOptional({
    type: 'string',
    example: 'budi@majumundur.co.id',
    maxLength: 254,
    nullable: true,
  })
  @IsOptional()
  @IsEmail()
  @MaxLength(254)
  email?: string | null;

  @ApiPropertyOptional({
    type: 'string',
    example: '+62 812 555 0101',
    maxLength: 40,
    nullable: true,
  })
  @IsOptional()
  @IsString()
  @Matches(/^\+?[0-9 ()./-]{3,40}$/, { message: 'phone must be a phone number' })
  phone?: string | null;

  @ApiPropertyOptional({
    type: 'string',
    example: 'PT Maju Mundur',
    maxLength: 200,
    nullable: true,
    description: 'Required unless lastName is set',
  })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  company?: string | null;

  @ApiPropertyOptional({
    type: 'string',
    example: 'Purchasing manager',
    maxLength: 128,
    nullable: true,
  })
  @IsOptional()
  @IsString()
  @MaxLength(128)
  title?: string | null;

  @ApiPropertyOptional({ type: 'string', example: 'retail', maxLength: 100, nullable: true })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  @IsPicklistValue('leads', 'industry')
  industry?: string | null;

  @ApiPropertyOptional({
    type: 'string',
    example: 'https://majumundur.co.id',
    maxLength: 300,
    nullable: true,
  })
  @IsOptional()
  @IsUrl({ protocols: ['http', 'https'], require_protocol: true })
  @MaxLength(300)
  website?: string | null;

  @ApiPropertyOptional({ type: AddressDto, nullable: true })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => AddressDto)
  address?: AddressDto | null;

  @ApiPropertyOptional({ type: 'string', maxLength: 10000, nullable: true })
  @IsOptional()
  @IsString()
  @MaxLength(10_000)
  description?: string | null;

  @ApiPropertyOptional({ enum: LEAD_SOURCES, default: 'manual', description: 'Configurable' })
  @IsOptional()
  @IsPicklistValue('leads', 'source', LEAD_SOURCES)
  source?: string;

  @CustomFieldsInput('leads')
  customFields?: Record<string, unknown>;
}

export class CreateLeadDto extends LeadContactFieldsDto {
  @ApiPropertyOptional({
    enum: SETTABLE_LEAD_STATUSES,
    default: 'new',
    description: '`converted` is set by POST /leads/{id}/convert only',
  })
  @IsOptional()
  @IsIn(SETTABLE_LEAD_STATUSES)
  status?: string;

  @ApiPropertyOptional({ enum: LEAD_RATINGS, nullable: true })
  @IsOptional()
  @IsIn(LEAD_RATINGS)
  rating?: string | null;

  @OwnerIdInput(
    'On create without it, the assignment rules (leadAssignment in crm.config.yaml) choose the ' +
      'owner, else the caller owns the lead; naming someone else needs the reassign permission',
  )
  ownerId?: string;

  @TeamIdInput()
  teamId?: string | null;
}

export class UpdateLeadDto extends PartialType(CreateLeadDto) {}

/** What a web form may send: the lead's own fields, no owner, status or rating. */
export class CaptureLeadDto extends OmitType(LeadContactFieldsDto, ['source'] as const) {
  @ApiPropertyOptional({ enum: LEAD_SOURCES, default: 'web', description: 'Configurable' })
  @IsOptional()
  @IsPicklistValue('leads', 'source', LEAD_SOURCES)
  source?: string;
}

export class CapturedLeadDto {
  @ApiProperty({ format: 'uuid' }) id: string;
}

export class LeadDto extends RecordResponse(CreateLeadDto) {
  @ApiProperty({ enum: LEAD_STATUSES }) declare status: string;
  @ApiProperty({ enum: LEAD_SOURCES }) declare source: string;
  @ApiProperty({
    example: 35,
    description:
      'Computed by the scoring rules (leadScoring in crm.config.yaml); read-only. Its changes are ' +
      'at GET /leads/{id}/score-history and do not move `version`',
  })
  score: number;
  @ApiProperty({
    maxLength: 100,
    type: 'string',
    example: 'jakarta_round_robin',
    nullable: true,
    description: 'Key of the assignment rule whose conditions the lead met, if any',
  })
  assignmentRule: string | null;
  @ApiProperty({
    enum: ASSIGNED_VIA,
    nullable: true,
    description:
      "How the owner was chosen: by a rule, as the team's default owner when no rule could place " +
      'the lead, as its creator when there was no default owner either, or named by a request',
  })
  assignedVia: string | null;
  @ApiProperty({ type: 'string', format: 'uuid', nullable: true }) convertedAccountId:
    string | null;
  @ApiProperty({ type: 'string', format: 'uuid', nullable: true }) convertedContactId:
    string | null;
  @ApiProperty({ type: 'string', format: 'uuid', nullable: true }) convertedOpportunityId:
    string | null;
  @ApiProperty({ type: 'string', format: 'date-time', nullable: true }) convertedAt: string | null;
}
