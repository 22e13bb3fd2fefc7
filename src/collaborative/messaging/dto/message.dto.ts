import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsNotEmpty,
  IsOptional,
  IsString,
  IsUUID,
  MaxLength,
} from 'class-validator';
import { ListMetaDto } from '#platform/records/index.js';
import { MESSAGE_FORMATS, type MessageFormat } from '../message-body.js';
import { MESSAGE_SOURCES, type MessageSource } from '../messaging.events.js';
import { PARTICIPANT_KINDS } from './thread.dto.js';

export const MAX_BODY = 50_000;
export const MAX_MENTIONS = 50;
export const MAX_ATTACHMENTS = 20;

/** What every author writes: text, the message it answers, files uploaded before. */
export class MessageContentDto {
  @ApiProperty({
    maxLength: MAX_BODY,
    example: 'The parts ship **tomorrow**; @Budi please confirm the address.',
    description: 'Markdown or HTML (see `format`); stored sanitized',
  })
  @IsString()
  @IsNotEmpty()
  @MaxLength(MAX_BODY)
  body: string;

  @ApiPropertyOptional({ enum: MESSAGE_FORMATS, default: 'markdown' })
  @IsOptional()
  @IsIn(MESSAGE_FORMATS)
  format?: MessageFormat;

  @ApiPropertyOptional({ format: 'uuid', description: 'The message this one answers' })
  @IsOptional()
  @IsUUID('all')
  parentId?: string;

  @ApiPropertyOptional({
    type: [String],
    format: 'uuid',
    maxItems: MAX_ATTACHMENTS,
    description: 'Files the author uploaded to the thread beforehand (`POST …/attachments`)',
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(MAX_ATTACHMENTS)
  @IsUUID('all', { each: true })
  attachmentIds?: string[];
}

/** A staff message: also internal notes and mentions of users. */
export class PostMessageDto extends MessageContentDto {
  @ApiPropertyOptional({
    type: 'boolean',
    default: false,
    description: 'An internal note: staff see it, contacts and partners never do',
  })
  @IsOptional()
  @IsBoolean()
  internal?: boolean;

  @ApiPropertyOptional({
    type: [String],
    format: 'uuid',
    maxItems: MAX_MENTIONS,
    description: 'Users the message mentions; they join the thread and are notified',
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(MAX_MENTIONS)
  @IsUUID('all', { each: true })
  mentions?: string[];
}

export class EditMessageDto {
  @ApiProperty({ maxLength: MAX_BODY, example: 'The parts ship **on Friday**.' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(MAX_BODY)
  body: string;

  @ApiPropertyOptional({ enum: MESSAGE_FORMATS, description: 'Default: the format it had' })
  @IsOptional()
  @IsIn(MESSAGE_FORMATS)
  format?: MessageFormat;
}

export class AuthorDto {
  @ApiProperty({ enum: PARTICIPANT_KINDS }) kind: string;
  @ApiProperty({ format: 'uuid' }) id: string;
}

export class ThreadAttachmentDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) threadId: string;
  @ApiProperty({ type: 'string', format: 'uuid', nullable: true }) messageId: string | null;
  @ApiProperty({ maxLength: 255, example: 'delivery-note.pdf' }) fileName: string;
  @ApiProperty({ maxLength: 100, example: 'application/pdf' }) mediaType: string;
  @ApiProperty({ type: 'integer', minimum: 0, maximum: 1099511627776, example: 48213 })
  sizeBytes: number;
  @ApiProperty({ maxLength: 64 }) sha256: string;
  @ApiProperty({ type: 'string', format: 'uuid', nullable: true }) createdById: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
}

export class MessageDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) threadId: string;
  @ApiProperty({ type: 'string', format: 'uuid', nullable: true }) parentId: string | null;
  @ApiProperty({ type: AuthorDto }) author: AuthorDto;
  @ApiProperty({ enum: MESSAGE_FORMATS }) format: MessageFormat;
  @ApiProperty({
    type: 'string',
    maxLength: MAX_BODY,
    nullable: true,
    description: 'Sanitized; null once deleted',
  })
  body: string | null;
  @ApiProperty({ type: 'boolean' }) internal: boolean;
  @ApiProperty({ type: [String], format: 'uuid', maxItems: MAX_MENTIONS }) mentions: string[];
  @ApiProperty({ type: [ThreadAttachmentDto], maxItems: MAX_ATTACHMENTS })
  attachments: ThreadAttachmentDto[];
  @ApiProperty({ enum: MESSAGE_SOURCES }) source: MessageSource;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ type: 'string', format: 'date-time', nullable: true }) editedAt: string | null;
  @ApiProperty({ type: 'string', format: 'date-time', nullable: true }) deletedAt: string | null;
  @ApiProperty({ type: 'string', format: 'uuid', nullable: true }) deletedById: string | null;
  @ApiProperty({ type: 'integer', minimum: 0, maximum: 2147483647 }) version: number;
}

export class MessagePageDto {
  @ApiProperty({ type: [MessageDto], maxItems: 500 }) data: MessageDto[];
  @ApiProperty({ type: ListMetaDto }) meta: ListMetaDto;
}

export class MessageEditDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ enum: MESSAGE_FORMATS }) format: MessageFormat;
  @ApiProperty({ maxLength: MAX_BODY, description: 'The body before this change' }) body: string;
  @ApiProperty({ type: 'string', format: 'uuid', nullable: true }) editedById: string | null;
  @ApiProperty({ format: 'date-time' }) editedAt: string;
  @ApiProperty({ enum: ['edit', 'delete'] }) change: 'edit' | 'delete';
}

export class MessageEditListDto {
  @ApiProperty({ type: [MessageEditDto], maxItems: 1000 }) data: MessageEditDto[];
}

/** The multipart form of an upload, for the API document. */
export class UploadThreadAttachmentFormDto {
  @ApiProperty({ type: 'string', format: 'binary', maxLength: 1_073_741_824 }) file: unknown;
}
