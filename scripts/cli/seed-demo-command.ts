import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { DataSource } from 'typeorm';
import { ADMIN_ROLE_ID } from '#platform/access/admin-bootstrap.js';
import { AuthService } from '#platform/auth/auth.service.js';
import { PrincipalLoader } from '#platform/auth/principal-loader.js';
import type { CrmConfig } from '#platform/config/crm-config.js';
import type { Env } from '#platform/config/env.js';
import { RequestContext } from '#platform/context/request-context.js';
import { Readiness } from '#platform/health/readiness.js';
import { createLogger } from '#platform/observability/logger.js';
import { createServer } from '../../src/server.js';
import { CliError, EXIT } from './cli-errors.js';
import { demoRecords, type DemoBatch } from './demo-records.js';

/** Tables whose rows mean someone already works in this database. */
const BUSINESS_TABLES = ['accounts', 'contacts', 'leads', 'opportunities', 'activities'];

async function firstAdminId(dataSource: DataSource): Promise<string> {
  const rows = await dataSource.query<{ id: string }[]>(
    `SELECT id FROM users WHERE role_id = $1 AND active AND deleted_at IS NULL ORDER BY created_at, id LIMIT 1`,
    [ADMIN_ROLE_ID],
  );
  if (!rows[0])
    throw new CliError(EXIT.failure, 'there is no active admin: run `relasi create-admin` first');
  return rows[0].id;
}

async function refuseUnlessEmpty(dataSource: DataSource): Promise<void> {
  const counts = await dataSource.query<{ name: string; n: number }[]>(
    BUSINESS_TABLES.map(
      (t) =>
        `SELECT '${t}' AS name, (SELECT count(*)::int FROM ${t} WHERE deleted_at IS NULL) AS n`,
    ).join(' UNION ALL '),
  );
  const used = counts.filter((c) => c.n > 0);
  if (used.length)
    throw new CliError(
      EXIT.failure,
      `the database already holds records (${used.map((c) => `${c.n} ${c.name}`).join(', ')}): add --force to add demo data anyway`,
    );
}

/**
 * Sends one batch through the API's bulk endpoint, as an integration would, and returns the
 * new records' ids in the batch's order. Any refused item stops the seed: demo data that
 * only partly matches the rules would mislead whoever explores it.
 */
async function postBulk(
  app: NestFastifyApplication,
  key: string,
  batch: DemoBatch,
): Promise<string[]> {
  const res = await app.inject({
    method: 'POST',
    url: `/api/v1/${batch.resource}/bulk`,
    headers: { 'x-api-key': key, 'content-type': 'application/json' },
    payload: JSON.stringify({ items: batch.items }),
  });
  if (res.statusCode !== 200)
    throw new CliError(EXIT.failure, `${batch.resource}: ${res.statusCode} ${res.body}`);
  const { results } = res.json<{
    results: { index: number; status: number; id?: string; error?: unknown }[];
  }>();
  const failed = results.find((r) => r.status !== 201);
  if (failed)
    throw new CliError(
      EXIT.failure,
      `${batch.resource}[${failed.index}]: ${failed.status} ${JSON.stringify(failed.error)}`,
    );
  return results.map((r) => r.id!);
}

/**
 * `relasi seed-demo`: accounts with contacts, leads, opportunities and logged calls, made
 * through the REST API of an in-process server (no port opened) with a short-lived API key
 * of the first admin, so every record passes the same validation, history and events as one
 * a client creates. The key is revoked at the end, whatever happens.
 */
export async function seedDemoCommand(
  dataSource: DataSource,
  settings: { env: Env; config: CrmConfig; databaseUrl: string },
  input: { scale: number; force: boolean },
  print: (line: string) => void,
): Promise<void> {
  const adminId = await firstAdminId(dataSource);
  if (!input.force) await refuseUnlessEmpty(dataSource);
  const app = await createServer({
    // The seed's own requests must not run into the request quota meant for clients.
    env: { ...settings.env, rateLimitRequests: 0, dbPoolSize: 4 },
    config: settings.config,
    databaseUrl: settings.databaseUrl,
    logger: createLogger('silent'),
  });
  try {
    app.get(Readiness).markReady();
    const principal = await app.get(PrincipalLoader).load(adminId);
    if (!principal) throw new CliError(EXIT.failure, 'the admin could not be loaded');
    const ctx = RequestContext.system().withPrincipal(principal);
    const auth = app.get(AuthService);
    const expiresAt = new Date(Date.now() + 60 * 60_000).toISOString();
    const apiKey = await auth.createApiKey(ctx, 'relasi seed-demo', expiresAt);
    try {
      const made: Record<string, number> = {};
      for (const batch of demoRecords(input.scale)) {
        const ids = await postBulk(app, apiKey.key, batch);
        batch.created(ids);
        made[batch.resource] = (made[batch.resource] ?? 0) + ids.length;
      }
      print(
        `demo data created: ${Object.entries(made)
          .map(([resource, n]) => `${n} ${resource}`)
          .join(', ')}`,
      );
    } finally {
      await auth.revokeApiKey(ctx, apiKey.id);
    }
  } finally {
    await app.close();
  }
}
