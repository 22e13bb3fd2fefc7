import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IMPORT_MAX_BYTES_CEILING } from '#platform/config/env.js';
import { ListMetaDto } from '#platform/records/dto/list.dto.js';

export const IMPORT_STATUSES = ['queued', 'running', 'completed', 'failed', 'cancelled'] as const;
export type ImportStatus = (typeof IMPORT_STATUSES)[number];
export const DUPLICATE_MODES = ['skip', 'update', 'create'] as const;
export type DuplicateMode = (typeof DUPLICATE_MODES)[number];

/**
 * What an import accepts: columns of the header row and the length of their names, the form
 * fields (a mapping up to the multipart field limit) and the longest field path a column maps to.
 */
export const IMPORT_LIMITS = {
  columns: 1000,
  columnName: 1000,
  entity: 100,
  mapping: 1_048_576,
  field: 200,
} as const;

/** The multipart form of POST /api/v1/imports, for the OpenAPI document. */
export class CreateImportFormDto {
  @ApiProperty({
    type: 'string',
    format: 'binary',
    maxLength: IMPORT_MAX_BYTES_CEILING,
    description:
      'The CSV file: UTF-8 (a byte-order mark is fine), a header row naming the columns, `,` `;` tab or `|` between cells (found from the header row), RFC 4180 quoting. At most CRM_IMPORT_MAX_BYTES (1 GiB by default, 64 GiB at most).',
  })
  file: unknown;

  @ApiProperty({
    maxLength: IMPORT_LIMITS.entity,
    example: 'contacts',
    description:
      'Entity key of the records to create: contacts, accounts, or any other record type (custom objects included)',
  })
  entity: string;

  @ApiPropertyOptional({
    type: 'string',
    maxLength: IMPORT_LIMITS.mapping,
    example:
      '{"E-mail":"email","First name":"firstName","Surname":"lastName","Mobile":"phones.number","Tier":"customFields.tier"}',
    description:
      'JSON object: CSV column → field. Fields: built-in attributes (`email`), money parts (`annualRevenue.amount`, `annualRevenue.currency`; without a currency the organization default applies), a key of one object of a list (`phones.number`, `phones.label`, `addresses[1].city`), or custom fields (`customFields.tier`, `customFields.budget.amount`). Lists (`otherEmails`, multi-picklists) are separated by `;`; structured fields also take JSON. `null` leaves a column out. Without a mapping, every column whose header is a field name is read (the headers an export writes).',
  })
  mapping?: string;

  @ApiPropertyOptional({
    enum: DUPLICATE_MODES,
    default: 'skip',
    description:
      "What to do with a row that matches an existing record: skip it, update the record with the row's non-empty cells, or create another record anyway. A row matches by `customFields.externalId` when the entity has that custom field and the mapping sets it; otherwise by the entity's rules — contacts by email (any of their emails), then by name and phone; accounts by name and phone; other record types by their own duplicate check, if any. The caller needs `update` on the entity for `update`.",
  })
  duplicates?: DuplicateMode;
}

/** Columns of the header row, as an import was given them. */
const COLUMN_LIST = {
  type: 'array',
  items: { type: 'string', maxLength: IMPORT_LIMITS.columnName },
  maxItems: IMPORT_LIMITS.columns,
} as const;

export class ImportDto {
  @ApiProperty({ format: 'uuid', example: '0192f3a1-7c2e-7d41-9a55-3f1f0c9b8e21' }) id: string;
  @ApiProperty({ maxLength: 100, example: 'contacts' }) entity: string;
  @ApiProperty({ enum: IMPORT_STATUSES, example: 'running' }) status: ImportStatus;
  @ApiProperty({ enum: DUPLICATE_MODES, example: 'skip' }) duplicates: DuplicateMode;
  @ApiProperty({ maxLength: 255, type: String, nullable: true, example: 'customers-2026.csv' })
  fileName: string | null;
  @ApiProperty({ example: 1048576, description: 'Size of the uploaded file in bytes' })
  fileBytes: number;
  @ApiProperty({
    ...COLUMN_LIST,
    example: ['E-mail', 'First name', 'Surname', 'Tier'],
  })
  columns: string[];
  @ApiProperty({
    type: 'object',
    maxProperties: IMPORT_LIMITS.columns,
    additionalProperties: { type: 'string', maxLength: IMPORT_LIMITS.field },
    example: { 'E-mail': 'email', Surname: 'lastName', Tier: 'customFields.tier' },
    description: 'The columns read and the field each goes to',
  })
  mapping: Record<string, string>;
  @ApiProperty({ ...COLUMN_LIST, example: ['Notes'], description: 'Columns left unread' })
  ignoredColumns: string[];
  @ApiProperty({ example: 100000, description: 'Records in the file (the header not counted)' })
  total: number;
  @ApiProperty({
    example: 42000,
    description: 'Rows handled so far: created + updated + skipped + failed',
  })
  processed: number;
  @ApiProperty({ example: 41800 }) created: number;
  @ApiProperty({ example: 0 }) updated: number;
  @ApiProperty({
    example: 150,
    description: 'Rows that matched an existing record (duplicates=skip)',
  })
  skipped: number;
  @ApiProperty({ example: 50, description: 'Rows with errors; see /imports/{id}/errors' })
  failed: number;
  @ApiProperty({
    maxLength: 10000,
    type: String,
    nullable: true,
    example: null,
    description: 'Why the import as a whole failed',
  })
  error: string | null;
  @ApiProperty({ format: 'uuid' }) ownerId: string;
  @ApiProperty({ format: 'date-time', example: '2026-03-01T09:00:00.000Z' }) createdAt: string;
  @ApiProperty({
    type: String,
    format: 'date-time',
    nullable: true,
    example: '2026-03-01T09:00:01.000Z',
  })
  startedAt: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true, example: null })
  finishedAt: string | null;
}

export class ImportListDto {
  @ApiProperty({ type: [ImportDto], maxItems: 500 }) data: ImportDto[];
  @ApiProperty({ type: ListMetaDto }) meta: ListMetaDto;
}

export class ImportErrorDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({
    example: 17,
    description: 'Record number in the file; 1 is the first after the header',
  })
  rowNumber: number;
  @ApiProperty({ example: 18, description: 'Line of the file the record starts on' })
  line: number;
  @ApiProperty({
    maxLength: IMPORT_LIMITS.columnName,
    type: String,
    nullable: true,
    example: 'E-mail',
    description: 'CSV column',
  })
  column: string | null;
  @ApiProperty({
    maxLength: 200,
    type: String,
    nullable: true,
    example: 'email',
    description: 'Field it maps to',
  })
  field: string | null;
  @ApiProperty({
    maxLength: 100,
    example: 'isEmail',
    description: 'Stable code of the rule or problem',
  })
  code: string;
  @ApiProperty({ maxLength: 1000, example: 'must be an email address' }) message: string;
  @ApiProperty({ maxLength: 10000, type: String, nullable: true, example: 'sari.wijaya@' }) value:
    string | null;
}

export class ImportErrorListDto {
  @ApiProperty({ type: [ImportErrorDto], maxItems: 500 }) data: ImportErrorDto[];
  @ApiProperty({ type: ListMetaDto }) meta: ListMetaDto;
}
