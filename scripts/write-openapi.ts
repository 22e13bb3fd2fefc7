import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { loadCrmConfig } from '#platform/config/crm-config.js';
import { parseEnv } from '#platform/config/env.js';
import { buildOpenApiDocument } from '#platform/http/openapi.js';
import { createLogger } from '#platform/observability/logger.js';
import { APP_CONFIG } from '../src/app-config-sections.js';
import { createServer, VERSION } from '../src/server.js';

/**
 * Writes openapi/openapi.json from the code (no database needed). With --check it writes
 * nothing and exits 1 when the checked-in document differs from what the code produces.
 */
async function main() {
  const env = parseEnv({ CRM_LOG_LEVEL: 'silent' });
  const config = loadCrmConfig(process.env.CRM_CONFIG ?? 'crm.config.example.yaml', APP_CONFIG);
  const app = await createServer({
    env,
    config,
    databaseUrl: 'postgres://unused@127.0.0.1/unused',
    logger: createLogger('silent'),
    connect: false,
  });
  const text = `${JSON.stringify(buildOpenApiDocument(app, VERSION), null, 2)}\n`;
  await app.close();
  const file = resolve('openapi/openapi.json');
  if (process.argv.includes('--check')) {
    let current = '';
    try {
      current = readFileSync(file, 'utf8');
    } catch {
      // missing counts as drift
    }
    if (current !== text) {
      process.stderr.write(
        'openapi/openapi.json is out of date: run `npm run openapi` and commit the result.\n',
      );
      process.exit(1);
    }
    process.stdout.write('openapi/openapi.json is up to date.\n');
    return;
  }
  mkdirSync(resolve('openapi'), { recursive: true });
  writeFileSync(file, text);
  process.stdout.write(`wrote ${file}\n`);
}

main().catch((e: unknown) => {
  process.stderr.write(`${(e as Error).stack ?? String(e)}\n`);
  process.exit(1);
});
