/**
 * `npm run bench:configurator`: pricing one configuration of a product with 50 chosen options
 * (half of them products priced from a book, half surcharges) and 20 rules between them,
 * plus bundles and a segment discount, in the same run:
 *
 * - `api`: POST /api/v1/configurations/price on the real server, under load;
 * - `inProcess`: ConfigurationPricingService.price called in this process, on an application
 *   built like the server's against the same database, with the same concurrency — the same
 *   computation (model and price reads, rule checks, pricing) without HTTP;
 * - `pure`: checkConfiguration + priceConfiguration alone on the model loaded once, one call
 *   at a time — what the arithmetic costs without the database.
 *
 * Each is reported as p50/p90/p99 and requests per second; the answers of the API and of the
 * in-process call are compared before anything is timed. Results: bench/results/configurator.json.
 *
 * Settings (environment): BENCH_CONNECTIONS (10), BENCH_DURATION seconds per side (10),
 * BENCH_WARMUP (3), BENCH_POOL_SIZE (10).
 */
import 'reflect-metadata';
import { performance } from 'node:perf_hooks';
import { ConfigurationModelLoader } from '#operational/catalog/configurator/configuration-model.loader.js';
import { priceConfiguration } from '#operational/catalog/configurator/configuration-pricing.js';
import { ConfigurationPricingService } from '#operational/catalog/configurator/configuration-pricing.service.js';
import { checkConfiguration } from '#operational/catalog/configurator/configuration-rules.js';
import { PrincipalLoader } from '#platform/auth/principal-loader.js';
import { parseCrmConfig } from '#platform/config/crm-config.js';
import { parseEnv } from '#platform/config/env.js';
import { RequestContext } from '#platform/context/request-context.js';
import { createLogger } from '#platform/observability/logger.js';
import { APP_CONFIG } from '../src/app-config-sections.js';
import { createServer } from '../src/server.js';
import { login, runBench, startMigratedDatabase, startRelasi, writeResults } from './bench-env.js';
import { log, setting } from './bench-support.js';
import { cannon, latencySummary, type Tally } from './http-load.js';

const OPTIONS = 50;
const RULES = 20;
const config = {
  connections: setting('BENCH_CONNECTIONS', 10),
  durationSeconds: setting('BENCH_DURATION', 10),
  warmupSeconds: setting('BENCH_WARMUP', 3, 0),
  poolSize: setting('BENCH_POOL_SIZE', 10),
};

type Api = (path: string, body: Record<string, unknown>) => Promise<{ id: string }>;

/** The configurable product, its 50 options in 5 groups, 20 rules, bundles and a discount. */
async function seed(post: Api): Promise<{ productId: string; optionIds: string[] }> {
  const book = await post('price-books', { name: 'Standard', currency: 'IDR', isStandard: true });
  const product = await post('products', { sku: 'SRV-CFG', name: { en: 'Configurable server' } });
  await post('price-book-entries', {
    priceBookId: book.id,
    productId: product.id,
    unitPrice: { amount: '85000000.00', currency: 'IDR' },
  });
  const groups = [];
  for (let g = 0; g < 5; g++)
    groups.push(
      await post('product-option-groups', { productId: product.id, name: { en: `Group ${g}` } }),
    );
  const optionIds: string[] = [];
  for (let i = 0; i < OPTIONS; i++) {
    const groupId = groups[i % groups.length].id;
    if (i % 2 === 0) {
      const part = await post('products', { sku: `PART-${i}`, name: { en: `Part ${i}` } });
      await post('price-book-entries', {
        priceBookId: book.id,
        productId: part.id,
        unitPrice: { amount: (100000 + i * 1234.5).toFixed(2), currency: 'IDR' },
      });
      await post('price-book-entries', {
        priceBookId: book.id,
        productId: part.id,
        unitPrice: { amount: (90000 + i * 1000.25).toFixed(2), currency: 'IDR' },
        minQuantity: '10',
      });
      optionIds.push((await post('product-options', { groupId, optionProductId: part.id })).id);
    } else {
      const option = await post('product-options', {
        groupId,
        name: { en: `Service ${i}` },
        surcharges: [{ amount: (25000 + i * 333.33).toFixed(2), currency: 'IDR' }],
      });
      optionIds.push(option.id);
    }
  }
  const kinds = ['requires', 'only-with', 'quantity-limit', 'excludes'];
  const spare = await post('product-options', {
    groupId: groups[0].id,
    name: { en: 'Never chosen' },
    surcharges: [{ amount: '1', currency: 'IDR' }],
  });
  for (let r = 0; r < RULES; r++) {
    const kind = kinds[r % kinds.length];
    const optionId = optionIds[r];
    await post('product-option-rules', {
      kind,
      optionId,
      ...(kind === 'excludes'
        ? { targetOptionIds: [spare.id] }
        : kind === 'quantity-limit'
          ? { targetOptionIds: [optionIds[r + 20]], maxQuantity: '100' }
          : { targetOptionIds: [optionIds[r + 1], optionIds[r + 2]] }),
    });
  }
  for (let b = 0; b < 3; b++)
    await post('product-bundles', {
      productId: product.id,
      name: { en: `Bundle ${b}` },
      optionIds: optionIds.slice(30 + b * 5, 35 + b * 5),
      discountPercent: '7.5',
    });
  await post('configuration-discounts', { name: 'Every account', discountPercent: '2.5' });
  return { productId: product.id, optionIds };
}

/** Runs `call` from `connections` concurrent loops for `seconds`, timing each call. */
async function loop(
  call: () => Promise<unknown>,
  connections: number,
  seconds: number,
  tally: Tally | null,
) {
  const end = performance.now() + seconds * 1000;
  await Promise.all(
    Array.from({ length: connections }, async () => {
      while (performance.now() < end) {
        const started = performance.now();
        await call();
        tally?.latencies.push(performance.now() - started);
      }
    }),
  );
  if (tally) tally.seconds += seconds;
}

const side = (t: Tally) => ({
  ...latencySummary(t.latencies),
  requestsPerSecond: Math.round(t.latencies.length / t.seconds),
});

runBench('configurator', async (run) => {
  const { url } = await startMigratedDatabase(run);
  const relasi = await startRelasi(run, url, { poolSize: config.poolSize });
  const token = await login(relasi.url);
  const post: Api = async (path, body) => {
    const res = await fetch(`${relasi.url}/api/v1/${path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    const answer = (await res.json()) as { id: string };
    if (res.status !== 201) throw new Error(`${path}: ${res.status} ${JSON.stringify(answer)}`);
    return answer;
  };
  log(`seeding a product with ${OPTIONS} options and ${RULES} rules`);
  const { productId, optionIds } = await seed(post);
  const input = {
    productId,
    currency: 'IDR',
    quantity: '12',
    day: '2026-05-04',
    selections: optionIds.map((optionId) => ({ optionId })),
  };
  const body = JSON.stringify(input);

  const env = parseEnv({
    DATABASE_URL: url,
    CRM_LOG_LEVEL: 'warn',
    CRM_DB_POOL_SIZE: String(config.poolSize),
    CRM_RUN_WORKERS: 'false',
  });
  const app = await createServer({
    env,
    config: parseCrmConfig('version: 1\n', '(bench)', APP_CONFIG),
    databaseUrl: url,
    logger: createLogger('warn'),
  });
  await app.init();
  run.onStop(() => app.close());
  const me = (await (
    await fetch(`${relasi.url}/api/v1/auth/me`, { headers: { authorization: `Bearer ${token}` } })
  ).json()) as { userId: string };
  const principal = await app.get(PrincipalLoader).load(me.userId);
  const ctx = new RequestContext('bench', 'en', principal, '127.0.0.1');
  const pricing = app.get(ConfigurationPricingService);

  const viaApi = await fetch(`${relasi.url}/api/v1/configurations/price`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body,
  });
  const apiAnswer = await viaApi.json();
  const inProcess = await pricing.price(ctx, input);
  if (viaApi.status !== 200 || JSON.stringify(apiAnswer) !== JSON.stringify(inProcess))
    throw new Error(`the API and the in-process call differ: ${JSON.stringify(apiAnswer)}`);
  log(`total ${inProcess.total.amount} IDR over ${inProcess.lines.length} lines`);

  const path = () => '/api/v1/configurations/price';
  const api: Tally = { latencies: [], seconds: 0 };
  const direct: Tally = { latencies: [], seconds: 0 };
  const pure: Tally = { latencies: [], seconds: 0 };
  log('warming up');
  await cannon(relasi, token, path, config.connections, config.warmupSeconds, null, body);
  await loop(() => pricing.price(ctx, input), config.connections, config.warmupSeconds, null);
  log(`API for ${config.durationSeconds}s at ${config.connections} connections`);
  await cannon(relasi, token, path, config.connections, config.durationSeconds, api, body);
  log(`in-process for ${config.durationSeconds}s at ${config.connections} concurrent calls`);
  await loop(() => pricing.price(ctx, input), config.connections, config.durationSeconds, direct);

  const model = await app.get(ConfigurationModelLoader).load(ctx, productId, optionIds, input.day);
  const prices = new Map(
    inProcess.lines.filter((l) => l.priceBookId).map((l) => [l.refId, l] as const),
  );
  const discount = await app.get(ConfigurationModelLoader).discounts(ctx, productId);
  log(`pure functions for ${config.durationSeconds}s`);
  await loop(
    () => {
      checkConfiguration(model, input.selections, input.day, 'en');
      priceConfiguration(
        model,
        { ...input, date: input.day },
        (id) => {
          const l = prices.get(id)!;
          return {
            unitPrice: l.unitPrice!.amount,
            minQuantity: l.tierMinQuantity!,
            priceBookId: l.priceBookId!,
            entryId: l.entryId!,
          };
        },
        discount[0] ?? null,
        'en',
      );
      return Promise.resolve();
    },
    1,
    config.durationSeconds,
    pure,
  );

  const results = {
    scenario: { options: OPTIONS, rules: RULES, bundles: 3, lines: inProcess.lines.length },
    settings: config,
    api: side(api),
    inProcess: side(direct),
    pure: side(pure),
    apiOverInProcessP99: Number((side(api).p99 / side(direct).p99).toFixed(2)),
  };
  log(JSON.stringify(results));
  writeResults('configurator.json', results);
});
