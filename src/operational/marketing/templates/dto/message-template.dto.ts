import { ApiProperty, ApiPropertyOptional, OmitType, PartialType } from '@nestjs/swagger';
import {
  IsEmail,
  IsIn,
  IsNotEmpty,
  IsObject,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  MaxLength,
} from 'class-validator';
import {
  CustomFieldsInput,
  OwnerIdInput,
  RecordResponse,
  TeamIdInput,
} from '#platform/records/index.js';
import {
  MISSING_FIELD_RULES,
  TEMPLATE_CHANNELS,
  TEMPLATE_FORMATS,
  TEMPLATE_LANGUAGES,
} from '../message-template.definition.js';

const BODY_EXAMPLE =
  '<mjml><mj-body><mj-section><mj-column><mj-text>Hello {{ contact.firstName | default: "there" }},' +
  ' our {{ campaign.name }} starts soon.</mj-text><mj-button href="{{ links.preferences }}">Your preferences' +
  '</mj-button></mj-column></mj-section></mj-body></mjml>';

const MERGE_DOC =
  'Liquid (strict, sandboxed: no includes, own properties only, time and size limits). Merge fields: ' +
  '`contact.<field>` and `contact.customFields.<code>`, `account.<field>`, `owner.firstName|lastName|name|email`, ' +
  '`campaign.<field>`, `links.preferences`, `links.unsubscribe`, and in automations `event.<payload field>`. ' +
  '`{{ contact.firstName | default: "there" }}` gives a fallback. An unknown field or a syntax error: 422 `template_invalid` with line and column.';

export class CreateMessageTemplateDto {
  @ApiProperty({
    maxLength: 100,
    pattern: '^[a-z0-9][a-z0-9_.-]{0,99}$',
    example: 'webinar-invite',
    description: 'Names the message; its variants per channel and language share it',
  })
  @IsString()
  @Matches(/^[a-z0-9][a-z0-9_.-]{0,99}$/, {
    message: 'must be lower-case letters, digits, _ . - (up to 100)',
  })
  @MaxLength(100)
  key: string;

  @ApiProperty({ maxLength: 200, example: 'Webinar invitation (English)' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  name: string;

  @ApiProperty({ enum: TEMPLATE_CHANNELS })
  @IsIn(TEMPLATE_CHANNELS)
  channel: string;

  @ApiProperty({ enum: TEMPLATE_LANGUAGES })
  @IsIn(TEMPLATE_LANGUAGES)
  language: string;

  @ApiPropertyOptional({
    enum: TEMPLATE_FORMATS,
    description:
      'E-mail: mjml (compiled to responsive HTML) or html; SMS and WhatsApp: text. Default: mjml for e-mail, text otherwise',
  })
  @IsOptional()
  @IsIn(TEMPLATE_FORMATS)
  format?: string;

  @ApiPropertyOptional({
    type: 'string',
    maxLength: 500,
    nullable: true,
    example: 'Join our {{ campaign.name }}',
    description: 'E-mail only, and required there. Liquid, like the body',
  })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  subject?: string | null;

  @ApiProperty({ maxLength: 100000, example: BODY_EXAMPLE, description: MERGE_DOC })
  @IsString()
  @IsNotEmpty()
  @MaxLength(100000)
  body: string;

  @ApiPropertyOptional({
    enum: MISSING_FIELD_RULES,
    description:
      'A merge field with no value and no `| default:`: `blank` renders nothing, `skip` sends nothing to that contact (recorded with the field). Default blank',
  })
  @IsOptional()
  @IsIn(MISSING_FIELD_RULES)
  onMissingField?: string;

  @OwnerIdInput()
  ownerId?: string;

  @TeamIdInput()
  teamId?: string | null;

  @CustomFieldsInput('message-templates')
  customFields?: Record<string, unknown>;
}

export class UpdateMessageTemplateDto extends PartialType(
  OmitType(CreateMessageTemplateDto, ['channel'] as const),
) {}

export class MessageTemplateDto extends RecordResponse(CreateMessageTemplateDto) {
  @ApiProperty({ enum: TEMPLATE_FORMATS }) declare format: string;
  @ApiProperty({ enum: MISSING_FIELD_RULES }) declare onMissingField: string;
  @ApiProperty({ type: 'string', maxLength: 500, nullable: true }) declare subject: string | null;
  @ApiProperty({
    type: 'array',
    items: { type: 'string', maxLength: 300 },
    maxItems: 1000,
    example: ['campaign.name', 'contact.firstName'],
    description: 'The merge fields the template reads',
  })
  mergeFields: string[];
  @ApiProperty({ type: 'string', format: 'uuid', nullable: true }) declare teamId: string | null;
}

export class TemplatePreviewRequestDto {
  @ApiPropertyOptional({
    format: 'uuid',
    description: 'Render for this contact (needs read on it)',
  })
  @IsOptional()
  @IsUUID('all')
  contactId?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'Fill `campaign.*` from this campaign' })
  @IsOptional()
  @IsUUID('all')
  campaignId?: string;

  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: true,
    example: { contact: { firstName: 'Sari' }, campaign: { name: 'June webinar' } },
    description: 'Sample values by merge-field root; they override what the records give',
  })
  @IsOptional()
  @IsObject()
  sample?: Record<string, unknown>;
}

export class TemplatePreviewDto {
  @ApiProperty({
    format: 'uuid',
    description: 'The variant rendered (the contact’s language when there is one)',
  })
  templateId: string;
  @ApiProperty({ enum: TEMPLATE_LANGUAGES }) language: string;
  @ApiProperty({ type: 'string', maxLength: 500, nullable: true }) subject: string | null;
  @ApiProperty({ type: 'string', maxLength: 5000000, nullable: true, description: 'E-mail only' })
  html: string | null;
  @ApiProperty({ maxLength: 5000000 }) text: string;
  @ApiProperty({
    type: 'string',
    maxLength: 300,
    nullable: true,
    example: null,
    description:
      'Under `skip`: the field whose missing value would keep this contact from the message',
  })
  skippedFor: string | null;
}

export class TemplateTestSendDto extends TemplatePreviewRequestDto {
  @ApiProperty({ maxLength: 254, example: 'marketer@example.com' })
  @IsEmail()
  @MaxLength(254)
  to: string;
}

export class TemplateTestSentDto {
  @ApiProperty({ maxLength: 254 }) to: string;
  @ApiProperty({ maxLength: 500 }) subject: string;
  @ApiProperty({ maxLength: 300, description: 'Message-ID header of the test mail' })
  messageId: string;
}
