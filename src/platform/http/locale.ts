export type Locale = 'en' | 'id';
export const LOCALES: readonly Locale[] = ['en', 'id'];

/** Picks the best supported language from an Accept-Language header (q-values honoured). */
export function negotiateLocale(header: string | undefined, fallback: Locale): Locale {
  if (!header) return fallback;
  const ranked = header
    .split(',')
    .map((part, index) => {
      const [tag, ...params] = part.trim().split(';');
      const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
      const weight = q ? Number(q.slice(2)) : 1;
      return {
        lang: tag.trim().toLowerCase().split('-')[0],
        weight: Number.isFinite(weight) ? weight : 0,
        index,
      };
    })
    .filter((x) => x.weight > 0)
    .sort((a, b) => b.weight - a.weight || a.index - b.index);
  for (const { lang } of ranked) {
    if (lang === 'en' || lang === 'id') return lang;
    if (lang === 'in') return 'id';
  }
  return fallback;
}
