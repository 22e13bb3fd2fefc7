import { ApiProperty, ApiPropertyOptional, OmitType, PartialType } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsEmail,
  IsIn,
  IsNotEmpty,
  IsObject,
  IsOptional,
  IsString,
  IsUUID,
  MaxLength,
  registerDecorator,
  ValidateNested,
} from 'class-validator';
import { IsTimeZone } from '#platform/http/index.js';
import {
  CustomFieldsInput,
  OwnerIdInput,
  RecordResponse,
  TeamIdInput,
} from '#platform/records/index.js';
import { CONDITION_KINDS, CONDITION_OPERATORS } from '../report-condition.js';
import { REPORT_KINDS } from '../report.definition.js';

export const MAX_SHARES = 50;
export const MAX_RECIPIENTS = 100;
export const EXPORT_FORMATS = ['csv', 'xlsx', 'pdf'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

function IsStringOrNumber(): PropertyDecorator {
  return (target, property) =>
    registerDecorator({
      name: 'isStringOrNumber',
      target: target.constructor,
      propertyName: property as string,
      options: { message: 'value must be a number or a string of at most 200 characters' },
      validator: {
        validate: (v: unknown) =>
          (typeof v === 'number' && Number.isFinite(v)) ||
          (typeof v === 'string' && v.length <= 200),
      },
    });
}

export class ReportConditionDto {
  @ApiProperty({
    enum: CONDITION_KINDS,
    description:
      '`rowsExist`: the result has rows; `rowCount`: the number of rows compares with `value`; ' +
      '`anyRow`: some row’s `field` (a measure, dimension or record field) compares with `value` — the run keeps just those rows',
  })
  @IsIn(CONDITION_KINDS)
  when: (typeof CONDITION_KINDS)[number];

  @ApiPropertyOptional({ enum: CONDITION_OPERATORS })
  @IsOptional()
  @IsIn(CONDITION_OPERATORS)
  op?: (typeof CONDITION_OPERATORS)[number];

  @ApiPropertyOptional({ maxLength: 100, example: 'winRate' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  field?: string;

  @ApiPropertyOptional({
    oneOf: [{ type: 'number' }, { type: 'string', maxLength: 200 }],
    example: '0.3',
    description: 'Money compares by its amount',
  })
  @IsOptional()
  @IsStringOrNumber()
  value?: string | number;
}

export class ReportEmailDto {
  @ApiProperty({
    type: [String],
    minItems: 1,
    maxItems: 20,
    items: { type: 'string', format: 'email', maxLength: 320 },
    example: ['manager@example.com'],
  })
  @IsArray()
  @ArrayMaxSize(20)
  @IsEmail({}, { each: true })
  @MaxLength(320, { each: true })
  to: string[];

  @ApiProperty({
    enum: EXPORT_FORMATS,
    description: 'The attachment: CSV, XLSX or a PDF with a chart',
  })
  @IsIn(EXPORT_FORMATS)
  format: ExportFormat;
}

export class ReportDeliveryDto {
  @ApiPropertyOptional({
    default: true,
    description: 'Each delivered run goes to the inbox of the owner and of `userIds`',
  })
  @IsOptional()
  @IsBoolean()
  inbox?: boolean;

  @ApiPropertyOptional({
    type: [String],
    maxItems: MAX_RECIPIENTS,
    items: { type: 'string', format: 'uuid' },
    description: 'Other users whose inbox gets each delivered run',
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(MAX_RECIPIENTS)
  @IsUUID('all', { each: true })
  userIds?: string[];

  @ApiPropertyOptional({ type: ReportEmailDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => ReportEmailDto)
  email?: ReportEmailDto;
}

const QUERY_DOC =
  'kind `cube`: a body of POST /analytics/cube (runs keep the rows shape). kind `list`: ' +
  '`{resource, filter?, sort?, limit?, fields?}` — a resource’s plural key and the body of its POST …/query.';

export class CreateReportDto {
  @ApiProperty({ maxLength: 200, example: 'Win rate by region' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  name: string;

  @ApiPropertyOptional({ type: 'string', maxLength: 2000, nullable: true })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  description?: string | null;

  @ApiProperty({ enum: REPORT_KINDS, description: 'Set once' })
  @IsIn(REPORT_KINDS)
  kind: string;

  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    description: QUERY_DOC,
    example: { cube: 'opportunities', measures: ['winRate'], dimensions: ['region'] },
  })
  @IsObject()
  query: Record<string, unknown>;

  @ApiPropertyOptional({
    type: ReportConditionDto,
    nullable: true,
    description: 'An exception report: runs are delivered only when this holds',
  })
  @IsOptional()
  @ValidateNested()
  @Type(() => ReportConditionDto)
  condition?: ReportConditionDto | null;

  @ApiPropertyOptional({
    type: 'string',
    maxLength: 100,
    nullable: true,
    example: '0 7 * * 1',
    description:
      'Cron (5 fields, or 6 with seconds first) read in `timeZone`; null: on demand only',
  })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  schedule?: string | null;

  @ApiPropertyOptional({
    type: 'string',
    maxLength: 64,
    nullable: true,
    example: 'Asia/Jakarta',
    description: 'IANA time zone of the schedule; default: the organization’s',
  })
  @IsOptional()
  @IsTimeZone()
  timeZone?: string | null;

  @ApiPropertyOptional({ default: true, description: 'A paused report is not run on its schedule' })
  @IsOptional()
  @IsBoolean()
  active?: boolean;

  @ApiPropertyOptional({ type: ReportDeliveryDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => ReportDeliveryDto)
  delivery?: ReportDeliveryDto;

  @ApiPropertyOptional({
    type: [String],
    maxItems: MAX_SHARES,
    items: { type: 'string', format: 'uuid' },
    description: 'Members of these teams see the report and its runs',
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(MAX_SHARES)
  @IsUUID('all', { each: true })
  sharedTeamIds?: string[];

  @ApiPropertyOptional({
    type: [String],
    maxItems: MAX_SHARES,
    items: { type: 'string', format: 'uuid' },
    description: 'Users with these roles see the report and its runs',
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(MAX_SHARES)
  @IsUUID('all', { each: true })
  sharedRoleIds?: string[];

  @OwnerIdInput()
  ownerId?: string;

  @TeamIdInput()
  teamId?: string | null;

  @CustomFieldsInput('reports')
  customFields?: Record<string, unknown>;
}

export class UpdateReportDto extends PartialType(OmitType(CreateReportDto, ['kind'] as const)) {}

export class ReportDto extends RecordResponse(CreateReportDto) {
  @ApiProperty({
    type: 'string',
    format: 'date-time',
    nullable: true,
    description: 'Next scheduled run',
  })
  nextRunAt: string | null;
  @ApiProperty({ type: 'string', format: 'date-time', nullable: true })
  lastRunAt: string | null;
  @ApiProperty({ type: 'string', format: 'uuid', nullable: true }) declare teamId: string | null;
}
