import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsNotEmpty, IsOptional, IsString, MaxLength } from 'class-validator';

export const COMMENT_VISIBILITIES = ['public', 'internal'] as const;
export type CommentVisibility = (typeof COMMENT_VISIBILITIES)[number];
/** Where a comment was written: the API (staff), a customer's e-mail, or the customer portal. */
export const COMMENT_SOURCES = ['api', 'email', 'portal'] as const;
export type CommentSource = (typeof COMMENT_SOURCES)[number];

export class CreateCaseCommentDto {
  @ApiProperty({ maxLength: 50000, example: 'We have corrected the invoice; a new one follows.' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(50000)
  body: string;

  @ApiPropertyOptional({
    enum: COMMENT_VISIBILITIES,
    default: 'internal',
    description:
      'Public comments are for the customer; the first one by staff is the first response',
  })
  @IsOptional()
  @IsIn(COMMENT_VISIBILITIES)
  visibility?: CommentVisibility;
}

export class CaseCommentDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) caseId: string;
  @ApiProperty({ maxLength: 50000 }) body: string;
  @ApiProperty({ enum: COMMENT_VISIBILITIES }) visibility: CommentVisibility;
  @ApiProperty({ type: 'string', format: 'uuid', nullable: true, description: 'Staff author' })
  authorUserId: string | null;
  @ApiProperty({
    type: 'string',
    format: 'uuid',
    nullable: true,
    description: 'Customer author (a reply by e-mail or in the portal)',
  })
  authorContactId: string | null;
  @ApiProperty({ enum: COMMENT_SOURCES }) source: CommentSource;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
}

export class CaseCommentListDto {
  @ApiProperty({ type: [CaseCommentDto], maxItems: 1000 }) data: CaseCommentDto[];
}
