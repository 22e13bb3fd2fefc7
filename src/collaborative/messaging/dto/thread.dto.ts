import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsEmail,
  IsIn,
  IsNotEmpty,
  IsOptional,
  IsString,
  IsUUID,
  MaxLength,
  ValidateNested,
} from 'class-validator';
import { ListMetaDto } from '#platform/records/index.js';

/** Record types a thread may be tied to, by their API path. */
export const THREAD_RECORD_TYPES = [
  'accounts',
  'contacts',
  'opportunities',
  'cases',
  'orders',
  'quotes',
] as const;
export type ThreadRecordType = (typeof THREAD_RECORD_TYPES)[number];

/** Kinds a request may add: staff users, contacts (customers) and partner users. */
export const ADDABLE_PARTICIPANT_KINDS = ['user', 'contact', 'partner_user'] as const;
export const PARTICIPANT_KINDS = ['user', 'contact', 'partner_user'] as const;
export const MAX_PARTICIPANTS = 100;

export class ThreadRecordDto {
  @ApiProperty({ enum: THREAD_RECORD_TYPES, example: 'cases' })
  @IsIn(THREAD_RECORD_TYPES)
  type: ThreadRecordType;

  @ApiProperty({ format: 'uuid' })
  @IsUUID('all')
  id: string;
}

export class ParticipantInputDto {
  @ApiProperty({ enum: ADDABLE_PARTICIPANT_KINDS, example: 'user' })
  @IsIn(ADDABLE_PARTICIPANT_KINDS)
  kind: (typeof ADDABLE_PARTICIPANT_KINDS)[number];

  @ApiPropertyOptional({
    format: 'uuid',
    description:
      'The user, contact or partner user; or give `email` (contacts only). A partner user must have ' +
      'live access (422 otherwise) and joins only a thread tied to no record or to one shared with ' +
      'their organization (422 otherwise).',
  })
  @IsOptional()
  @IsUUID('all')
  id?: string;

  @ApiPropertyOptional({
    maxLength: 320,
    example: 'siti@pelanggan.co.id',
    description: 'A contact by its e-mail address (contacts only), instead of `id`',
  })
  @IsOptional()
  @IsEmail()
  @MaxLength(320)
  email?: string;
}

export class CreateThreadDto {
  @ApiProperty({ maxLength: 300, example: 'Delivery of order SO-2026-000123' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(300)
  subject: string;

  @ApiPropertyOptional({ type: ThreadRecordDto, description: 'The record the thread is about' })
  @IsOptional()
  @ValidateNested()
  @Type(() => ThreadRecordDto)
  record?: ThreadRecordDto;

  @ApiPropertyOptional({
    type: [ParticipantInputDto],
    maxItems: MAX_PARTICIPANTS,
    description: 'Who takes part besides the caller, who always does',
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(MAX_PARTICIPANTS)
  @ValidateNested({ each: true })
  @Type(() => ParticipantInputDto)
  participants?: ParticipantInputDto[];
}

export class UpdateThreadDto {
  @ApiPropertyOptional({ maxLength: 300, example: 'Delivery of order SO-2026-000123 (late)' })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(300)
  subject?: string;
}

export class AddParticipantsDto {
  @ApiProperty({ type: [ParticipantInputDto], minItems: 1, maxItems: MAX_PARTICIPANTS })
  @IsArray()
  @ArrayMaxSize(MAX_PARTICIPANTS)
  @ValidateNested({ each: true })
  @Type(() => ParticipantInputDto)
  participants: ParticipantInputDto[];
}

export class ParticipantDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ enum: PARTICIPANT_KINDS }) kind: string;
  @ApiProperty({ format: 'uuid', description: 'The user, contact or partner user' })
  participantId: string;
  @ApiProperty({ maxLength: 300, example: 'Siti Rahayu' }) name: string;
  @ApiProperty({ type: 'string', maxLength: 320, nullable: true }) email: string | null;
  @ApiProperty({
    type: 'string',
    format: 'uuid',
    nullable: true,
    description: 'Read receipt: the last message this participant has read',
  })
  lastReadMessageId: string | null;
  @ApiProperty({ type: 'string', format: 'date-time', nullable: true }) lastReadAt: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
}

export class ThreadDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ maxLength: 300 }) subject: string;
  @ApiProperty({ type: ThreadRecordDto, nullable: true }) record: ThreadRecordDto | null;
  @ApiProperty({ format: 'uuid', description: 'Who opened the thread' }) ownerId: string;
  @ApiProperty({ type: [ParticipantDto], maxItems: MAX_PARTICIPANTS })
  participants: ParticipantDto[];
  @ApiProperty({
    type: 'integer',
    minimum: 0,
    maximum: 2147483647,
    nullable: true,
    description: 'Messages the caller has not read; null when the caller does not take part',
  })
  unreadCount: number | null;
  @ApiProperty({ type: 'string', format: 'date-time', nullable: true })
  lastMessageAt: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ format: 'date-time' }) updatedAt: string;
  @ApiProperty({ type: 'integer', minimum: 0, maximum: 2147483647 }) version: number;
}

export class ThreadPageDto {
  @ApiProperty({ type: [ThreadDto], maxItems: 500 }) data: ThreadDto[];
  @ApiProperty({ type: ListMetaDto }) meta: ListMetaDto;
}

export class UnreadCountsDto {
  @ApiProperty({
    type: 'integer',
    minimum: 0,
    maximum: 2147483647,
    description: 'Threads with at least one unread message',
  })
  threads: number;
  @ApiProperty({
    type: 'integer',
    minimum: 0,
    maximum: 2147483647,
    description: 'Unread messages in all of them',
  })
  messages: number;
}

export class MarkReadDto {
  @ApiPropertyOptional({
    format: 'uuid',
    description: 'Read up to and including this message; left out: everything so far',
  })
  @IsOptional()
  @IsUUID('all')
  messageId?: string;
}

export class ReadStateDto {
  @ApiProperty({ type: 'string', format: 'uuid', nullable: true })
  lastReadMessageId: string | null;
  @ApiProperty({ type: 'integer', minimum: 0, maximum: 2147483647 }) unreadCount: number;
}
