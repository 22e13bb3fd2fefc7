export const ARTICLE_STATUSES = ['draft', 'review', 'published', 'archived'] as const;
export type ArticleStatus = (typeof ARTICLE_STATUSES)[number];

export const ARTICLE_VISIBILITIES = ['internal', 'public'] as const;
export const BODY_FORMATS = ['markdown', 'html'] as const;
export const ARTICLE_LANGUAGES = ['en', 'id'] as const;
export type ArticleLanguage = (typeof ARTICLE_LANGUAGES)[number];

/** Categories an admin may replace (`customization.knowledge-articles.picklists.category`). */
export const ARTICLE_CATEGORIES = [
  'general',
  'how_to',
  'troubleshooting',
  'billing',
  'product',
  'policy',
] as const;

/**
 * An article is written, reviewed by someone else, published, and retired. Review can send it
 * back to draft; a retired article is revised as a new draft rather than republished as is.
 */
const NEXT: Record<ArticleStatus, readonly ArticleStatus[]> = {
  draft: ['review', 'archived'],
  review: ['draft', 'published'],
  published: ['archived'],
  archived: ['draft'],
};

export function allowedNext(from: ArticleStatus): readonly ArticleStatus[] {
  return NEXT[from] ?? [];
}

export function canMove(from: ArticleStatus, to: ArticleStatus): boolean {
  return from === to || allowedNext(from).includes(to);
}
