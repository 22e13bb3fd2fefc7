import { ApiProperty, ApiPropertyOptional, PartialType, PickType } from '@nestjs/swagger';
import {
  IsIn,
  IsInt,
  IsNotEmpty,
  IsOptional,
  IsString,
  IsUUID,
  IsUrl,
  Max,
  MaxLength,
  Min,
} from 'class-validator';
import { IsPicklistValue } from '#platform/customization/index.js';
import {
  CustomFieldsInput,
  IsInstant,
  OwnerIdInput,
  RecordResponse,
  TeamIdInput,
} from '#platform/records/index.js';
import { CALL_DIRECTIONS, CALL_DISPOSITIONS, CALL_OUTCOMES } from '../call.definition.js';

const NUMBER = {
  type: 'string',
  maxLength: 40,
  description:
    'Any usual form; stored in E.164. Without `+` it is read in `calls.defaultCountry`. Invalid: 422',
} as const;

export class CreateCallDto {
  @ApiProperty({ enum: CALL_DIRECTIONS, description: 'Set once' })
  @IsIn(CALL_DIRECTIONS)
  direction: string;

  @ApiProperty({ ...NUMBER, example: '0812-3456-7890' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(40)
  fromNumber: string;

  @ApiProperty({ ...NUMBER, example: '+62215550100' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(40)
  toNumber: string;

  @ApiPropertyOptional({
    type: 'string',
    format: 'uuid',
    nullable: true,
    description: "Left out: the contact whose stored number is the customer's number, if any",
  })
  @IsOptional()
  @IsUUID('all')
  contactId?: string | null;

  @ApiPropertyOptional({
    format: 'uuid',
    description: 'The user who took or made the call; defaults to the caller',
  })
  @IsOptional()
  @IsUUID('all')
  agentId?: string;

  @ApiPropertyOptional({ type: 'string', format: 'uuid', nullable: true })
  @IsOptional()
  @IsUUID('all')
  queueId?: string | null;

  @ApiPropertyOptional({ type: 'string', format: 'uuid', nullable: true })
  @IsOptional()
  @IsUUID('all')
  caseId?: string | null;

  @ApiProperty({ type: 'string', format: 'date-time', maxLength: 40, description: 'Set once' })
  @IsString()
  @MaxLength(40)
  @IsInstant()
  startedAt: string;

  @ApiPropertyOptional({
    type: 'integer',
    minimum: 0,
    maximum: 86400,
    default: 0,
    description: 'Talk time',
  })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(86_400)
  durationSeconds?: number;

  @ApiPropertyOptional({
    type: 'integer',
    minimum: 0,
    maximum: 86400,
    default: 0,
    description: 'Time in the queue',
  })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(86_400)
  waitSeconds?: number;

  @ApiProperty({
    enum: CALL_OUTCOMES,
    description: '`callback_requested` schedules a callback task for the agent',
  })
  @IsIn(CALL_OUTCOMES)
  outcome: string;

  @ApiPropertyOptional({
    type: 'string',
    nullable: true,
    enum: CALL_DISPOSITIONS,
    maxLength: 50,
    description: 'A value of the disposition picklist (configurable)',
  })
  @IsOptional()
  @IsString()
  @MaxLength(50)
  @IsPicklistValue('calls', 'disposition', CALL_DISPOSITIONS)
  disposition?: string | null;

  @ApiPropertyOptional({ type: 'string', nullable: true, maxLength: 5000 })
  @IsOptional()
  @IsString()
  @MaxLength(5000)
  notes?: string | null;

  @ApiPropertyOptional({
    type: 'string',
    nullable: true,
    maxLength: 2000,
    example: 'https://recordings.example.com/2026/05/04/abc.mp3',
    description: 'https only',
  })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  @IsUrl(
    { protocols: ['https'], require_protocol: true },
    { message: 'recordingUrl must be an https URL' },
  )
  recordingUrl?: string | null;

  @ApiPropertyOptional({
    type: 'string',
    format: 'date-time',
    nullable: true,
    maxLength: 40,
    description:
      'When a requested callback is due; defaults to now plus `calls.callbackDelayMinutes`',
  })
  @IsOptional()
  @IsString()
  @MaxLength(40)
  @IsInstant()
  callbackDueAt?: string | null;

  @OwnerIdInput()
  ownerId?: string;

  @TeamIdInput()
  teamId?: string | null;

  @CustomFieldsInput('calls')
  customFields?: Record<string, unknown>;
}

export class UpdateCallDto extends PartialType(
  PickType(CreateCallDto, [
    'contactId',
    'agentId',
    'queueId',
    'caseId',
    'durationSeconds',
    'waitSeconds',
    'outcome',
    'disposition',
    'notes',
    'recordingUrl',
    'callbackDueAt',
    'ownerId',
    'teamId',
    'customFields',
  ] as const),
) {}

export class CallDto extends RecordResponse(CreateCallDto) {
  @ApiProperty({
    example: '+6281234567890',
    maxLength: 16,
    description: 'The outside party: caller of an inbound call, callee of an outbound one',
  })
  customerNumber: string;
  @ApiProperty({ format: 'uuid' }) declare agentId: string;
  @ApiProperty({ type: 'integer' }) declare durationSeconds: number;
  @ApiProperty({ type: 'integer' }) declare waitSeconds: number;
  @ApiProperty({ type: 'string', format: 'uuid', nullable: true }) declare teamId: string | null;
}

class LookupAccountDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ maxLength: 200 }) name: string;
}

class LookupOrderDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: 'SO-000042', maxLength: 20 }) number: string;
  @ApiProperty({ example: 'delivered', maxLength: 20 }) status: string;
  @ApiProperty({ format: 'date-time' }) orderedAt: string;
  @ApiProperty({
    type: 'object',
    properties: {
      amount: { type: 'string', maxLength: 26 },
      currency: { type: 'string', maxLength: 3 },
    },
    example: { amount: '1250000', currency: 'IDR' },
  })
  total: { amount: string; currency: string };
}

class LookupCaseDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ maxLength: 20 }) number: string;
  @ApiProperty({ maxLength: 300 }) subject: string;
  @ApiProperty({ maxLength: 30 }) status: string;
  @ApiProperty({ type: 'string', nullable: true, maxLength: 30 }) priority: string | null;
  @ApiProperty({ format: 'date-time' }) openedAt: string;
}

class LookupContactDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ type: 'string', nullable: true, maxLength: 100 }) firstName: string | null;
  @ApiProperty({ maxLength: 100 }) lastName: string;
  @ApiProperty({ type: 'string', nullable: true, maxLength: 320 }) email: string | null;
  @ApiProperty({
    type: 'array',
    items: { type: 'object', additionalProperties: true },
    maxItems: 20,
  })
  phones: unknown[];
  @ApiProperty({ type: LookupAccountDto, nullable: true }) account: LookupAccountDto | null;
  @ApiProperty({
    type: [LookupCaseDto],
    maxItems: 100,
    description: 'Empty until cases are installed',
  })
  openCases: LookupCaseDto[];
  @ApiProperty({
    type: [LookupOrderDto],
    maxItems: 5,
    description: "The contact's or its account's latest five",
  })
  recentOrders: LookupOrderDto[];
}

class LookupMetaDto {
  @ApiProperty({ example: 3.2, description: 'Server time the lookup took, in milliseconds' })
  tookMs: number;
}

export class CallLookupDto {
  @ApiProperty({ example: '+62215550100', maxLength: 16 }) number: string;
  @ApiProperty({ type: [LookupContactDto], maxItems: 10 }) contacts: LookupContactDto[];
  @ApiProperty({ type: LookupMetaDto }) meta: LookupMetaDto;
}

class AgentFiguresDto {
  @ApiProperty({ format: 'uuid' }) agentId: string;
  @ApiProperty({ maxLength: 200 }) agentName: string;
  @ApiProperty({ example: 42 }) calls: number;
  @ApiProperty({ example: 38 }) answered: number;
  @ApiProperty({ type: 'number', nullable: true, example: 0.9048, description: 'answered / calls' })
  answeredRate: number | null;
  @ApiProperty({
    type: 'integer',
    nullable: true,
    minimum: 0,
    maximum: 86400,
    example: 245,
    description: 'Average talk time of answered calls',
  })
  averageHandleSeconds: number | null;
  @ApiProperty({ example: 20, description: 'Distinct cases the calls were about' })
  cases: number;
  @ApiProperty({
    example: 14,
    description: 'Of those, cases resolved with this one call and no other call',
  })
  firstCallResolutions: number;
  @ApiProperty({
    type: 'number',
    nullable: true,
    example: 0.7,
    description: 'firstCallResolutions / cases',
  })
  firstCallResolutionRate: number | null;
}

export class AgentReportDto {
  @ApiProperty({ format: 'date' }) from: string;
  @ApiProperty({ format: 'date' }) to: string;
  @ApiProperty({ example: 'Asia/Jakarta', maxLength: 64 }) timeZone: string;
  @ApiProperty({ type: [AgentFiguresDto], maxItems: 10000 }) agents: AgentFiguresDto[];
}
