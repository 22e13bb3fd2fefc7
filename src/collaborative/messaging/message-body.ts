import sanitizeHtml from 'sanitize-html';

export const MESSAGE_FORMATS = ['markdown', 'html'] as const;
export type MessageFormat = (typeof MESSAGE_FORMATS)[number];

const ALLOWED_TAGS = [
  'p',
  'br',
  'hr',
  'b',
  'strong',
  'i',
  'em',
  'u',
  's',
  'del',
  'sub',
  'sup',
  'mark',
  'a',
  'ul',
  'ol',
  'li',
  'blockquote',
  'code',
  'pre',
  'span',
  'div',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'table',
  'thead',
  'tbody',
  'tr',
  'th',
  'td',
];

const HTML_OPTIONS: sanitizeHtml.IOptions = {
  allowedTags: ALLOWED_TAGS,
  allowedAttributes: {
    a: ['href', 'title'],
    th: ['colspan', 'rowspan'],
    td: ['colspan', 'rowspan'],
  },
  allowedSchemes: ['http', 'https', 'mailto'],
  allowedSchemesAppliedToAttributes: ['href'],
  allowProtocolRelative: false,
  disallowedTagsMode: 'discard',
  transformTags: {
    // Links open apart from the reader's session.
    a: sanitizeHtml.simpleTransform('a', { rel: 'noopener noreferrer nofollow' }),
  },
};
HTML_OPTIONS.allowedAttributes = { ...HTML_OPTIONS.allowedAttributes, a: ['href', 'title', 'rel'] };

/** Markdown keeps its own syntax; HTML inside it passes the same allow-list as an HTML body. */
const MARKDOWN_OPTIONS: sanitizeHtml.IOptions = {
  ...HTML_OPTIONS,
  parser: { decodeEntities: false },
};

/** `[text](javascript:…)` and `[ref]: javascript:…`: link targets that would run code. */
const SCRIPT_LINK =
  /(\]\(\s*<?\s*|^\s{0,3}\[[^\]\n]+\]:\s*<?\s*)(?:javascript|vbscript|data|file)\s*:/gim;

/**
 * A message body as it is stored: HTML reduced to an allow-list (no scripts, no event
 * handlers, no `javascript:` links), Markdown with any HTML in it treated alike and its link
 * targets limited the same way. What is stored is safe to render; nothing is run on the way.
 */
export function sanitizeMessageBody(body: string, format: MessageFormat): string {
  if (format === 'html') return sanitizeHtml(body, HTML_OPTIONS).trim();
  const cleaned = sanitizeHtml(body, MARKDOWN_OPTIONS)
    // The sanitizer escapes text for HTML; Markdown needs its quote marks and ampersands
    // back. A `>` cannot open a tag, and `&lt;` stays escaped, so no markup comes back with them.
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
  return cleaned.replace(SCRIPT_LINK, '$1#blocked:').trim();
}

/** Plain text of a body, for titles, previews and e-mail. */
export function messageText(body: string, format: MessageFormat): string {
  const text =
    format === 'html'
      ? sanitizeHtml(body.replace(/<\/(p|div|li|h\d|tr|blockquote)>|<br\s*\/?>/gi, '$&\n'), {
          allowedTags: [],
          allowedAttributes: {},
        })
      : body;
  return text
    .replace(/&nbsp;/g, ' ')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}
