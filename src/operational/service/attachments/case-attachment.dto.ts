import { ApiProperty } from '@nestjs/swagger';

export class CaseAttachmentDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) caseId: string;
  @ApiProperty({ type: 'string', format: 'uuid', nullable: true }) commentId: string | null;
  @ApiProperty({ maxLength: 255, example: 'invoice.pdf' }) fileName: string;
  @ApiProperty({
    maxLength: 100,
    example: 'application/pdf',
    description: 'Sniffed from the content when uploaded',
  })
  mediaType: string;
  @ApiProperty({ example: 48213 }) sizeBytes: number;
  @ApiProperty({
    maxLength: 64,
    example: 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
  })
  sha256: string;
  @ApiProperty({ type: 'string', format: 'uuid', nullable: true, description: 'Staff uploader' })
  createdById: string | null;
  @ApiProperty({
    type: 'string',
    format: 'uuid',
    nullable: true,
    description: 'Customer uploader (in the portal)',
  })
  createdByContactId: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
}

export class CaseAttachmentListDto {
  @ApiProperty({ type: [CaseAttachmentDto], maxItems: 1000 }) data: CaseAttachmentDto[];
}

/** The multipart form of an upload, for the API document. */
export class UploadAttachmentFormDto {
  @ApiProperty({ type: 'string', format: 'binary', maxLength: 1_073_741_824 }) file: unknown;
}
