import { declareEvent } from '#platform/events/index.js';
import type { ArticleStatus } from './article-status.js';

/** `knowledge_article.status_changed`: an article moved along draft → review → published → archived. */
export interface KnowledgeArticleStatusChangedPayload {
  slug: string;
  from: ArticleStatus;
  to: ArticleStatus;
  visibility: string;
  ownerId: string;
  teamId: string | null;
}

/** `knowledge_article.voted`: a reader said whether the article helped; the new counts. */
export interface KnowledgeArticleVotedPayload {
  slug: string;
  userId: string;
  helpful: boolean;
  helpfulCount: number;
  notHelpfulCount: number;
}

/** `knowledge_article.case_linked`: an article was linked to a case it helped with. */
export interface KnowledgeArticleCaseLinkedPayload {
  slug: string;
  caseId: string;
}

export const KNOWLEDGE_ARTICLE_STATUS_CHANGED = declareEvent<KnowledgeArticleStatusChangedPayload>(
  'knowledge_article.status_changed',
  'knowledge-articles',
);
export const KNOWLEDGE_ARTICLE_VOTED = declareEvent<KnowledgeArticleVotedPayload>(
  'knowledge_article.voted',
  'knowledge-articles',
);
export const KNOWLEDGE_ARTICLE_CASE_LINKED = declareEvent<KnowledgeArticleCaseLinkedPayload>(
  'knowledge_article.case_linked',
  'knowledge-articles',
);
