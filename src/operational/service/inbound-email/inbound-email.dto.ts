import { ApiProperty } from '@nestjs/swagger';

export class SkippedAttachmentDto {
  @ApiProperty({ maxLength: 255, example: 'setup.exe' }) fileName: string;
  @ApiProperty({
    enum: ['case_attachment_too_large', 'case_attachment_type_forbidden'],
    description: 'Why the file was not kept',
  })
  reason: string;
}

export class InboundEmailResultDto {
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
