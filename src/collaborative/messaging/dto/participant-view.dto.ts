import { ApiProperty, PickType } from '@nestjs/swagger';
import { ListMetaDto } from '#platform/records/index.js';
import { MAX_ATTACHMENTS, MessageDto, ThreadAttachmentDto } from './message.dto.js';
import { PARTICIPANT_KINDS } from './thread.dto.js';

/** Someone in the thread as an outside participant sees them: a kind and a display name. */
export class ParticipantNameDto {
  @ApiProperty({ enum: PARTICIPANT_KINDS }) kind: string;
  @ApiProperty({ maxLength: 300, example: 'Budi Santoso' }) name: string;
  @ApiProperty({ description: 'Whether it is the caller' }) you: boolean;
}

export class ParticipantThreadDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ maxLength: 300, example: 'Delivery of order 1042' }) subject: string;
  @ApiProperty({ type: [ParticipantNameDto], maxItems: 1000 }) participants: ParticipantNameDto[];
  @ApiProperty({
    type: 'integer',
    minimum: 0,
    maximum: 2147483647,
    description: 'Messages the caller has not read',
  })
  unreadCount: number;
  @ApiProperty({ type: 'string', format: 'date-time', nullable: true })
  lastMessageAt: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
}

export class ParticipantThreadPageDto {
  @ApiProperty({ type: [ParticipantThreadDto], maxItems: 500 }) data: ParticipantThreadDto[];
  @ApiProperty({ type: ListMetaDto }) meta: ListMetaDto;
}

export class ParticipantAttachmentDto extends PickType(ThreadAttachmentDto, [
  'id',
  'fileName',
  'mediaType',
  'sizeBytes',
  'createdAt',
] as const) {}

/** A message as an outside participant sees it: no internal flag, no mentions, authors by name. */
export class ParticipantMessageDto extends PickType(MessageDto, [
  'id',
  'threadId',
  'parentId',
  'format',
  'body',
  'source',
  'createdAt',
  'editedAt',
  'deletedAt',
] as const) {
  @ApiProperty({ type: ParticipantNameDto }) author: ParticipantNameDto;
  @ApiProperty({ type: [ParticipantAttachmentDto], maxItems: MAX_ATTACHMENTS })
  attachments: ParticipantAttachmentDto[];
}

export class ParticipantMessagePageDto {
  @ApiProperty({ type: [ParticipantMessageDto], maxItems: 500 }) data: ParticipantMessageDto[];
  @ApiProperty({ type: ListMetaDto }) meta: ListMetaDto;
}
