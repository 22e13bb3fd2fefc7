import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ListMetaDto } from '#platform/records/index.js';

export class ReportResultDto {
  @ApiProperty({ enum: ['cube', 'list'] })
  kind: string;

  @ApiPropertyOptional({ maxLength: 3, example: 'IDR' })
  currency?: string;

  @ApiPropertyOptional({ format: 'date-time', maxLength: 40 })
  dataAsOf?: string;

  @ApiProperty({ type: [String], maxItems: 500, items: { type: 'string', maxLength: 200 } })
  columns: string[];

  @ApiProperty({
    type: 'array',
    maxItems: 10_000,
    items: { type: 'object', additionalProperties: true },
    description:
      'Cube reports: dimension values and measures by name, `rolledUp` on subtotal rows; list reports: the records',
  })
  rows: Record<string, unknown>[];
}

export class ReportRunDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) reportId: string;
  @ApiProperty({ enum: ['manual', 'schedule'] }) trigger: string;
  @ApiProperty({ enum: ['completed', 'failed'] }) status: string;
  @ApiProperty({ format: 'uuid', description: 'Whose access the run had' }) runById: string;
  @ApiProperty({ format: 'date-time' }) startedAt: string;
  @ApiProperty({ format: 'date-time' }) finishedAt: string;
  @ApiProperty({ minimum: 0 }) rowCount: number;
  @ApiProperty({
    type: 'boolean',
    nullable: true,
    description: 'Whether the exception condition held; null without one',
  })
  conditionHeld: boolean | null;
  @ApiProperty({ description: 'Pushed to an inbox or by e-mail' }) delivered: boolean;
  @ApiProperty({ type: 'string', nullable: true, enum: ['sent', 'failed', 'off'] })
  emailStatus: string | null;
  @ApiProperty({ type: 'string', nullable: true, maxLength: 2000 }) error: string | null;
  @ApiPropertyOptional({ type: ReportResultDto, nullable: true }) result?: ReportResultDto | null;
}

export class ReportRunPageDto {
  @ApiProperty({ type: [ReportRunDto], maxItems: 100 }) data: ReportRunDto[];
  @ApiProperty({ type: ListMetaDto }) meta: ListMetaDto;
}

export class ReportInboxEntryDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) reportId: string;
  @ApiProperty({ format: 'uuid' }) runId: string;
  @ApiProperty({ maxLength: 200 }) reportName: string;
  @ApiProperty({ minimum: 0 }) rowCount: number;
  @ApiProperty({ type: 'boolean', nullable: true }) conditionHeld: boolean | null;
  @ApiProperty({ format: 'date-time' }) deliveredAt: string;
  @ApiProperty({ type: 'string', format: 'date-time', nullable: true }) readAt: string | null;
}

export class ReportInboxMetaDto extends ListMetaDto {
  @ApiProperty({ minimum: 0, description: 'Unread entries in the whole inbox' }) unread: number;
}

export class ReportInboxPageDto {
  @ApiProperty({ type: [ReportInboxEntryDto], maxItems: 100 }) data: ReportInboxEntryDto[];
  @ApiProperty({ type: ReportInboxMetaDto }) meta: ReportInboxMetaDto;
}
