import { Inject, Injectable } from '@nestjs/common';
import { adminField } from '#platform/access/admin-list.js';
import { PermissionEvaluator } from '#platform/access/permission-evaluator.js';
import { HistoryService } from '#platform/audit/history.service.js';
import { ENV } from '#platform/config/config.tokens.js';
import type { Env } from '#platform/config/env.js';
import type { RequestContext } from '#platform/context/request-context.js';
import { DatabaseService } from '#platform/database/database.service.js';
import { uuidv7 } from '#platform/database/uuid7.js';
import { AppError, type FieldError } from '#platform/http/app-error.js';
import { checkIfMatch } from '#platform/http/etag.js';
import type { QuerySchema } from '#platform/query/query-schema.js';
import { AdminTableService } from '#platform/records/admin-table.service.js';
import { ResourceRegistry } from '#platform/records/resource-registry.js';
import {
  WEBHOOK_STATUSES,
  type WebhookDto,
  type WebhookStatus,
  type WebhookWithSecretDto,
} from './dto/webhook.dto.js';
import { SecretBox } from './secret-box.js';
import { newWebhookSecret } from './webhook-signature.js';
import { WebhookUrlError, WebhookUrlPolicy } from './webhook-url-policy.js';

/** Entity key and event label of webhooks themselves (`webhook.paused`, `webhook.disabled`). */
export const WEBHOOK_ENTITY = 'webhooks';
export const WEBHOOK_LABEL = 'webhook';
/** How long the replaced secret keeps signing after a rotation. */
export const SECRET_OVERLAP_HOURS = 24;

export interface WebhookRow {
  id: string;
  url: string;
  description: string | null;
  event_types: string[];
  entities: string[];
  status: WebhookStatus;
  paused_reason: string | null;
  paused_at: Date | null;
  secret: string;
  previous_secret: string | null;
  previous_secret_expires_at: Date | null;
  secret_rotated_at: Date | null;
  consecutive_failures: number;
  last_success_at: Date | null;
  last_failure_at: Date | null;
  created_at: Date;
  updated_at: Date;
  version: number;
}

interface WebhookInput {
  url?: string;
  description?: string | null;
  eventTypes?: string[];
  entities?: string[];
  active?: boolean;
}

const iso = (d: Date | null) => (d ? d.toISOString() : null);

const WEBHOOK_SCHEMA: QuerySchema = {
  entity: WEBHOOK_ENTITY,
  table: 'webhook_subscriptions',
  alias: 'w',
  fields: new Map([
    adminField('id', 'w.id', 'uuid', { sortable: true }),
    adminField('url', 'w.url', 'string', { sortable: true }),
    adminField('description', 'w.description', 'string', { nullable: true }),
    adminField('status', 'w.status', 'enum', { values: WEBHOOK_STATUSES, sortable: true }),
    adminField('eventTypes', 'w.event_types', 'string[]'),
    adminField('entities', 'w.entities', 'string[]'),
    adminField('consecutiveFailures', 'w.consecutive_failures', 'integer', { sortable: true }),
    adminField('lastSuccessAt', 'w.last_success_at', 'datetime', { nullable: true }),
    adminField('lastFailureAt', 'w.last_failure_at', 'datetime', { nullable: true }),
    adminField('createdAt', 'w.created_at', 'datetime', { sortable: true }),
    adminField('updatedAt', 'w.updated_at', 'datetime', { sortable: true }),
  ]),
  relations: new Map(),
  search: `lower(w.url || ' ' || coalesce(w.description, ''))`,
  defaultSort: 'createdAt',
  ownerColumn: null,
  teamColumn: null,
};

const WEBHOOK_FIELDS = [
  'id',
  'url',
  'description',
  'eventTypes',
  'entities',
  'active',
  'status',
  'pausedReason',
  'pausedAt',
  'consecutiveFailures',
  'lastSuccessAt',
  'lastFailureAt',
  'secretRotatedAt',
  'previousSecretExpiresAt',
  'createdAt',
  'updatedAt',
  'version',
] as const satisfies readonly (keyof WebhookDto)[];

/** Changes an admin would look for in the history; delivery counters change too often to matter. */
const HISTORY_IGNORED = new Set([
  'id',
  'createdAt',
  'updatedAt',
  'version',
  'consecutiveFailures',
  'lastSuccessAt',
  'lastFailureAt',
  'pausedAt',
]);

export function presentWebhook(r: WebhookRow): WebhookDto {
  return {
    id: r.id,
    url: r.url,
    description: r.description,
    eventTypes: r.event_types,
    entities: r.entities,
    active: r.status === 'active',
    status: r.status,
    pausedReason: r.paused_reason,
    pausedAt: iso(r.paused_at),
    consecutiveFailures: r.consecutive_failures,
    lastSuccessAt: iso(r.last_success_at),
    lastFailureAt: iso(r.last_failure_at),
    secretRotatedAt: iso(r.secret_rotated_at),
    previousSecretExpiresAt:
      r.previous_secret_expires_at && r.previous_secret_expires_at > new Date()
        ? r.previous_secret_expires_at.toISOString()
        : null,
    createdAt: r.created_at.toISOString(),
    updatedAt: r.updated_at.toISOString(),
    version: r.version,
  };
}

const unique = (values: readonly string[]) => [...new Set(values)];

/**
 * Webhook subscriptions, for admins: which URL gets which events, and its signing secret.
 * The secret is returned once (on create and on rotation) and stored sealed by SecretBox.
 * URLs pass the SSRF policy here and again at every delivery, after DNS resolution.
 * A deleted webhook gets no more deliveries (pending ones are cancelled); its log is kept
 * for a restore.
 */
@Injectable()
export class WebhooksService extends AdminTableService<WebhookRow, WebhookDto> {
  readonly policy: WebhookUrlPolicy;
  readonly secrets: SecretBox;

  constructor(
    db: DatabaseService,
    permissions: PermissionEvaluator,
    history: HistoryService,
    private readonly registry: ResourceRegistry,
    @Inject(ENV) env: Env,
  ) {
    super(db, permissions, history, {
      schema: WEBHOOK_SCHEMA,
      label: 'webhook',
      fields: WEBHOOK_FIELDS,
      historyIgnored: HISTORY_IGNORED,
    });
    this.policy = new WebhookUrlPolicy(env.webhookAllowedHosts);
    this.secrets = new SecretBox(env.secretKey);
  }

  override async create(
    ctx: RequestContext,
    input: WebhookInput & { url: string; eventTypes: string[] },
  ): Promise<WebhookWithSecretDto> {
    this.permissions.requireAdmin(ctx.user);
    this.assertFilters(input);
    await this.assertUrlAllowed(input.url);
    const secret = newWebhookSecret();
    return this.db.transaction(ctx, async (tx) => {
      const [row] = await this.db.query<WebhookRow>(
        tx,
        `INSERT INTO webhook_subscriptions (id, url, description, event_types, entities, status, secret, created_by_id)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING *`,
        [
          uuidv7(),
          input.url,
          input.description ?? null,
          unique(input.eventTypes),
          unique(input.entities ?? []),
          input.active === false ? 'inactive' : 'active',
          this.secrets.seal(secret),
          ctx.principal?.userId ?? null,
        ],
      );
      const view = presentWebhook(row);
      await this.recordCreated(tx, view);
      return { ...view, secret };
    });
  }

  override async update(
    ctx: RequestContext,
    id: string,
    patch: WebhookInput,
    ifMatch: string | undefined,
  ): Promise<WebhookDto> {
    this.permissions.requireAdmin(ctx.user);
    this.assertFilters(patch);
    if (patch.url !== undefined) await this.assertUrlAllowed(patch.url);
    return this.db.transaction(ctx, async (tx) => {
      const existing = await this.load(tx, id, { forUpdate: true });
      checkIfMatch(ifMatch, existing.version);
      const before = presentWebhook(existing);
      const resume = patch.active === true && existing.status !== 'active';
      const status: WebhookStatus =
        patch.active === undefined ? existing.status : patch.active ? 'active' : 'inactive';
      const next = {
        url: patch.url ?? existing.url,
        description: patch.description === undefined ? existing.description : patch.description,
        eventTypes: patch.eventTypes ? unique(patch.eventTypes) : existing.event_types,
        entities: patch.entities ? unique(patch.entities) : existing.entities,
      };
      const changed =
        status !== existing.status ||
        next.url !== existing.url ||
        next.description !== existing.description ||
        next.eventTypes.join('\n') !== existing.event_types.join('\n') ||
        next.entities.join('\n') !== existing.entities.join('\n');
      if (!changed) return before;
      // Resuming starts with a clean slate: the failures that paused it are history.
      const [row] = await this.db.query<WebhookRow>(
        tx,
        `UPDATE webhook_subscriptions SET url = $2, description = $3, event_types = $4, entities = $5,
                status = $6,
                paused_reason = CASE WHEN $6 = 'active' OR $6 = 'inactive' THEN NULL ELSE paused_reason END,
                paused_at = CASE WHEN $6 = 'active' OR $6 = 'inactive' THEN NULL ELSE paused_at END,
                consecutive_failures = CASE WHEN $7 THEN 0 ELSE consecutive_failures END,
                failing_since = CASE WHEN $7 THEN NULL ELSE failing_since END,
                version = version + 1, updated_at = now()
          WHERE id = $1 RETURNING *`,
        [id, next.url, next.description, next.eventTypes, next.entities, status, resume],
      );
      const after = presentWebhook(row);
      await this.recordUpdated(tx, before, after);
      return after;
    });
  }

  /**
   * A new secret signs from now on; the replaced one keeps signing for 24 h, so receivers can
   * switch over without losing a delivery (each message then carries two signatures). A
   * second rotation within the 24 h drops the oldest secret at once.
   */
  async rotateSecret(ctx: RequestContext, id: string): Promise<WebhookWithSecretDto> {
    this.permissions.requireAdmin(ctx.user);
    const secret = newWebhookSecret();
    return this.db.transaction(ctx, async (tx) => {
      await this.load(tx, id, { forUpdate: true });
      const [row] = await this.db.query<WebhookRow>(
        tx,
        `UPDATE webhook_subscriptions SET previous_secret = secret, secret = $2,
                previous_secret_expires_at = now() + make_interval(hours => ${SECRET_OVERLAP_HOURS}),
                secret_rotated_at = now(), version = version + 1, updated_at = now()
          WHERE id = $1 RETURNING *`,
        [id, this.secrets.seal(secret)],
      );
      await this.history.record(tx, WEBHOOK_ENTITY, id, 'update', [
        { field: 'secret', old: '(rotated)', new: '(new secret)' },
      ]);
      return { ...presentWebhook(row), secret };
    });
  }

  /** The live webhook or 404; deliveries are checked against it. */
  override load(
    ctx: RequestContext,
    id: string,
    opts: { forUpdate?: boolean; deleted?: boolean } = {},
  ): Promise<WebhookRow> {
    return super.load(ctx, id, opts);
  }

  protected override async present(_ctx: RequestContext, rows: WebhookRow[]) {
    return rows.map(presentWebhook);
  }

  /**
   * Event types must name an entity that emits events (its singular label), entities their
   * plural key; a typo would otherwise be a subscription that silently never fires.
   */
  private assertFilters(input: WebhookInput): void {
    const entities = this.registry.entities();
    const labels = new Set([WEBHOOK_LABEL, ...entities.map((e) => this.registry.get(e).label)]);
    const keys = new Set([WEBHOOK_ENTITY, ...entities]);
    const errors: FieldError[] = [];
    (input.eventTypes ?? []).forEach((type, i) => {
      const label = type.split('.')[0];
      if (type !== '*' && !labels.has(label)) {
        const values = `*, ${[...labels].map((l) => `${l}.*`).join(', ')} or an exact type such as contact.created`;
        errors.push({
          field: `eventTypes[${i}]`,
          rule: 'isIn',
          message: `must be one of: ${values}`,
          params: { values },
        });
      }
    });
    (input.entities ?? []).forEach((entity, i) => {
      if (!keys.has(entity)) {
        const values = [...keys].join(', ');
        errors.push({
          field: `entities[${i}]`,
          rule: 'isIn',
          message: `must be one of: ${values}`,
          params: { values },
        });
      }
    });
    if (errors.length) throw AppError.validation(errors);
  }

  private async assertUrlAllowed(url: string): Promise<void> {
    try {
      await this.policy.check(url);
    } catch (err) {
      if (!(err instanceof WebhookUrlError)) throw err;
      const p = err.problem;
      switch (p.kind) {
        case 'invalid':
          if (p.message.includes('user name'))
            throw AppError.field('url', 'noCredentials', p.message, {
              messages: {
                en: 'must not contain a user name or password',
                id: 'tidak boleh berisi nama pengguna atau kata sandi',
              },
            });
          throw AppError.field('url', 'isUrl', p.message);
        case 'unresolvable':
          throw AppError.field('url', 'unresolvable', p.message, {
            host: p.host,
            messages: {
              en: `host ${p.host} does not resolve`,
              id: `host ${p.host} tidak ditemukan di DNS`,
            },
          });
        case 'refused':
          throw new AppError(
            'webhook_url_not_allowed',
            { host: p.host, address: p.address, range: p.range },
            [
              {
                field: 'url',
                rule: 'notAllowed',
                message: err.message,
                params: {
                  messages: {
                    en: `resolves to ${p.address}, a ${p.range} address`,
                    id: `mengarah ke ${p.address}, alamat ${p.range}`,
                  },
                },
              },
            ],
          );
      }
    }
  }
}
