import { Injectable } from '@nestjs/common';
import { PermissionEvaluator } from '#platform/access/index.js';
import type { RequestContext } from '#platform/context/index.js';
import { DatabaseService } from '#platform/database/index.js';
import { EventOutbox } from '#platform/events/index.js';
import { AppError } from '#platform/http/index.js';
import {
  RecordResourceService,
  RecordService,
  type ApiRecord,
  type RecordHooks,
  type RecordWrite,
} from '#platform/records/index.js';
import { allowedNext, canMove, type ArticleStatus } from './article-status.js';
import {
  mergedContent,
  plainText,
  sanitizeBody,
  searchName,
  slugify,
  type ArticleContent,
  type ArticleVersion,
} from './article-text.js';
import { ARTICLE_DEFINITION } from './article.definition.js';
import {
  KNOWLEDGE_ARTICLE_CASE_LINKED,
  KNOWLEDGE_ARTICLE_STATUS_CHANGED,
  KNOWLEDGE_ARTICLE_VOTED,
} from './knowledge.events.js';

/**
 * Knowledge articles: language versions kept together, HTML bodies sanitized before they are
 * stored, plain text derived for the search vectors, the editorial status lifecycle, slugs
 * unique among live articles, helpfulness votes (one per reader) and links to cases.
 */
@Injectable()
export class KnowledgeArticlesService extends RecordResourceService {
  readonly def = ARTICLE_DEFINITION;

  protected override readonly hooks: RecordHooks = {
    shape: (input, existing) => this.shaped(input, existing),
    derive: (r) => {
      const content = (r.content ?? {}) as ArticleContent;
      const format = (r.bodyFormat as string | undefined) ?? 'markdown';
      return {
        body_text_en: content.en ? plainText(content.en.body, format) : null,
        body_text_id: content.id ? plainText(content.id.body, format) : null,
        search_name: searchName(content),
      };
    },
    validate: (ctx, r, changed, existing) => this.validateArticle(ctx, r, changed, existing),
    afterWrite: (_tx, write) => Promise.resolve(this.written(write)),
  };

  constructor(
    records: RecordService,
    private readonly db: DatabaseService,
    private readonly permissions: PermissionEvaluator,
    private readonly outbox: EventOutbox,
  ) {
    super(records);
  }

  /** Records one reader's vote (a second vote replaces the first) and returns the new counts. */
  vote(ctx: RequestContext, id: string, helpful: boolean) {
    return this.db.transaction(ctx, async (tx) => {
      const article = await this.records.load(tx, this.def, id, { forUpdate: true });
      await this.db.query(
        tx,
        `INSERT INTO knowledge_article_votes (article_id, user_id, helpful) VALUES ($1, $2, $3)
         ON CONFLICT (article_id, user_id) DO UPDATE SET helpful = EXCLUDED.helpful, voted_at = now()`,
        [article.id, tx.user.userId, helpful],
      );
      // Counts are tallies, not content: they change without a new version, so a vote never
      // makes an editor's ETag stale.
      const counts = (await this.db.one<{ helpfulCount: number; notHelpfulCount: number }>(
        tx,
        `UPDATE knowledge_articles ka SET
            helpful_count = (SELECT count(*) FROM knowledge_article_votes v WHERE v.article_id = ka.id AND v.helpful),
            not_helpful_count = (SELECT count(*) FROM knowledge_article_votes v WHERE v.article_id = ka.id AND NOT v.helpful)
          WHERE id = $1 RETURNING helpful_count AS "helpfulCount", not_helpful_count AS "notHelpfulCount"`,
        [article.id],
      ))!;
      await this.outbox.append(tx, [
        KNOWLEDGE_ARTICLE_VOTED.of(article.id, {
          slug: article.slug as string,
          userId: tx.user.userId,
          helpful,
          ...counts,
        }),
      ]);
      return { helpful, ...counts };
    });
  }

  /**
   * Links the article to a case; linking twice is one link. Needs update on the article and
   * a live case (404 otherwise).
   */
  linkCase(ctx: RequestContext, id: string, caseId: string) {
    return this.db.transaction(ctx, async (tx) => {
      const article = await this.loadForUpdate(tx, id);
      const live = await this.db.one(
        tx,
        `SELECT 1 FROM cases WHERE id = $1 AND deleted_at IS NULL`,
        [caseId.toLowerCase()],
      );
      if (!live) throw AppError.notFound('case', caseId);
      const added = await this.db.query(
        tx,
        `INSERT INTO knowledge_article_cases (article_id, case_id, linked_by_id) VALUES ($1, $2, $3)
         ON CONFLICT DO NOTHING RETURNING case_id`,
        [article.id, caseId.toLowerCase(), tx.user.userId],
      );
      if (added.length)
        await this.outbox.append(tx, [
          KNOWLEDGE_ARTICLE_CASE_LINKED.of(article.id, {
            slug: article.slug as string,
            caseId: caseId.toLowerCase(),
          }),
        ]);
    });
  }

  unlinkCase(ctx: RequestContext, id: string, caseId: string) {
    return this.db.transaction(ctx, async (tx) => {
      const article = await this.loadForUpdate(tx, id);
      await this.db.query(
        tx,
        `DELETE FROM knowledge_article_cases WHERE article_id = $1 AND case_id = $2`,
        [article.id, caseId.toLowerCase()],
      );
    });
  }

  async casesOf(ctx: RequestContext, id: string) {
    const article = await this.records.load(ctx, this.def, id);
    const data = await this.db.query<{ caseId: string; linkedAt: Date; linkedById: string | null }>(
      ctx,
      `SELECT case_id AS "caseId", linked_at AS "linkedAt", linked_by_id AS "linkedById"
         FROM knowledge_article_cases WHERE article_id = $1 ORDER BY linked_at, case_id`,
      [article.id],
    );
    return { data: data.map((c) => ({ ...c, linkedAt: c.linkedAt.toISOString() })) };
  }

  /** Ids of the live articles linked to a case, for the case's side of the link. */
  async articleIdsForCase(ctx: RequestContext, caseId: string): Promise<string[]> {
    const rows = await this.db.query<{ id: string }>(
      ctx,
      `SELECT ka.id FROM knowledge_article_cases c JOIN knowledge_articles ka ON ka.id = c.article_id
        WHERE c.case_id = $1 AND ka.deleted_at IS NULL ORDER BY c.linked_at`,
      [caseId.toLowerCase()],
    );
    return rows.map((r) => r.id);
  }

  private async loadForUpdate(tx: RequestContext, id: string): Promise<ApiRecord> {
    const article = await this.records.load(tx, this.def, id, { forUpdate: true });
    const scope = this.permissions.grant(tx.user, this.def.entity).update;
    if (!this.permissions.inScope(tx.user, scope, article))
      throw AppError.forbidden('update', this.def.entity);
    return article;
  }

  /**
   * Content merges by language, HTML is sanitized, a new article gets a slug from its title,
   * and a status change stamps when (and, for publication, when it went public).
   */
  private shaped(input: Record<string, unknown>, existing: ApiRecord | null) {
    const out = { ...input };
    const format = (out.bodyFormat ?? existing?.bodyFormat ?? 'markdown') as string;
    if (out.content !== undefined || (existing && out.bodyFormat !== undefined)) {
      const patch = (out.content ?? {}) as Record<string, ArticleVersion | null>;
      const content = mergedContent(existing?.content ?? {}, patch);
      out.content = Object.fromEntries(
        Object.entries(content).map(([lang, v]) => [
          lang,
          {
            ...v,
            summary: v.summary ?? null,
            body: format === 'html' ? sanitizeBody(v.body) : v.body,
          },
        ]),
      );
    }
    if (!existing && out.slug === undefined) {
      const content = (out.content ?? {}) as ArticleContent;
      const title = content.en?.title ?? content.id?.title ?? '';
      out.slug = slugify(title) || `article-${Date.now().toString(36)}`;
    }
    if (Array.isArray(out.tags))
      out.tags = [...new Set((out.tags as string[]).map((t) => t.trim()))];
    if (existing && out.status !== undefined && out.status !== existing.status) {
      const now = new Date().toISOString();
      out.statusChangedAt = now;
      if (out.status === 'published') out.publishedAt = now;
    }
    return out;
  }

  private async validateArticle(
    ctx: RequestContext,
    r: Record<string, unknown>,
    changed: ReadonlySet<string>,
    existing: ApiRecord | null,
  ): Promise<void> {
    if (changed.has('content') && Object.keys(r.content ?? {}).length === 0)
      throw AppError.field('content', 'required', 'needs at least one language (en or id)');
    if (existing && changed.has('status')) {
      const from = existing.status as ArticleStatus;
      const to = r.status as ArticleStatus;
      if (!canMove(from, to))
        throw new AppError(
          'knowledge_article_status_transition',
          { from, to, allowed: allowedNext(from).join(', ') || '—' },
          undefined,
          { from, to, allowed: allowedNext(from) },
        );
    }
    if (changed.has('slug') && r.slug !== existing?.slug) {
      const taken = await this.db.one(
        ctx,
        `SELECT 1 FROM knowledge_articles WHERE slug = $1 AND deleted_at IS NULL AND id IS DISTINCT FROM $2::uuid`,
        [r.slug, existing?.id ?? null],
      );
      if (taken) throw new AppError('knowledge_slug_taken', { slug: r.slug });
    }
  }

  private written({ action, before, after }: RecordWrite) {
    if (action !== 'update' || !before || before.status === after.status) return;
    return {
      events: [
        KNOWLEDGE_ARTICLE_STATUS_CHANGED.of(after.id, {
          slug: after.slug as string,
          from: before.status as ArticleStatus,
          to: after.status as ArticleStatus,
          visibility: after.visibility as string,
          ownerId: after.ownerId,
          teamId: after.teamId,
        }),
      ],
    };
  }
}
