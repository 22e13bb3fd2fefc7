import {
  RECORD_ATTRIBUTES,
  scalarAttribute as scalar,
  type ResourceDefinition,
} from '#platform/records/index.js';

export const SEGMENT_TYPES = ['dynamic', 'static', 'composite'] as const;
export type SegmentType = (typeof SEGMENT_TYPES)[number];

/** A set of contacts: by rules, by hand, or made of other segments. */
export const SEGMENT_DEFINITION: ResourceDefinition = {
  entity: 'segments',
  label: 'segment',
  table: 'segments',
  alias: 'seg',
  attributes: [
    scalar('name', 'name', 'string', { sortable: true, caseInsensitive: true }),
    scalar('description', 'description', 'string', { nullable: true }),
    scalar('type', 'type', 'enum', { values: SEGMENT_TYPES, sortable: true, writable: 'create' }),
    { name: 'rules', column: 'rules', kind: 'json' },
    { name: 'includeSegmentIds', column: 'include_segment_ids', kind: 'array' },
    { name: 'excludeSegmentIds', column: 'exclude_segment_ids', kind: 'array' },
    scalar('memberCount', 'member_count', 'integer', { sortable: true, writable: 'never' }),
    scalar('refreshedAt', 'refreshed_at', 'datetime', {
      nullable: true,
      sortable: true,
      writable: 'never',
    }),
    ...RECORD_ATTRIBUTES,
  ],
  relations: [],
  search: 'lower(seg.name)',
  defaultSort: '-createdAt',
};
