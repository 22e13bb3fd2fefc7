import sanitizeHtml from 'sanitize-html';
import type { ArticleLanguage } from './article-status.js';

/** One language version of an article as stored in `content`. */
export interface ArticleVersion {
  title: string;
  summary?: string | null;
  body: string;
}

export type ArticleContent = Partial<Record<ArticleLanguage, ArticleVersion>>;

/** What an article body may carry: text structure, links and images, never script or style. */
const HTML_POLICY: sanitizeHtml.IOptions = {
  allowedTags: [
    ...sanitizeHtml.defaults.allowedTags.filter((t) => t !== 'iframe'),
    'img',
    'h1',
    'h2',
  ],
  allowedAttributes: {
    a: ['href', 'title'],
    img: ['src', 'alt', 'title', 'width', 'height'],
    code: ['class'],
    th: ['colspan', 'rowspan'],
    td: ['colspan', 'rowspan'],
  },
  allowedSchemes: ['https', 'http', 'mailto'],
  allowedSchemesByTag: { img: ['https'] },
  disallowedTagsMode: 'discard',
};

/** An HTML body as it may be served to any reader: scripts, handlers and styles removed. */
export function sanitizeBody(body: string): string {
  return sanitizeHtml(body, HTML_POLICY);
}

/** The words of a body without its markup, for the search vectors. */
export function plainText(body: string, format: string): string {
  const text =
    format === 'html'
      ? sanitizeHtml(body.replace(/<\/(p|div|h\d|li|tr|br)>/gi, '$& '), {
          allowedTags: [],
          allowedAttributes: {},
        })
      : body
          .replace(/```[^\n]*\n/g, ' ')
          .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1')
          .replace(/<\/?[a-z][^>]*>/gi, ' ')
          .replace(/[#>*_`~|]+/g, ' ');
  return text
    .replace(/&nbsp;/g, ' ')
    .replace(/&amp;/g, '&')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/\s+/g, ' ')
    .trim();
}

/** A URL-safe slug from a title: "Reset your PIN (v2)" → "reset-your-pin-v2". */
export function slugify(title: string): string {
  return title
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 180)
    .replace(/-+$/g, '');
}

/** Every language's title and summary, lowered, for `q` in lists. */
export function searchName(content: ArticleContent): string {
  return Object.values(content)
    .flatMap((v) => (v ? [v.title, v.summary ?? ''] : []))
    .join(' ')
    .toLowerCase();
}

/**
 * A PATCH of `content` changes the languages it names and keeps the others; a language given
 * as null is removed.
 */
export function mergedContent(
  existing: unknown,
  patch: Record<string, ArticleVersion | null>,
): ArticleContent {
  const out: Record<string, ArticleVersion> = { ...((existing as ArticleContent) ?? {}) };
  for (const [lang, version] of Object.entries(patch)) {
    if (version === null) delete out[lang];
    else out[lang] = version;
  }
  return out;
}
