import { Injectable } from '@nestjs/common';
import { PermissionEvaluator } from '#platform/access/index.js';
import type { RequestContext } from '#platform/context/index.js';
import { AppError, QueryParams } from '#platform/http/index.js';
import { SqlParams } from '#platform/query/index.js';
import { querySchemaOf } from '#platform/records/index.js';
import { ARTICLE_LANGUAGES, ARTICLE_STATUSES, type ArticleLanguage } from './article-status.js';
import { ARTICLE_DEFINITION } from './article.definition.js';
import {
  decodeOffset,
  encodeOffset,
  KnowledgeSearchRepository,
  type SearchRow,
} from './knowledge-search.repository.js';

const MAX_PAGE = 100;

function languageOf(ctx: RequestContext, params: QueryParams): ArticleLanguage | undefined {
  return params.oneOf('lang', ARTICLE_LANGUAGES, ctx.locale === 'id' ? 'id' : 'en');
}

const page = <T>(data: T[], more: boolean, limit: number, offset: number) => ({
  data,
  meta: { nextCursor: more ? encodeOffset(offset + limit) : null, limit },
});

/**
 * Searching the knowledge base: staff search every article they may read; the public help
 * centre sees published public articles only, and none of their internal fields.
 */
@Injectable()
export class KnowledgeSearchService {
  constructor(
    private readonly repository: KnowledgeSearchRepository,
    private readonly permissions: PermissionEvaluator,
  ) {}

  /** GET /knowledge-articles/search: `q`, `lang`, `status`, `limit`, `cursor`. */
  async search(ctx: RequestContext, query: Record<string, unknown>) {
    const scope = this.permissions.require(ctx.user, ARTICLE_DEFINITION.entity, 'read');
    const params = new QueryParams(query, ['q', 'lang', 'status', 'limit', 'cursor']);
    const q = params.text('q', true);
    const lang = languageOf(ctx, params);
    const statuses = params.text('status')?.split(',');
    const bad = statuses?.find((s) => !(ARTICLE_STATUSES as readonly string[]).includes(s));
    if (bad !== undefined)
      params.fail('status', 'isIn', `must be one or more of: ${ARTICLE_STATUSES.join(', ')}`, {
        values: ARTICLE_STATUSES.join(', '),
      });
    const limit = params.integer('limit', 1, MAX_PAGE, 20);
    const cursor = params.text('cursor');
    params.done();
    const offset = decodeOffset(cursor);
    const sql = new SqlParams();
    const where = [
      this.permissions.scopeSql(ctx.user, scope, querySchemaOf(ARTICLE_DEFINITION), 'ka', sql),
    ];
    if (statuses) where.push(`ka.status = ANY(${sql.add(statuses)}::text[])`);
    const found = await this.repository.search(ctx, {
      q: q!,
      lang: lang!,
      limit: limit!,
      offset,
      where,
      params: sql,
    });
    return page(
      found.rows.map((r) => ({
        id: r.id,
        slug: r.slug,
        lang: lang!,
        title: r.title,
        summary: r.summary,
        status: r.status,
        visibility: r.visibility,
        category: r.category,
        tags: r.tags,
        rank: r.rank,
        titleHighlight: r.titleHighlight,
        highlight: r.highlight,
        updatedAt: new Date(r.updatedAt).toISOString(),
      })),
      found.more,
      limit!,
      offset,
    );
  }

  /** GET /public/knowledge/articles: published public articles, searched when `q` is given. */
  async publicArticles(ctx: RequestContext, query: Record<string, unknown>) {
    const params = new QueryParams(query, ['q', 'lang', 'limit', 'cursor']);
    const q = params.text('q');
    const lang = languageOf(ctx, params);
    const limit = params.integer('limit', 1, MAX_PAGE, 20);
    const cursor = params.text('cursor');
    params.done();
    const offset = decodeOffset(cursor);
    const found = q
      ? await this.repository.search(ctx, {
          q,
          lang: lang!,
          limit: limit!,
          offset,
          where: [`ka.status = 'published'`, `ka.visibility = 'public'`],
          params: new SqlParams(),
        })
      : await this.repository.latestPublic(ctx, lang!, limit!, offset);
    return page(
      found.rows.map((r) => publicHit(r, lang!)),
      found.more,
      limit!,
      offset,
    );
  }

  /** GET /public/knowledge/articles/{slug}: in `lang` when written in it, else in the other. */
  async publicArticle(ctx: RequestContext, slug: string, query: Record<string, unknown>) {
    const params = new QueryParams(query, ['lang']);
    const wanted = languageOf(ctx, params);
    params.done();
    const found = /^[a-z0-9-]{1,200}$/.test(slug)
      ? await this.repository.publicBySlug(ctx, slug)
      : null;
    if (!found) throw AppError.notFound('knowledge-article', slug);
    const lang = found.content[wanted!]
      ? wanted!
      : (Object.keys(found.content)[0] as ArticleLanguage);
    const version = found.content[lang];
    return {
      slug: found.slug,
      lang,
      title: version.title,
      summary: version.summary ?? null,
      body: version.body,
      bodyFormat: found.body_format,
      category: found.category,
      tags: found.tags,
      publishedAt: found.published_at.toISOString(),
      updatedAt: found.updated_at.toISOString(),
      helpfulCount: found.helpful_count,
      notHelpfulCount: found.not_helpful_count,
    };
  }
}

function publicHit(r: SearchRow, lang: ArticleLanguage) {
  return {
    slug: r.slug,
    lang,
    title: r.title,
    summary: r.summary,
    category: r.category,
    tags: r.tags,
    publishedAt: new Date(r.publishedAt!).toISOString(),
    highlight: r.highlight ?? null,
  };
}
