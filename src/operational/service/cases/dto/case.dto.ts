import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import {
  IsIn,
  IsNotEmpty,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  MaxLength,
} from 'class-validator';
import {
  CustomFieldsInput,
  OwnerIdInput,
  RecordResponse,
  TeamIdInput,
} from '#platform/records/index.js';
import { CASE_PRIORITIES } from '../../service.config.js';
import { CASE_CHANNELS, CASE_STATUSES, CASE_TYPES } from '../case-status.js';
import { SLA_STATUSES } from '../case.definition.js';

const optionalId = (description: string) =>
  ApiPropertyOptional({ type: 'string', format: 'uuid', nullable: true, description });

export class CreateCaseDto {
  @ApiProperty({ maxLength: 500, example: 'Invoice shows the wrong tax' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(500)
  subject: string;

  @ApiPropertyOptional({ type: 'string', maxLength: 20000, nullable: true })
  @IsOptional()
  @IsString()
  @MaxLength(20000)
  description?: string | null;

  @optionalId('The customer account')
  @IsOptional()
  @IsUUID('all')
  accountId?: string | null;

  @optionalId('A contact of the account (when both are given)')
  @IsOptional()
  @IsUUID('all')
  contactId?: string | null;

  @ApiPropertyOptional({ enum: CASE_CHANNELS, default: 'web' })
  @IsOptional()
  @IsIn(CASE_CHANNELS)
  channel?: string;

  @ApiPropertyOptional({ enum: CASE_TYPES, default: 'question' })
  @IsOptional()
  @IsIn(CASE_TYPES)
  type?: string;

  @ApiPropertyOptional({
    type: 'string',
    maxLength: 50,
    nullable: true,
    example: 'billing',
    description: 'One of the categories of the `service` configuration section',
  })
  @IsOptional()
  @IsString()
  @MaxLength(50)
  category?: string | null;

  @ApiPropertyOptional({ enum: CASE_PRIORITIES, default: 'normal' })
  @IsOptional()
  @IsIn(CASE_PRIORITIES)
  priority?: string;

  @ApiPropertyOptional({
    type: 'string',
    maxLength: 10,
    nullable: true,
    example: 'id',
    description:
      'Language of the customer (BCP 47, e.g. `id`, `en-US`); matched against queue skills',
  })
  @IsOptional()
  @IsString()
  @MaxLength(10)
  @Matches(/^[a-z]{2,3}(-[A-Za-z0-9]{2,8})?$/)
  language?: string | null;

  @optionalId('Queue the case waits in; an auto-assigning queue assigns it on create')
  @IsOptional()
  @IsUUID('all')
  queueId?: string | null;

  @optionalId('The agent working the case')
  @IsOptional()
  @IsUUID('all')
  assigneeId?: string | null;

  @optionalId('The order the case is about')
  @IsOptional()
  @IsUUID('all')
  orderId?: string | null;

  @optionalId('The product the case is about')
  @IsOptional()
  @IsUUID('all')
  productId?: string | null;

  @OwnerIdInput()
  ownerId?: string;

  @TeamIdInput()
  teamId?: string | null;

  @CustomFieldsInput('cases')
  customFields?: Record<string, unknown>;
}

export class UpdateCaseDto extends PartialType(CreateCaseDto) {
  @ApiPropertyOptional({
    enum: CASE_STATUSES,
    description:
      'new → open, pending_customer, on_hold, resolved; open ⇄ pending_customer ⇄ on_hold → resolved; ' +
      'resolved → closed or reopened; closed is final. Other moves answer 409 `case_status_transition`.',
  })
  @IsOptional()
  @IsIn(CASE_STATUSES)
  status?: string;
}

const stamp = (description: string) =>
  ApiProperty({ type: 'string', format: 'date-time', nullable: true, description });

export class CaseDto extends RecordResponse(CreateCaseDto) {
  @ApiProperty({ example: 'CS-2026-000123', maxLength: 30 }) number: string;
  @ApiProperty({ enum: CASE_STATUSES }) status: string;
  @ApiProperty({ format: 'date-time' }) statusChangedAt: string;
  @ApiProperty({ enum: CASE_CHANNELS }) declare channel: string;
  @ApiProperty({ enum: CASE_TYPES }) declare type: string;
  @ApiProperty({ enum: CASE_PRIORITIES }) declare priority: string;
  @ApiProperty({ type: 'string', format: 'uuid', nullable: true }) declare teamId: string | null;
  @stamp('First public answer by staff') firstRespondedAt: string | null;
  @stamp('When the case was last resolved') resolvedAt: string | null;
  @stamp('When the case was closed') closedAt: string | null;
  @ApiProperty({
    type: 'string',
    maxLength: 50,
    nullable: true,
    example: 'urgent',
    description: 'Key of the SLA policy that applies; null when none matches',
  })
  slaPolicy: string | null;
  @ApiProperty({
    enum: SLA_STATUSES,
    nullable: true,
    description: 'Filterable: `filter[slaStatus][eq]=at_risk`',
  })
  slaStatus: string | null;
  @stamp('Since when the clock stands still (waiting for the customer, on hold)')
  slaPausedAt: string | null;
  @stamp('Due time of the first response, in business time') firstResponseDueAt: string | null;
  @stamp('Due time of the resolution, in business time') resolutionDueAt: string | null;
}
