import { ApiProperty } from '@nestjs/swagger';

export class SkippedAttachmentDto {
  @ApiProperty({ maxLength: 255, example: 'setup.exe' }) fileName: string;
  @ApiProperty({
    maxLength: 100,
    example: 'case_attachment_too_large',
    description: 'Why the file was not kept: the problem code of the size or type limit',
  })
  reason: string;
}

/** The attachments of an inbound mail: kept within the limits, or skipped with the reason. */
export class InboundAttachmentsDto {
  @ApiProperty({
    type: 'array',
    items: { type: 'string', format: 'uuid', maxLength: 36 },
    maxItems: 100,
    description: 'Ids of the attachments kept',
  })
  attachmentIds: string[];
  @ApiProperty({ type: [SkippedAttachmentDto], maxItems: 100 })
  skippedAttachments: SkippedAttachmentDto[];
}

export class InboundEmailResultDto extends InboundAttachmentsDto {
  @ApiProperty({ format: 'uuid' }) caseId: string;
  @ApiProperty({ example: 'CS-2026-000123', maxLength: 30 }) caseNumber: string;
  @ApiProperty({
    type: 'string',
    format: 'uuid',
    nullable: true,
    description: 'The public comment a reply became; null when the mail opened the case',
  })
  commentId: string | null;
  @ApiProperty({ description: 'Whether the mail opened a new case' }) created: boolean;
  @ApiProperty({ format: 'uuid', description: 'The sender, found by address or created' })
  contactId: string;
}

/** The answer when a registered router (not e-mail-to-case) took the mail. */
export class InboundRoutedResultDto extends InboundAttachmentsDto {
  @ApiProperty({ maxLength: 50, example: 'thread', description: 'The router that took the mail' })
  routedTo: string;
  @ApiProperty({ format: 'uuid', description: 'Where it went, e.g. the thread' }) targetId: string;
  @ApiProperty({ format: 'uuid', description: 'What it became there, e.g. the message' })
  itemId: string;
  @ApiProperty({ format: 'uuid', description: 'The sender as a contact' }) contactId: string;
}
