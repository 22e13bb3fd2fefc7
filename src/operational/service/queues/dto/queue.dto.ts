import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsNotEmpty,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
} from 'class-validator';
import {
  CustomFieldsInput,
  OwnerIdInput,
  RecordResponse,
  TeamIdInput,
} from '#platform/records/index.js';
import { QUEUE_STRATEGIES } from '../queue-assignment.js';

export class CreateQueueDto {
  @ApiProperty({ maxLength: 200, example: 'Billing — Bahasa Indonesia' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  name: string;

  @ApiPropertyOptional({ type: 'string', maxLength: 2000, nullable: true })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  description?: string | null;

  @ApiPropertyOptional({
    enum: QUEUE_STRATEGIES,
    default: 'round_robin',
    description:
      'Who gets a new case: the member waiting longest (round_robin), the one with the fewest open cases ' +
      '(least_open), or among members whose skills cover its category and language the one with the fewest (skills)',
  })
  @IsOptional()
  @IsIn(QUEUE_STRATEGIES)
  strategy?: string;

  @ApiPropertyOptional({
    default: false,
    description: 'Assign new cases on create; otherwise agents take them with POST …/next',
  })
  @IsOptional()
  @IsBoolean()
  autoAssign?: boolean;

  @OwnerIdInput()
  ownerId?: string;

  @TeamIdInput()
  teamId?: string | null;

  @CustomFieldsInput('queues')
  customFields?: Record<string, unknown>;
}

export class UpdateQueueDto extends PartialType(CreateQueueDto) {}

export class QueueDto extends RecordResponse(CreateQueueDto) {
  @ApiProperty({ enum: QUEUE_STRATEGIES }) declare strategy: string;
  @ApiProperty() declare autoAssign: boolean;
  @ApiProperty({ type: 'string', format: 'uuid', nullable: true }) declare teamId: string | null;
}

const LANGUAGE = /^[a-z]{2,3}(-[A-Za-z0-9]{2,8})?$/;

export class PutQueueMemberDto {
  @ApiPropertyOptional({
    type: 'array',
    items: { type: 'string', maxLength: 50 },
    maxItems: 50,
    example: ['billing'],
    description: 'Case categories the agent handles (skills strategy); empty: any',
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @IsString({ each: true })
  @MaxLength(50, { each: true })
  categories?: string[];

  @ApiPropertyOptional({
    type: 'array',
    items: { type: 'string', maxLength: 20 },
    maxItems: 20,
    example: ['id', 'en'],
    description: 'Languages the agent speaks (skills strategy); empty: any',
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @IsString({ each: true })
  @Matches(LANGUAGE, { each: true })
  languages?: string[];

  @ApiPropertyOptional({ default: true, description: 'Whether the agent takes new cases now' })
  @IsOptional()
  @IsBoolean()
  available?: boolean;
}

export class QueueMemberDto {
  @ApiProperty({ format: 'uuid' }) queueId: string;
  @ApiProperty({ format: 'uuid' }) userId: string;
  @ApiProperty({ type: 'array', items: { type: 'string', maxLength: 50 }, maxItems: 50 })
  categories: string[];
  @ApiProperty({ type: 'array', items: { type: 'string', maxLength: 20 }, maxItems: 20 })
  languages: string[];
  @ApiProperty() available: boolean;
  @ApiProperty({ type: 'string', format: 'date-time', nullable: true }) lastAssignedAt:
    string | null;
}

export class QueueMemberListDto {
  @ApiProperty({ type: [QueueMemberDto], maxItems: 1000 }) data: QueueMemberDto[];
}
