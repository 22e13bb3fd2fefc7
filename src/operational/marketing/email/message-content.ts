import sanitizeHtml from 'sanitize-html';

const HREF = /href\s*=\s*(["'])(https?:\/\/[^"'\s<>]+)\1/gi;

/** HTML safe to send: no scripts, event handlers or forms; links and images kept. */
export function safeHtml(html: string): string {
  return sanitizeHtml(html, {
    allowedTags: [
      ...sanitizeHtml.defaults.allowedTags,
      'img',
      'html',
      'head',
      'body',
      'style',
      'title',
      'center',
      'font',
    ],
    allowedAttributes: {
      '*': [
        'style',
        'class',
        'align',
        'width',
        'height',
        'bgcolor',
        'border',
        'cellpadding',
        'cellspacing',
        'valign',
        'dir',
        'lang',
      ],
      a: ['href', 'name', 'target', 'title'],
      img: ['src', 'alt', 'title', 'width', 'height'],
    },
    allowedSchemes: ['http', 'https', 'mailto', 'tel'],
    allowVulnerableTags: true,
  });
}

/** The text part of an HTML message: its words, with each link's address after its text. */
export function textOf(html: string): string {
  return sanitizeHtml(
    html
      .replace(/<a\s[^>]*href\s*=\s*(["'])([^"']+)\1[^>]*>([\s\S]*?)<\/a>/gi, '$3 ($2)')
      .replace(/<\s*br\s*\/?>/gi, '\n')
      .replace(/<\/(p|div|h[1-6]|li|tr)>/gi, '\n'),
    { allowedTags: [], allowedAttributes: {}, nonTextTags: ['style', 'script', 'title', 'head'] },
  )
    .replace(/&amp;/g, '&')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&nbsp;/g, ' ')
    .replace(/[ \t]+\n/g, '\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

/**
 * The message's web links, each once, and its HTML with every link sent through the click
 * tracker (`track(index)`) and the open pixel appended. Only these links are ever redirected
 * to, so the click tracker is no open redirect.
 */
export function trackLinks(
  html: string,
  track: (index: number) => string,
  pixel: string,
): { html: string; links: string[] } {
  const links: string[] = [];
  const tracked = html.replace(HREF, (_m, quote: string, url: string) => {
    const decoded = url.replace(/&amp;/g, '&');
    let index = links.indexOf(decoded);
    if (index < 0) index = links.push(decoded) - 1;
    return `href=${quote}${track(index)}${quote}`;
  });
  const img = `<img src="${pixel}" width="1" height="1" alt="" style="display:block;border:0">`;
  return {
    html: /<\/body>/i.test(tracked) ? tracked.replace(/<\/body>/i, `${img}</body>`) : tracked + img,
    links,
  };
}
