import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsIn,
  IsInt,
  IsNotEmpty,
  IsObject,
  IsOptional,
  IsString,
  Max,
  MaxLength,
  Min,
} from 'class-validator';
import {
  CustomFieldsInput,
  OwnerIdInput,
  RecordResponse,
  TeamIdInput,
} from '#platform/records/index.js';
import { AUTOMATION_STATUSES, ENTRY_POLICIES, STEP_TYPES } from '../automation.definition.js';

const STEPS_EXAMPLE = [
  { id: 'welcome', type: 'send_template', templateId: '0192f000-0000-7000-8000-000000000101' },
  { id: 'pause', type: 'wait', days: 3 },
  {
    id: 'check',
    type: 'branch',
    if: { contact: { field: 'lifecycleStage', op: 'eq', value: 'customer' } },
    then: null,
    else: 'nudge',
  },
  { id: 'nudge', type: 'send_template', templateId: '0192f000-0000-7000-8000-000000000102' },
  {
    id: 'call',
    type: 'create_task',
    subject: 'Call {{ contact.firstName }} about the offer',
    dueInDays: 2,
    priority: 'high',
  },
  { id: 'notify', type: 'webhook', url: 'https://hooks.example.com/relasi' },
];

const STEPS_DOC =
  `Steps in order; each has an \`id\` and a \`type\` (${STEP_TYPES.join(', ')}) and leads to the next one unless ` +
  '`next` names another (null ends the run). send_template {templateId} (an e-mail template, through the marketing gate); ' +
  'add_to_campaign {campaignId}; update_field {field, value} (a contact field or customFields.code); assign_owner ' +
  '{userId}; wait {seconds | minutes | hours | days}; branch {if: condition, then, else}; create_task {subject (merge ' +
  'fields as in templates, e.g. `Call {{ contact.firstName }}`), dueInDays (0-365), userId? (default: the contact’s ' +
  'owner), priority? (low | normal | high), description?}: a task on the contact, its id in the step outcome; webhook ' +
  '{url}: a signed POST (Standard Webhooks headers, CRM_AUTOMATION_WEBHOOK_SECRET) of {id, type: automation.webhook, ' +
  'timestamp, data: {automationId, runId, stepId, contactId, event}}, tried again with backoff on no answer, 5xx, 408 ' +
  'or 429, each try listed in the step outcome; private addresses only as CRM_WEBHOOK_ALLOWED_HOSTS allows. A loop among the steps, ' +
  'an unknown step id or field: 422 `automation_invalid` with a JSON pointer.';

const TRIGGER_DOC =
  'What starts a run. Either a domain event: any event a module raises (`GET /automations/event-types`); the ' +
  'contact is the event’s contact, or the one with the record’s e-mail. Or a date, with `dateTrigger`: ' +
  '`contact.date_reached` {field, days, direction: after | before} starts a run on the day `days` after (before) ' +
  'the contact’s date, e.g. {field: firstOrderAt, days: 30, direction: after}; `contact.birthday` {field?} on the ' +
  'date’s day every year (29 February: the 28th in other years). Fields: birthdate (the default of a birthday), ' +
  'createdAt, firstOrderAt, lastOrderAt, or customFields.<a date or datetime field of contacts>. Days are the ' +
  'contact’s own, in the time zone of their preferences, else of their record, else of the organization; an hourly ' +
  'job (or `POST /automations/date-triggers/run`) enters contacts whose day came today or yesterday, once per ' +
  'occurrence, so with once_per_period and entryPeriodDays 365 a birthday starts one run a year.';

const DATE_TRIGGER_EXAMPLE = { field: 'firstOrderAt', days: 30, direction: 'after' };

const CONDITION_DOC =
  '`event`: a list of {field, op, value} on the event data (ops eq ne in contains exists notExists, fields as dotted ' +
  'paths such as `record.source`); `contact`: a segment rule tree the contact must match. Both must hold.';

export class CreateAutomationDto {
  @ApiProperty({ maxLength: 200, example: 'Welcome new inquiries' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  name: string;

  @ApiPropertyOptional({ type: 'string', maxLength: 2000, nullable: true })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  description?: string | null;

  @ApiProperty({
    maxLength: 100,
    example: 'lead.created',
    description: TRIGGER_DOC,
  })
  @IsString()
  @MaxLength(100)
  triggerEvent: string;

  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: true,
    nullable: true,
    example: DATE_TRIGGER_EXAMPLE,
    description:
      'With a date trigger (`contact.date_reached`, `contact.birthday`) only: {field, days, direction} or {field}; see triggerEvent',
  })
  @IsOptional()
  @IsObject()
  dateTrigger?: Record<string, unknown> | null;

  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: true,
    example: { event: [{ field: 'record.source', op: 'eq', value: 'web' }] },
    description: CONDITION_DOC,
  })
  @IsOptional()
  @IsObject()
  condition?: Record<string, unknown>;

  @ApiProperty({
    type: 'array',
    items: { type: 'object', additionalProperties: true },
    minItems: 1,
    maxItems: 50,
    example: STEPS_EXAMPLE,
    description: STEPS_DOC,
  })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(50)
  @IsObject({ each: true })
  steps: Record<string, unknown>[];

  @ApiPropertyOptional({
    enum: ENTRY_POLICIES,
    description:
      'How often a contact may enter: once ever (default), once per entryPeriodDays, or every time',
  })
  @IsOptional()
  @IsIn(ENTRY_POLICIES)
  entryPolicy?: string;

  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: 3650, nullable: true })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(3650)
  entryPeriodDays?: number | null;

  @OwnerIdInput()
  ownerId?: string;

  @TeamIdInput()
  teamId?: string | null;

  @CustomFieldsInput('automations')
  customFields?: Record<string, unknown>;
}

export class UpdateAutomationDto extends PartialType(CreateAutomationDto) {}

export class AutomationDto extends RecordResponse(CreateAutomationDto) {
  @ApiProperty({ enum: AUTOMATION_STATUSES }) status: string;
  @ApiProperty({ enum: ENTRY_POLICIES }) declare entryPolicy: string;
  @ApiProperty({ type: 'object', additionalProperties: true }) declare condition: Record<
    string,
    unknown
  >;
  @ApiProperty({ type: 'string', format: 'date-time', nullable: true }) activatedAt: string | null;
  @ApiProperty({ type: 'string', format: 'uuid', nullable: true }) declare teamId: string | null;
}

export class AutomationRunDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) automationId: string;
  @ApiProperty({ format: 'uuid' }) contactId: string;
  @ApiProperty({ maxLength: 100, example: 'lead.created' }) eventType: string;
  @ApiProperty({ type: 'string', format: 'uuid', nullable: true }) eventId: string | null;
  @ApiProperty({ enum: ['running', 'waiting', 'completed', 'failed', 'stopped'] }) status: string;
  @ApiProperty({ format: 'date-time' }) startedAt: string;
  @ApiProperty({ type: 'string', format: 'date-time', nullable: true }) finishedAt: string | null;
}

export class AutomationRunStepDto {
  @ApiProperty({ example: 1 }) seq: number;
  @ApiProperty({ maxLength: 40, example: 'welcome' }) stepId: string;
  @ApiProperty({ enum: STEP_TYPES }) type: string;
  @ApiProperty({
    enum: ['done', 'waiting', 'held', 'skipped', 'failed', 'retrying'],
    description: '`retrying`: a webhook step whose receiver has not taken the POST yet',
  })
  outcome: string;
  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    example: { messageId: '0192f000-0000-7000-8000-000000000201' },
    description:
      'What the step did: the message, the hold-back reason, the branch taken, the task (`taskId`), the webhook tries (`attempts`: attempt, at, status, error, durationMs), the error',
  })
  detail: Record<string, unknown>;
  @ApiProperty({ format: 'date-time' }) at: string;
}

export class AutomationRunDetailDto extends AutomationRunDto {
  @ApiProperty({ type: [AutomationRunStepDto], maxItems: 1000 }) steps: AutomationRunStepDto[];
}

export class AutomationRunPageMetaDto {
  @ApiProperty({ example: 50 }) limit: number;
  @ApiProperty({ type: 'string', nullable: true, maxLength: 36 }) nextCursor: string | null;
}

export class AutomationRunPageDto {
  @ApiProperty({ type: [AutomationRunDto], maxItems: 500 }) data: AutomationRunDto[];
  @ApiProperty({ type: AutomationRunPageMetaDto }) meta: AutomationRunPageMetaDto;
}

export class DateTriggerRunDto {
  @ApiProperty({ example: 3, description: 'Runs started' }) started: number;
}

export class EventTypesDto {
  @ApiProperty({
    type: 'array',
    items: { type: 'string', maxLength: 100 },
    maxItems: 10000,
    example: ['lead.created', 'case.updated'],
  })
  data: string[];
}
