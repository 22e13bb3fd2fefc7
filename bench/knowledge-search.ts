/**
 * `npm run bench:knowledge`: full-text search of the knowledge base. Generates
 * BENCH_ARTICLES (100,000) articles by SQL, each with an English and an Indonesian version of
 * random words from a small vocabulary (so common words match many articles, as in a real
 * help centre), then times GET /api/v1/knowledge-articles/search for a few queries per
 * language, one request at a time, BENCH_SEARCHES (50) each. Reported as p50/p90/p99 per
 * query; results go to bench/results/knowledge-search.json.
 *
 * Settings (environment): BENCH_ARTICLES (100000), BENCH_SEARCHES (50), BENCH_POOL_SIZE (10).
 */
import 'reflect-metadata';
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { login, runBench, startMigratedDatabase, startRelasi, writeResults } from './bench-env.js';
import { log, setting } from './bench-support.js';
import { latencySummary } from './http-load.js';

const config = {
  articles: setting('BENCH_ARTICLES', 100_000),
  searches: setting('BENCH_SEARCHES', 50),
  poolSize: setting('BENCH_POOL_SIZE', 10),
};

const EN = `router modem fiber password reset account invoice payment refund card pin login network
  connection signal installation upgrade firmware warranty delivery order return billing email
  mobile app update error slow outage technician appointment contract plan upgrade cancel`;
const ID = `router modem fiber kata sandi atur ulang akun tagihan pembayaran pengembalian kartu pin
  masuk jaringan koneksi sinyal pemasangan pembaruan firmware garansi pengiriman pesanan retur
  surel aplikasi seluler galat lambat gangguan teknisi janji kontrak paket batal yang dan di untuk`;

const QUERIES = {
  en: ['router', 'reset password', '"firmware upgrade"', 'refund or return -card'],
  id: ['router', 'atur ulang kata sandi', 'pembayaran yang gagal', '"pemasangan fiber"'],
};

/** `n` random words of a vocabulary, per row (the reference to `g` keeps it per row). */
const words = (vocabulary: string, n: number) =>
  `(SELECT string_agg(w[1 + floor(random() * array_length(w, 1))::int], ' ')
      FROM (SELECT regexp_split_to_array(trim('${vocabulary.replace(/\s+/g, ' ')}'), ' ') AS w) v,
           generate_series(1, ${n} + (g * 0)))`;

runBench('knowledge-search', async (run) => {
  const db = await startMigratedDatabase(run);
  const relasi = await startRelasi(run, db.url, { poolSize: config.poolSize });
  const token = await login(relasi.url);

  const client = new pg.Client({ connectionString: db.url });
  await client.connect();
  run.onStop(() => client.end());
  log(`generating ${config.articles} articles`);
  const t0 = performance.now();
  for (let done = 0; done < config.articles; done += 10_000) {
    const batch = Math.min(10_000, config.articles - done);
    await client.query(
      `INSERT INTO knowledge_articles (id, slug, content, status, visibility, body_text_en, body_text_id, search_name, owner_id)
       SELECT gen_random_uuid(), 'bench-' || ($1::int + g), jsonb_build_object(
                'en', jsonb_build_object('title', t.en_title, 'summary', NULL, 'body', t.en_body),
                'id', jsonb_build_object('title', t.id_title, 'summary', NULL, 'body', t.id_body)),
              'published', 'public', t.en_body, t.id_body, lower(t.en_title || ' ' || t.id_title),
              (SELECT id FROM users ORDER BY created_at LIMIT 1)
         FROM generate_series(1, $2::int) g,
              LATERAL (SELECT ${words(EN, 5)} AS en_title, ${words(EN, 80)} AS en_body,
                              ${words(ID, 5)} AS id_title, ${words(ID, 80)} AS id_body) t`,
      [done, batch],
    );
  }
  await client.query('ANALYZE knowledge_articles');
  const seeding = Math.round(performance.now() - t0);
  log(`generated in ${seeding} ms`);

  const results: Record<string, unknown>[] = [];
  for (const [lang, queries] of Object.entries(QUERIES))
    for (const q of queries) {
      const url = `${relasi.url}/api/v1/knowledge-articles/search?lang=${lang}&limit=20&q=${encodeURIComponent(q)}`;
      const latencies: number[] = [];
      let hits = 0;
      for (let i = 0; i < config.searches; i++) {
        const start = performance.now();
        const res = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
        const body = (await res.json()) as { data: unknown[] };
        latencies.push(performance.now() - start);
        if (res.status !== 200) throw new Error(`search ${q}: ${res.status}`);
        hits = body.data.length;
      }
      const summary = latencySummary(latencies);
      log(`${lang} ${q}: p50 ${summary.p50} ms, p99 ${summary.p99} ms (${hits} hits on the page)`);
      results.push({ lang, q, hits, ...summary });
    }
  writeResults('knowledge-search.json', { config, seedingMs: seeding, results });
});
