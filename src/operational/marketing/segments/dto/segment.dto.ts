import { ApiProperty, ApiPropertyOptional, OmitType, PartialType } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsIn,
  IsNotEmpty,
  IsObject,
  IsOptional,
  IsString,
  IsUUID,
  MaxLength,
} from 'class-validator';
import { ContactDto } from '#operational/customers/index.js';
import {
  CustomFieldsInput,
  OwnerIdInput,
  RecordResponse,
  TeamIdInput,
} from '#platform/records/index.js';
import { SEGMENT_TYPES } from '../segment.definition.js';

export const MAX_SEGMENT_PARTS = 50;
export const MAX_MEMBER_CHANGE = 1000;

/** A rule as the API document shows it. */
export const RULE_EXAMPLE = {
  all: [
    { field: 'lifecycleStage', op: 'eq', value: 'customer' },
    { field: 'account.industry', op: 'in', value: ['retail', 'banking'] },
    { field: 'createdAt', op: 'withinLast', value: { days: 365 } },
    { fact: 'purchased', productFamilyId: '0192f000-0000-7000-8000-000000000042', withinDays: 180 },
    { not: { fact: 'lifetimeRevenue', currency: 'IDR', lt: '1000000' } },
  ],
};

const RULE_DOC =
  'A tree of `{all:[…]}`, `{any:[…]}`, `{not:{…}}`, conditions `{field, op, value}` and facts `{fact, …}`. ' +
  'Fields: the contact’s own, `customFields.code`, and `account.<field>`. Ops: eq ne in nin gt gte lt lte ' +
  'contains startsWith isNull between withinLast (`{days}`). Facts: purchased {productId | productFamilyId, withinDays?}, ' +
  'lifetimeRevenue {currency, gt | gte | lt | lte}, orderCount {eq | gt | gte | lt | lte, withinDays?}, ' +
  'hasActivity {type?, withinDays?}. A bad node answers 422 with its JSON pointer.';

export class CreateSegmentDto {
  @ApiProperty({ maxLength: 200, example: 'Retail customers buying laptops' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  name: string;

  @ApiPropertyOptional({ type: 'string', maxLength: 2000, nullable: true })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  description?: string | null;

  @ApiProperty({ enum: SEGMENT_TYPES, description: 'Set once' })
  @IsIn(SEGMENT_TYPES)
  type: string;

  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: true,
    nullable: true,
    description: `Dynamic segments only. ${RULE_DOC}`,
    example: RULE_EXAMPLE,
  })
  @IsOptional()
  @IsObject()
  rules?: Record<string, unknown> | null;

  @ApiPropertyOptional({
    type: [String],
    format: 'uuid',
    maxItems: MAX_SEGMENT_PARTS,
    description: 'Composite segments: members of any of these…',
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(MAX_SEGMENT_PARTS)
  @IsUUID('all', { each: true })
  includeSegmentIds?: string[];

  @ApiPropertyOptional({
    type: [String],
    format: 'uuid',
    maxItems: MAX_SEGMENT_PARTS,
    description: '…except members of any of these',
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(MAX_SEGMENT_PARTS)
  @IsUUID('all', { each: true })
  excludeSegmentIds?: string[];

  @OwnerIdInput()
  ownerId?: string;

  @TeamIdInput()
  teamId?: string | null;

  @CustomFieldsInput('segments')
  customFields?: Record<string, unknown>;
}

export class UpdateSegmentDto extends PartialType(OmitType(CreateSegmentDto, ['type'] as const)) {}

export class SegmentDto extends RecordResponse(CreateSegmentDto) {
  @ApiProperty({ example: 1250, description: 'Members as of the last refresh' })
  memberCount: number;
  @ApiProperty({ type: 'string', format: 'date-time', nullable: true })
  refreshedAt: string | null;
  @ApiProperty({ type: 'string', format: 'uuid', nullable: true }) declare teamId: string | null;
}

export class SegmentPreviewRequestDto {
  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    description: RULE_DOC,
    example: RULE_EXAMPLE,
  })
  @IsObject()
  rules: Record<string, unknown>;
}

export class SegmentPreviewDto {
  @ApiProperty({ example: 1250, description: 'Contacts the rule selects among those you may read' })
  count: number;
  @ApiProperty({ type: [ContactDto], maxItems: 20, description: 'The first 20 of them' })
  sample: ContactDto[];
}

export class SegmentMembersChangeDto {
  @ApiProperty({ type: [String], format: 'uuid', minItems: 1, maxItems: MAX_MEMBER_CHANGE })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_MEMBER_CHANGE)
  @IsUUID('all', { each: true })
  contactIds: string[];
}

export class SegmentMembersChangedDto {
  @ApiProperty({ example: 3, description: 'Contacts added (or removed) by this request' })
  changed: number;
  @ApiProperty({ example: 120 }) memberCount: number;
}

export class SegmentRefreshDto {
  @ApiProperty({ example: 1250 }) memberCount: number;
  @ApiProperty({ example: 30, description: 'Contacts that came in' }) entered: number;
  @ApiProperty({ example: 12, description: 'Contacts that went out' }) left: number;
  @ApiProperty({ format: 'date-time' }) refreshedAt: string;
}
