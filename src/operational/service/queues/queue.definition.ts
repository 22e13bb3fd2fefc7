import {
  RECORD_ATTRIBUTES,
  scalarAttribute,
  type ResourceDefinition,
} from '#platform/records/index.js';
import { QUEUE_STRATEGIES } from './queue-assignment.js';

/** Where cases wait for an agent; its members (queue_members) take them. */
export const QUEUE_DEFINITION: ResourceDefinition = {
  entity: 'queues',
  label: 'queue',
  table: 'queues',
  alias: 'qu',
  attributes: [
    scalarAttribute('name', 'name', 'string', { sortable: true, caseInsensitive: true }),
    scalarAttribute('description', 'description', 'string', { nullable: true }),
    scalarAttribute('strategy', 'strategy', 'enum', { values: QUEUE_STRATEGIES }),
    scalarAttribute('autoAssign', 'auto_assign', 'boolean'),
    ...RECORD_ATTRIBUTES,
  ],
  relations: [],
  search: 'lower(qu.name)',
  defaultSort: 'name',
};
