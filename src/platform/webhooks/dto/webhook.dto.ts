import { ApiProperty, type ApiPropertyOptions, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsNotEmpty,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
  ValidateIf,
} from 'class-validator';
import { ListMetaDto } from '#platform/records/dto/list.dto.js';

/** `*`, `<label>.*` or an exact `<label>.<verb>` such as `contact.created`. */
export const EVENT_TYPE_PATTERN = /^(\*|[a-z][a-z0-9_]*\.(\*|[a-z][a-z0-9_]*))$/;
/** Plural entity keys as in permissions and events, e.g. `contacts`. */
export const ENTITY_PATTERN = /^[a-z][a-z0-9_]*$/;

export const WEBHOOK_STATUSES = ['active', 'inactive', 'paused', 'disabled'] as const;
export type WebhookStatus = (typeof WEBHOOK_STATUSES)[number];

const URL_DOC: ApiPropertyOptions = {
  example: 'https://hooks.example.com/relasi',
  maxLength: 2048,
  description:
    'http or https, without user name or password. Hosts resolving to loopback, link-local, private, CGNAT, unspecified, multicast or reserved addresses are refused unless allowed in CRM_WEBHOOK_ALLOWED_HOSTS.',
};
const EVENT_TYPES_DOC: ApiPropertyOptions = {
  type: 'array',
  items: { type: 'string', maxLength: 100 },
  example: ['contact.created', 'account.*'],
  maxItems: 50,
  description:
    'Exact types (`contact.created`), every type of an entity (`contact.*`) or everything (`*`).',
};
const ENTITIES_DOC: ApiPropertyOptions = {
  type: 'array',
  items: { type: 'string', maxLength: 100 },
  example: ['contacts'],
  maxItems: 50,
  description: 'Only events of these entities (plural keys); empty or absent: any entity.',
};

export class CreateWebhookDto {
  @ApiProperty(URL_DOC)
  @IsString()
  @IsNotEmpty()
  @MaxLength(2048)
  url: string;

  @ApiPropertyOptional({
    type: String,
    example: 'Sync new contacts to the data warehouse',
    maxLength: 500,
    nullable: true,
  })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  description?: string | null;

  @ApiProperty(EVENT_TYPES_DOC)
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(50)
  @IsString({ each: true })
  @MaxLength(100, { each: true })
  @Matches(EVENT_TYPE_PATTERN, { each: true })
  eventTypes: string[];

  @ApiPropertyOptional(ENTITIES_DOC)
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @IsString({ each: true })
  @MaxLength(100, { each: true })
  @Matches(ENTITY_PATTERN, { each: true })
  entities?: string[];

  @ApiPropertyOptional({ example: true, default: true })
  @IsOptional()
  @IsBoolean()
  active?: boolean;
}

export class UpdateWebhookDto {
  @ApiPropertyOptional(URL_DOC)
  @ValidateIf((_: object, v: unknown) => v !== undefined)
  @IsString()
  @IsNotEmpty()
  @MaxLength(2048)
  url?: string;

  @ApiPropertyOptional({
    type: String,
    example: 'Sync contacts to the warehouse',
    maxLength: 500,
    nullable: true,
  })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  description?: string | null;

  @ApiPropertyOptional(EVENT_TYPES_DOC)
  @ValidateIf((_: object, v: unknown) => v !== undefined)
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(50)
  @IsString({ each: true })
  @MaxLength(100, { each: true })
  @Matches(EVENT_TYPE_PATTERN, { each: true })
  eventTypes?: string[];

  @ApiPropertyOptional(ENTITIES_DOC)
  @ValidateIf((_: object, v: unknown) => v !== undefined)
  @IsArray()
  @ArrayMaxSize(50)
  @IsString({ each: true })
  @MaxLength(100, { each: true })
  @Matches(ENTITY_PATTERN, { each: true })
  entities?: string[];

  @ApiPropertyOptional({
    example: true,
    description:
      'false stops deliveries; true resumes a paused or disabled webhook and clears its failure count',
  })
  @ValidateIf((_: object, v: unknown) => v !== undefined)
  @IsBoolean()
  active?: boolean;
}

export class WebhookDto {
  @ApiProperty({ format: 'uuid', example: '0192f3a1-7c2e-7d41-9a55-3f1f0c9b8e21' }) id: string;
  @ApiProperty({ maxLength: 2048, example: 'https://hooks.example.com/relasi' }) url: string;
  @ApiProperty({
    maxLength: 500,
    type: String,
    nullable: true,
    example: 'Sync new contacts to the data warehouse',
  })
  description: string | null;
  @ApiProperty(EVENT_TYPES_DOC) eventTypes: string[];
  @ApiProperty(ENTITIES_DOC) entities: string[];
  @ApiProperty({ example: true, description: 'Whether deliveries are being sent (status active)' })
  active: boolean;
  @ApiProperty({
    enum: WEBHOOK_STATUSES,
    example: 'active',
    description:
      '`inactive`: switched off by an admin; `paused`: too many failed deliveries; `disabled`: the receiver answered 410 Gone',
  })
  status: WebhookStatus;
  @ApiProperty({
    maxLength: 1000,
    type: String,
    nullable: true,
    example: null,
    description: 'Why it was paused or disabled',
  })
  pausedReason: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true, example: null }) pausedAt:
    string | null;
  @ApiProperty({ example: 0, description: 'Failed deliveries since the last success' })
  consecutiveFailures: number;
  @ApiProperty({
    type: String,
    format: 'date-time',
    nullable: true,
    example: '2026-03-01T09:30:00.000Z',
  })
  lastSuccessAt: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true, example: null })
  lastFailureAt: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true, example: null })
  secretRotatedAt: string | null;
  @ApiProperty({
    type: String,
    format: 'date-time',
    nullable: true,
    example: null,
    description: 'Until then deliveries are signed with the previous secret too',
  })
  previousSecretExpiresAt: string | null;
  @ApiProperty({ format: 'date-time', example: '2026-02-01T08:00:00.000Z' }) createdAt: string;
  @ApiProperty({ format: 'date-time', example: '2026-03-01T09:30:00.000Z' }) updatedAt: string;
  @ApiProperty({ example: 1 }) version: number;
}

export class WebhookWithSecretDto extends WebhookDto {
  @ApiProperty({
    maxLength: 200,
    example: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw6s9r+pJ5GIo=',
    description:
      'Signing secret (Standard Webhooks format). Shown only in this response; store it now.',
  })
  secret: string;
}

export class WebhookListDto {
  @ApiProperty({ type: [WebhookDto], maxItems: 500 }) data: WebhookDto[];
  @ApiProperty({ type: ListMetaDto }) meta: ListMetaDto;
}
