/**
 * Common Indonesian function words, dropped from Indonesian search queries because PostgreSQL
 * has no Indonesian dictionary to drop them (see the knowledge-base migration). A query made
 * only of them would otherwise demand words that every article has.
 */
export const INDONESIAN_STOP_WORDS: ReadonlySet<string> = new Set([
  'ada',
  'adalah',
  'agar',
  'akan',
  'aku',
  'anda',
  'apa',
  'apabila',
  'atau',
  'bagaimana',
  'bagi',
  'bahwa',
  'banyak',
  'beberapa',
  'belum',
  'bila',
  'bisa',
  'boleh',
  'dalam',
  'dan',
  'dapat',
  'dari',
  'daripada',
  'demikian',
  'dengan',
  'di',
  'dia',
  'harus',
  'hanya',
  'ia',
  'ialah',
  'ini',
  'itu',
  'jadi',
  'jika',
  'juga',
  'kalau',
  'kami',
  'kamu',
  'karena',
  'ke',
  'kepada',
  'ketika',
  'kita',
  'lagi',
  'lebih',
  'maka',
  'masih',
  'mereka',
  'mengapa',
  'namun',
  'oleh',
  'pada',
  'para',
  'per',
  'pun',
  'saat',
  'saja',
  'sangat',
  'saya',
  'se',
  'sebagai',
  'sebelum',
  'sedang',
  'sehingga',
  'sejak',
  'semua',
  'sesudah',
  'setelah',
  'sudah',
  'supaya',
  'tapi',
  'tetapi',
  'telah',
  'tentang',
  'tersebut',
  'tidak',
  'untuk',
  'yaitu',
  'yakni',
  'yang',
]);

/**
 * The query without Indonesian stop words outside quoted phrases; phrases stay whole, since
 * the stored vectors keep every word and a phrase is matched word by word.
 */
export function withoutIndonesianStopWords(query: string): string {
  return (query.match(/"[^"]*"?|\S+/g) ?? [])
    .filter((token) => {
      if (token.startsWith('"')) return true;
      const word = token.replace(/^-/, '').toLowerCase();
      return !INDONESIAN_STOP_WORDS.has(word);
    })
    .join(' ');
}
