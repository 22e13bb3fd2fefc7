import { ApiProperty } from '@nestjs/swagger';
import { IsString, MaxLength, MinLength } from 'class-validator';
import { ContactDto } from '#operational/customers/index.js';
import { ListMetaDto } from '#platform/records/index.js';

export class EraseContactDto {
  @ApiProperty({
    minLength: 1,
    maxLength: 1000,
    example: 'Erasure requested by the data subject by e-mail on 2026-12-01 (ticket 4711)',
    description: 'Why the data is erased; kept in the audit of data-subject requests',
  })
  @IsString()
  @MinLength(1)
  @MaxLength(1000)
  reason: string;
}

const COUNTS = {
  type: 'object',
  maxProperties: 100,
  additionalProperties: { type: 'integer', minimum: 0, maximum: 1_000_000_000 },
  example: { contacts: 1, history: 4, events: 6 },
} as const;

export class PrivacyRequestDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ enum: ['export', 'erasure'] }) kind: string;
  @ApiProperty({
    enum: ['request', 'retention'],
    description: 'An administrator acting on a request, or a retention rule from the config',
  })
  trigger: string;
  @ApiProperty({ maxLength: 100, example: 'contacts' }) subjectEntity: string;
  @ApiProperty({ format: 'uuid' }) subjectId: string;
  @ApiProperty({
    type: 'string',
    format: 'uuid',
    nullable: true,
    description: 'Null for retention',
  })
  actorId: string | null;
  @ApiProperty({ type: 'string', maxLength: 1000, nullable: true }) reason: string | null;
  @ApiProperty({ ...COUNTS, description: 'What the request read or changed, by kind of data' })
  summary: Record<string, number>;
  @ApiProperty({ format: 'date-time' }) at: string;
}

export class PrivacyRequestPageDto {
  @ApiProperty({ type: [PrivacyRequestDto], maxItems: 500 }) data: PrivacyRequestDto[];
  @ApiProperty({ type: ListMetaDto }) meta: ListMetaDto;
}

const ANY_OBJECT = { type: 'object', additionalProperties: true } as const;

class ExportSubjectDto {
  @ApiProperty({ enum: ['contacts'] }) entity: string;
  @ApiProperty({ format: 'uuid' }) id: string;
}

class ExportHistoryEntryDto {
  @ApiProperty({ format: 'date-time' }) at: string;
  @ApiProperty({ enum: ['create', 'update', 'delete', 'restore', 'merge'] }) action: string;
  @ApiProperty({ type: 'string', format: 'uuid', nullable: true }) actorId: string | null;
  @ApiProperty({ type: 'array', maxItems: 1000, items: ANY_OBJECT }) changes: object[];
}

class ExportTimelineEntryDto {
  @ApiProperty({ maxLength: 50 }) type: string;
  @ApiProperty({ format: 'date-time' }) occurredAt: string;
  @ApiProperty({ maxLength: 500 }) title: string;
  @ApiProperty({ maxLength: 100 }) sourceEntity: string;
  @ApiProperty({ format: 'uuid' }) sourceId: string;
  @ApiProperty(ANY_OBJECT) data: object;
}

class ExportReferringRecordsDto {
  @ApiProperty({ maxLength: 100, example: 'orders' }) entity: string;
  @ApiProperty({ maxLength: 100, example: 'contactId' }) attribute: string;
  @ApiProperty({
    type: 'array',
    maxItems: 1_000_000,
    items: ANY_OBJECT,
    description: 'The records as the API shows them to an administrator, deleted ones included',
  })
  records: object[];
}

export class PersonalDataExportDto {
  @ApiProperty({ type: ExportSubjectDto }) subject: ExportSubjectDto;
  @ApiProperty({ format: 'date-time' }) generatedAt: string;
  @ApiProperty({ type: ContactDto, description: 'The contact as stored, deleted or not' })
  contact: ContactDto;
  @ApiProperty({ type: [ExportHistoryEntryDto], maxItems: 1_000_000 })
  history: ExportHistoryEntryDto[];
  @ApiProperty({ type: [ExportTimelineEntryDto], maxItems: 1_000_000 })
  timeline: ExportTimelineEntryDto[];
  @ApiProperty({
    type: [ExportReferringRecordsDto],
    maxItems: 1000,
    description: 'Records of every module that point at the contact, by record type and attribute',
  })
  referringRecords: ExportReferringRecordsDto[];
  @ApiProperty({
    ...ANY_OBJECT,
    description: "Modules' own data on the contact (consent, messages…), by section",
  })
  sections: Record<string, unknown>;
  @ApiProperty({ type: [PrivacyRequestDto], maxItems: 10_000 }) requests: PrivacyRequestDto[];
}
