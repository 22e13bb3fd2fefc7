import { ApiProperty, ApiPropertyOptional, OmitType, PartialType } from '@nestjs/swagger';
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
} from 'class-validator';
import { IsPicklistValue } from '#platform/customization/index.js';
import {
  IsInstant,
  RecordResponse,
  CustomFieldsInput,
  OwnerIdInput,
  TeamIdInput,
} from '#platform/records/index.js';
import {
  ACTIVITY_DIRECTIONS,
  ACTIVITY_PRIORITIES,
  ACTIVITY_STATUSES,
  ACTIVITY_TYPES,
  CALL_OUTCOMES,
} from '../activity.definition.js';

const ENTITY_KEY = /^[a-z][a-zA-Z0-9_-]{0,62}$/;

export class CreateActivityDto {
  @ApiProperty({ enum: ACTIVITY_TYPES, example: 'call', description: 'Set once, at creation' })
  @IsIn(ACTIVITY_TYPES)
  type: string;

  @ApiProperty({ example: 'Discovery call with Budi', maxLength: 300 })
  @IsString()
  @IsNotEmpty()
  @MaxLength(300)
  subject: string;

  @ApiPropertyOptional({
    type: 'string',
    maxLength: 100000,
    nullable: true,
    description: 'Notes, the call summary or the body of a logged email',
  })
  @IsOptional()
  @IsString()
  @MaxLength(100_000)
  description?: string | null;

  @ApiPropertyOptional({
    enum: ACTIVITY_STATUSES,
    description:
      'Defaults to completed for notes and logged emails (they record what happened) and planned otherwise. ' +
      'Completing sets completedAt; a note is always completed.',
  })
  @IsOptional()
  @IsIn(ACTIVITY_STATUSES)
  status?: string;

  @ApiPropertyOptional({
    maxLength: 100,
    example: 'normal',
    description: 'low, normal or high unless configured',
  })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  @IsPicklistValue('activities', 'priority', ACTIVITY_PRIORITIES)
  priority?: string;

  @ApiPropertyOptional({
    enum: ACTIVITY_DIRECTIONS,
    nullable: true,
    description: 'Calls and emails only: who reached out',
  })
  @IsOptional()
  @IsIn(ACTIVITY_DIRECTIONS)
  direction?: string | null;

  @ApiPropertyOptional({
    type: 'string',
    format: 'date-time',
    example: '2026-12-01T10:00:00+07:00',
    nullable: true,
  })
  @IsOptional()
  @IsInstant()
  dueAt?: string | null;

  @ApiPropertyOptional({
    type: 'string',
    format: 'date-time',
    nullable: true,
    description: 'Calls and meetings',
  })
  @IsOptional()
  @IsInstant()
  startsAt?: string | null;

  @ApiPropertyOptional({
    type: 'string',
    format: 'date-time',
    nullable: true,
    description: 'Not before startsAt',
  })
  @IsOptional()
  @IsInstant()
  endsAt?: string | null;

  @ApiPropertyOptional({ type: 'integer', example: 25, minimum: 0, maximum: 10080, nullable: true })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(10_080)
  durationMinutes?: number | null;

  @ApiPropertyOptional({
    type: 'string',
    example: 'Jakarta office, room 3',
    maxLength: 500,
    nullable: true,
  })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  location?: string | null;

  @ApiPropertyOptional({
    maxLength: 100,
    type: 'string',
    example: 'connected',
    nullable: true,
    description: `Calls and meetings; ${CALL_OUTCOMES.join(', ')} unless configured`,
  })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  @IsPicklistValue('activities', 'outcome', CALL_OUTCOMES)
  outcome?: string | null;

  @ApiPropertyOptional({
    type: 'string',
    format: 'date-time',
    nullable: true,
    description: 'When to remind: the server emits `activity.due` then (once per reminder time)',
  })
  @IsOptional()
  @IsInstant()
  reminderAt?: string | null;

  @ApiPropertyOptional({
    maxLength: 100,
    type: 'string',
    example: 'contacts',
    nullable: true,
    description:
      'Entity key of the record the activity is about: accounts, contacts, leads, opportunities or a custom object',
  })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  @Matches(ENTITY_KEY, { message: 'relatedEntity must be an entity key' })
  relatedEntity?: string | null;

  @ApiPropertyOptional({ type: 'string', format: 'uuid', nullable: true })
  @IsOptional()
  @IsUUID('all')
  relatedId?: string | null;

  @ApiPropertyOptional({
    type: [String],
    format: 'uuid',
    maxItems: 100,
    description: 'Users taking part',
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(100)
  @IsUUID('all', { each: true })
  participantUserIds?: string[];

  @ApiPropertyOptional({
    type: [String],
    format: 'uuid',
    maxItems: 100,
    description: 'Contacts taking part; the activity shows on their timelines and their accounts’',
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(100)
  @IsUUID('all', { each: true })
  participantContactIds?: string[];

  @OwnerIdInput()
  ownerId?: string;

  @TeamIdInput()
  teamId?: string | null;

  @CustomFieldsInput('activities')
  customFields?: Record<string, unknown>;
}

export class UpdateActivityDto extends PartialType(
  OmitType(CreateActivityDto, ['type'] as const),
) {}

export class ActivityDto extends RecordResponse(CreateActivityDto) {
  @ApiProperty({ enum: ACTIVITY_STATUSES }) declare status: string;
  @ApiProperty({ maxLength: 100, example: 'normal' }) declare priority: string;
  @ApiProperty({ type: 'string', format: 'date-time', nullable: true }) completedAt: string | null;
  @ApiProperty({
    format: 'date-time',
    description:
      'Where the activity sits in time: completion, else start, else due date, else creation',
  })
  occurredAt: string;
  @ApiProperty({ type: 'string', format: 'date-time', nullable: true }) reminderSentAt:
    string | null;
  @ApiProperty({ type: [String], maxItems: 100 }) declare participantUserIds: string[];
  @ApiProperty({ type: [String], maxItems: 100 }) declare participantContactIds: string[];
}
