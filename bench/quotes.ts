/**
 * `npm run bench:quotes`: totals of a quote of 200 lines (BENCH_QUOTE_LINES), through the API
 * and as the same computation in this process, in one run. Through the API, each request
 * makes the server recompute the whole quote in the request's transaction: a change of the
 * header discount (PATCH /quotes/{id}) and a change of one line's quantity
 * (PATCH /quote-lines/{id}), one request at a time, each answer checked. In process,
 * computeQuote over the same 200 lines. Reported as p50/p99 and requests (or computations)
 * per second; results go to bench/results/quotes.json.
 *
 * Settings (environment): BENCH_QUOTE_LINES (200), BENCH_PRODUCTS (20), BENCH_DURATION
 * seconds per scenario (10), BENCH_POOL_SIZE (10).
 */
import 'reflect-metadata';
import { performance } from 'node:perf_hooks';
import { computeQuote, type LineInput } from '#operational/quotes/quote-math.js';
import { login, runBench, startMigratedDatabase, startRelasi, writeResults } from './bench-env.js';
import { log, setting } from './bench-support.js';
import { latencySummary } from './http-load.js';

const config = {
  lines: setting('BENCH_QUOTE_LINES', 200),
  products: setting('BENCH_PRODUCTS', 20),
  durationSeconds: setting('BENCH_DURATION', 10),
  poolSize: setting('BENCH_POOL_SIZE', 10),
};

type Json = Record<string, unknown>;
type Money = { amount: string; currency: string };

function api(url: string, token: string) {
  return async (method: string, path: string, body?: unknown): Promise<Json> => {
    const res = await fetch(url + path, {
      method,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${text}`);
    return JSON.parse(text) as Json;
  };
}

/** Calls `work` back to back for `seconds`, timing each call. */
async function timed(seconds: number, work: (i: number) => Promise<void> | void) {
  const latencies: number[] = [];
  const end = performance.now() + seconds * 1000;
  const start = performance.now();
  for (let i = 0; performance.now() < end; i++) {
    const t0 = performance.now();
    await work(i);
    latencies.push(performance.now() - t0);
  }
  const elapsed = (performance.now() - start) / 1000;
  return {
    ...latencySummary(latencies),
    count: latencies.length,
    perSecond: Number((latencies.length / elapsed).toFixed(1)),
  };
}

runBench('quotes', async (run) => {
  const db = await startMigratedDatabase(run);
  const relasi = await startRelasi(run, db.url, { poolSize: config.poolSize });
  const call = api(relasi.url, await login(relasi.url));

  log(`making a quote of ${config.lines} lines over ${config.products} products`);
  const book = await call('POST', '/api/v1/price-books', {
    name: 'Bench',
    currency: 'IDR',
    isStandard: true,
  });
  const products: string[] = [];
  for (let i = 0; i < config.products; i++) {
    const product = await call('POST', '/api/v1/products', {
      sku: `BENCH-${i}`,
      name: { en: `Bench product ${i}` },
      taxCategory: i % 4 === 0 ? 'exempt' : 'standard',
      costPrice: { amount: String(50_000 + i * 1_000), currency: 'IDR' },
    });
    products.push(product.id as string);
    await call('POST', '/api/v1/price-book-entries', {
      priceBookId: book.id,
      productId: product.id,
      unitPrice: { amount: String(99_999 + i * 1_337), currency: 'IDR' },
    });
  }
  const account = await call('POST', '/api/v1/accounts', { name: 'PT Bench' });
  const quote = await call('POST', '/api/v1/quotes', { accountId: account.id });
  const quoteId = quote.id as string;
  const t0 = performance.now();
  const bulk = await call('POST', '/api/v1/quote-lines/bulk', {
    items: Array.from({ length: config.lines }, (_, i) => ({
      quoteId,
      productId: products[i % products.length],
      quantity: String(1 + (i % 7)),
      discountPercent: String(i % 5),
    })),
  });
  const fillSeconds = (performance.now() - t0) / 1000;
  const failed = (bulk.results as { status: number }[]).filter((r) => r.status !== 201);
  if (failed.length) throw new Error(`${failed.length} lines were refused`);
  const page = await call('GET', `/api/v1/quote-lines?filter[quoteId][eq]=${quoteId}&limit=500`);
  const lines = page.data as Json[];
  const inputs: LineInput[] = lines.map((l) => ({
    quantity: l.quantity as string,
    unitPrice: (l.unitPrice as Money).amount,
    discountPercent: l.discountPercent as string,
    taxCategory: l.taxCategory as string,
    taxRate: l.taxRate as string,
    unitCost: (l.unitCost as Money | null)?.amount ?? null,
  }));

  // Both sides must give the same total before their speed means anything.
  const headers = ['5', '7.5'];
  for (const h of headers) {
    const viaApi = await call('PATCH', `/api/v1/quotes/${quoteId}`, { headerDiscountPercent: h });
    const inProcess = computeQuote(inputs, h, 'IDR');
    if ((viaApi.grandTotal as Money).amount !== inProcess.grandTotal)
      throw new Error(`header ${h}: the API and the computation answer differently`);
  }

  log(`measuring for ${config.durationSeconds}s per scenario`);
  const header = await timed(config.durationSeconds, async (i) => {
    const h = headers[i % 2];
    const q = await call('PATCH', `/api/v1/quotes/${quoteId}`, { headerDiscountPercent: h });
    if ((q.grandTotal as Money).amount !== computeQuote(inputs, h, 'IDR').grandTotal)
      throw new Error('the API total drifted from the computation');
  });
  const lineId = lines[0].id as string;
  const lineWrite = await timed(config.durationSeconds, async (i) => {
    await call('PATCH', `/api/v1/quote-lines/${lineId}`, { quantity: String(1 + (i % 3)) });
  });
  let sink = 0;
  const inProcess = await timed(config.durationSeconds, (i) => {
    sink += computeQuote(inputs, headers[i % 2], 'IDR').lines.length;
  });
  if (sink === 0) throw new Error('nothing was computed');

  const results = {
    fillLinesSeconds: Number(fillSeconds.toFixed(2)),
    apiHeaderDiscount: header,
    apiLineWrite: lineWrite,
    inProcessCompute: inProcess,
    p99Ratio: Number((header.p99 / Math.max(inProcess.p99, 0.001)).toFixed(1)),
  };
  log(`fill ${config.lines} lines: ${results.fillLinesSeconds}s`);
  for (const [name, r] of Object.entries(results))
    if (typeof r === 'object')
      log(`${name}: p50 ${r.p50} ms, p99 ${r.p99} ms, ${r.perSecond}/s (${r.count})`);
  writeResults('quotes.json', { config, results });
});
