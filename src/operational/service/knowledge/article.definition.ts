import {
  RECORD_ATTRIBUTES,
  scalarAttribute as scalar,
  type ResourceDefinition,
} from '#platform/records/index.js';
import {
  ARTICLE_CATEGORIES,
  ARTICLE_STATUSES,
  ARTICLE_VISIBILITIES,
  BODY_FORMATS,
} from './article-status.js';

/** A knowledge-base article with its English and Indonesian versions in `content`. */
export const ARTICLE_DEFINITION: ResourceDefinition = {
  entity: 'knowledge-articles',
  label: 'knowledge-article',
  table: 'knowledge_articles',
  alias: 'ka',
  attributes: [
    scalar('slug', 'slug', 'string', { sortable: true }),
    { name: 'content', column: 'content', kind: 'json' },
    scalar('bodyFormat', 'body_format', 'enum', { values: BODY_FORMATS }),
    scalar('status', 'status', 'enum', { values: ARTICLE_STATUSES, sortable: true }),
    scalar('visibility', 'visibility', 'enum', { values: ARTICLE_VISIBILITIES }),
    scalar('category', 'category', 'enum', {
      values: ARTICLE_CATEGORIES,
      nullable: true,
      sortable: true,
      picklist: true,
    }),
    { name: 'tags', column: 'tags', kind: 'array' },
    scalar('statusChangedAt', 'status_changed_at', 'datetime', {
      sortable: true,
      writable: 'never',
    }),
    scalar('publishedAt', 'published_at', 'datetime', {
      nullable: true,
      sortable: true,
      writable: 'never',
    }),
    scalar('helpfulCount', 'helpful_count', 'integer', { sortable: true, writable: 'never' }),
    scalar('notHelpfulCount', 'not_helpful_count', 'integer', {
      sortable: true,
      writable: 'never',
    }),
    ...RECORD_ATTRIBUTES,
  ],
  relations: [],
  search: 'ka.search_name',
  defaultSort: '-createdAt',
};
