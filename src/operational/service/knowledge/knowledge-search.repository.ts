import { Injectable } from '@nestjs/common';
import type { RequestContext } from '#platform/context/index.js';
import { DatabaseService } from '#platform/database/index.js';
import { AppError } from '#platform/http/index.js';
import { SqlParams } from '#platform/query/index.js';
import type { ArticleLanguage } from './article-status.js';
import { withoutIndonesianStopWords } from './indonesian-stop-words.js';

/** The text search configuration and stored vector of each language (see the migration). */
const LANGUAGE = {
  en: { config: 'english', vector: 'search_en', head: 'head_en', bodyText: 'body_text_en' },
  id: { config: 'indonesian', vector: 'search_id', head: 'head_id', bodyText: 'body_text_id' },
} as const satisfies Record<ArticleLanguage, unknown>;

// Private-use characters around matches, so the text can be escaped before they become <mark>.
const MARK_START = '\uE000';
const MARK_END = '\uE001';
const TITLE_OPTIONS = `StartSel=${MARK_START}, StopSel=${MARK_END}, HighlightAll=true`;
const BODY_OPTIONS = `StartSel=${MARK_START}, StopSel=${MARK_END}, MaxWords=35, MinWords=15, MaxFragments=2, FragmentDelimiter=" … "`;

export interface SearchRequest {
  q: string;
  lang: ArticleLanguage;
  limit: number;
  offset: number;
  /** SQL predicates over `ka` (scope, status), with their values in `params`. */
  where: string[];
  params: SqlParams;
}

export interface SearchRow {
  id: string;
  slug: string;
  title: string;
  summary: string | null;
  status: string;
  visibility: string;
  category: string | null;
  tags: string[];
  rank: number;
  titleHighlight: string;
  highlight: string;
  publishedAt: string | null;
  updatedAt: string;
}

/**
 * How many articles matching in their title or summary, and how many more matching anywhere,
 * are ranked. Ranking every match of a common word read and scored most of the knowledge base
 * (about a second at 100,000 articles); this keeps a search's work bounded, at the cost of
 * ranking only these candidates when a query matches more articles than that.
 */
export const SEARCH_CANDIDATES = 1000;

const escapeHtml = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** A headline as safe HTML: the text escaped, the matches in <mark>. */
function marked(headline: string): string {
  return escapeHtml(headline).replaceAll(MARK_START, '<mark>').replaceAll(MARK_END, '</mark>');
}

/** The websearch query text of a language: Indonesian drops its stop words first. */
export function queryText(q: string, lang: ArticleLanguage): string {
  return lang === 'id' ? withoutIndonesianStopWords(q) : q;
}

/** Page positions travel as an opaque cursor. */
export function encodeOffset(offset: number): string {
  return Buffer.from(`o:${offset}`).toString('base64url');
}

export function decodeOffset(cursor: string | undefined): number {
  if (!cursor) return 0;
  const m = /^o:(\d{1,7})$/.exec(Buffer.from(cursor, 'base64url').toString());
  if (!m)
    throw new AppError('invalid_query', {}, [
      { field: 'cursor', rule: 'invalid', message: 'is not a cursor of this list' },
    ]);
  return Number(m[1]);
}

/**
 * Full-text search over the stored vectors: `websearch_to_tsquery` (quotes, `or`, `-word`),
 * ranked by `ts_rank_cd` (title words weigh most) among at most SEARCH_CANDIDATES title or
 * summary matches and as many other matches, highlighted with `ts_headline` on the page's rows
 * only, since a headline re-parses the whole text.
 */
@Injectable()
export class KnowledgeSearchRepository {
  constructor(private readonly db: DatabaseService) {}

  async search(
    ctx: RequestContext,
    r: SearchRequest,
  ): Promise<{ rows: SearchRow[]; more: boolean }> {
    const text = queryText(r.q, r.lang).trim();
    if (!text) return { rows: [], more: false };
    const l = LANGUAGE[r.lang];
    const p = r.params;
    const query = `websearch_to_tsquery('${l.config}', ${p.add(text)})`;
    const filters = `ka.deleted_at IS NULL AND ka.content ? ${p.add(r.lang)}
            ${r.where.map((w) => `AND ${w}`).join(' ')}`;
    const candidates = p.add(SEARCH_CANDIDATES);
    const rows = await this.db.query<SearchRow>(
      ctx,
      `WITH q AS MATERIALIZED (SELECT ${query} AS query),
       candidates AS (
         (SELECT ka.id FROM knowledge_articles ka, q
           WHERE ka.${l.head} @@ q.query AND ${filters} LIMIT ${candidates})
         UNION
         (SELECT ka.id FROM knowledge_articles ka, q
           WHERE ka.${l.vector} @@ q.query AND ${filters} LIMIT ${candidates})),
       hits AS (
         SELECT ka.id, ka.slug, ka.content, ka.status, ka.visibility, ka.category, ka.tags,
                ka.${l.bodyText}, ka.published_at, ka.updated_at,
                ts_rank_cd(ka.${l.vector}, q.query) AS rank, q.query
           FROM knowledge_articles ka, q
          WHERE ka.id IN (SELECT id FROM candidates)
          ORDER BY rank DESC, ka.id
          LIMIT ${p.add(r.limit + 1)} OFFSET ${p.add(r.offset)})
       SELECT id, slug, content #>> '{${r.lang},title}' AS title, content #>> '{${r.lang},summary}' AS summary,
              status, visibility, category, tags, rank::float8 AS rank,
              ts_headline('${l.config}', content #>> '{${r.lang},title}', query, ${p.add(TITLE_OPTIONS)}) AS "titleHighlight",
              ts_headline('${l.config}', coalesce(${l.bodyText}, ''), query, ${p.add(BODY_OPTIONS)}) AS highlight,
              published_at AS "publishedAt", updated_at AS "updatedAt"
         FROM hits ORDER BY rank DESC, id`,
      p.values,
    );
    const more = rows.length > r.limit;
    return {
      rows: rows.slice(0, r.limit).map((row) => ({
        ...row,
        titleHighlight: marked(row.titleHighlight),
        highlight: marked(row.highlight),
      })),
      more,
    };
  }

  /** Published public articles in a language, newest publication first, for the help centre. */
  async latestPublic(
    ctx: RequestContext,
    lang: ArticleLanguage,
    limit: number,
    offset: number,
  ): Promise<{ rows: SearchRow[]; more: boolean }> {
    const rows = await this.db.query<SearchRow>(
      ctx,
      `SELECT id, slug, content #>> ARRAY[$1, 'title'] AS title, content #>> ARRAY[$1, 'summary'] AS summary,
              category, tags, published_at AS "publishedAt", NULL AS highlight
         FROM knowledge_articles
        WHERE deleted_at IS NULL AND status = 'published' AND visibility = 'public' AND content ? $1
        ORDER BY published_at DESC, id LIMIT $2 OFFSET $3`,
      [lang, limit + 1, offset],
    );
    return { rows: rows.slice(0, limit), more: rows.length > limit };
  }

  /** One published public article by its slug, or null. */
  publicBySlug(ctx: RequestContext, slug: string) {
    return this.db.one<{
      slug: string;
      content: Record<string, { title: string; summary?: string | null; body: string }>;
      body_format: string;
      category: string | null;
      tags: string[];
      published_at: Date;
      updated_at: Date;
      helpful_count: number;
      not_helpful_count: number;
    }>(
      ctx,
      `SELECT slug, content, body_format, category, tags, published_at, updated_at, helpful_count, not_helpful_count
         FROM knowledge_articles
        WHERE slug = $1 AND deleted_at IS NULL AND status = 'published' AND visibility = 'public'`,
      [slug],
    );
  }
}
