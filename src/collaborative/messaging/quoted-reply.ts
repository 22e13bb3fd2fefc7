/**
 * Lines that open the quoted history a mail client puts under a reply: "On … wrote:" (also
 * wrapped onto a second line), its Indonesian form "Pada … menulis:", Outlook's separator and
 * header block, and a forwarded-message marker.
 */
const HISTORY_STARTS: readonly RegExp[] = [
  /^\s*On\b.{0,300}\bwrote:\s*$/i,
  /^\s*Pada\b.{0,300}\bmenulis:\s*$/i,
  /^\s*-{2,}\s*(Original Message|Pesan Asli|Forwarded message)\s*-{2,}\s*$/i,
  /^\s*_{10,}\s*$/,
];

/** Outlook's header block; it opens the history only where a block starts. */
const OUTLOOK_FROM = /^\s*(From|Dari):\s.+$/i;

/** "On Mon, 7 Dec 2026 at 10:00, Budi" + "<budi@example.com> wrote:" on the next line. */
const WRAPPED_ON = /^\s*(On|Pada)\b.{0,300}$/i;
const WRAPPED_WROTE = /^.{0,300}\b(wrote|menulis):\s*$/i;

/**
 * The new part of an e-mail reply: everything before the quoted history (see
 * `HISTORY_STARTS`), without `>`-quoted lines and without the signature after a "-- " line.
 * When stripping would leave nothing, the whole text stays: a reply that is only a quote is
 * still what the customer sent.
 */
export function stripQuotedReply(text: string): string {
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  let end = lines.length;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    const wrapped =
      WRAPPED_ON.test(line) && i + 1 < lines.length && WRAPPED_WROTE.test(lines[i + 1]);
    const outlook = OUTLOOK_FROM.test(line) && (i === 0 || lines[i - 1].trim() === '');
    const signature = line === '-- ' || line === '--';
    if (wrapped || outlook || signature || HISTORY_STARTS.some((re) => re.test(line))) {
      end = i;
      break;
    }
  }
  const kept = lines
    .slice(0, end)
    .filter((l) => !/^\s*>/.test(l))
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
  return kept || text.trim();
}
