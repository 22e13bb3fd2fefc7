import {
  RECORD_ATTRIBUTES,
  scalarAttribute as scalar,
  type ResourceDefinition,
} from '#platform/records/index.js';

export const TEMPLATE_CHANNELS = ['email', 'sms', 'whatsapp'] as const;
export type TemplateChannel = (typeof TEMPLATE_CHANNELS)[number];
export const TEMPLATE_LANGUAGES = ['en', 'id'] as const;
export const TEMPLATE_FORMATS = ['mjml', 'html', 'text'] as const;
export type TemplateFormat = (typeof TEMPLATE_FORMATS)[number];
export const MISSING_FIELD_RULES = ['blank', 'skip'] as const;

/** A message text for one channel and language; the variants of one message share a key. */
export const MESSAGE_TEMPLATE_DEFINITION: ResourceDefinition = {
  entity: 'message-templates',
  label: 'message-template',
  table: 'message_templates',
  alias: 'mtp',
  attributes: [
    scalar('key', 'key', 'string', { sortable: true }),
    scalar('name', 'name', 'string', { sortable: true, caseInsensitive: true }),
    scalar('channel', 'channel', 'enum', { values: TEMPLATE_CHANNELS, sortable: true }),
    scalar('language', 'language', 'enum', { values: TEMPLATE_LANGUAGES, sortable: true }),
    scalar('format', 'format', 'enum', { values: TEMPLATE_FORMATS }),
    scalar('subject', 'subject', 'string', { nullable: true }),
    scalar('body', 'body', 'string'),
    scalar('onMissingField', 'on_missing_field', 'enum', { values: MISSING_FIELD_RULES }),
    { name: 'mergeFields', column: 'merge_fields', kind: 'array', writable: 'never' },
    ...RECORD_ATTRIBUTES,
  ],
  relations: [],
  search: 'lower(mtp.name)',
  defaultSort: '-createdAt',
};
