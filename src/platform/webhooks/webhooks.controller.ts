import { Controller, Get, HttpCode, Inject, Param, Post, Query, Res } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBearerAuth,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiSecurity,
  ApiTags,
} from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { CRM_CONFIG } from '#platform/config/config.tokens.js';
import type { CrmConfig } from '#platform/config/crm-config.js';
import { Ctx } from '#platform/context/ctx.decorator.js';
import type { RequestContext } from '#platform/context/request-context.js';
import { SecretFields } from '#platform/http/idempotency.interceptor.js';
import { ApiListQuery, ApiProblems, ETAG_HEADER } from '#platform/http/api-docs.decorators.js';
import { withEtag } from '#platform/http/etag.js';
import { UuidParamPipe } from '#platform/http/params.js';
import { parseListQuery, pageLimits } from '#platform/query/list-request.js';
import { adminTableController } from '#platform/records/admin-table-controller.factory.js';
import { WebhookDeliveryDto, WebhookDeliveryListDto } from './dto/webhook-delivery.dto.js';
import {
  CreateWebhookDto,
  UpdateWebhookDto,
  WebhookDto,
  WebhookListDto,
  WebhookWithSecretDto,
} from './dto/webhook.dto.js';
import { WebhookDeliveriesService } from './webhook-deliveries.service.js';
import { WebhooksService } from './webhooks.service.js';

export const WebhooksController = adminTableController({
  path: 'webhooks',
  tag: 'Webhooks',
  name: 'Webhook',
  service: WebhooksService,
  createDto: CreateWebhookDto,
  updateDto: UpdateWebhookDto,
  responseDto: WebhookDto,
  listDto: WebhookListDto,
  createdDto: WebhookWithSecretDto,
  secretFields: ['secret'],
  listQuery: { filter: 'filter[status][eq]=paused', fields: 'id,url,status' },
  docs: {
    list: {
      summary: 'List webhooks (admins)',
      description:
        'Filter on url, description, status, eventTypes (contains), entities (contains), consecutiveFailures, createdAt; sort by createdAt, url, status; `q` searches url and description.',
    },
    create: {
      summary: 'Subscribe a URL to events (admins)',
      description:
        'Deliveries are signed the Standard Webhooks way (`webhook-id`, `webhook-timestamp`, `webhook-signature`). The signing secret is in this response only.',
      problems: [400, 401, 403, 422],
    },
    get: { summary: 'Read a webhook (admins)' },
    update: {
      summary: 'Update a webhook (admins, partial)',
      description: '`{"active": true}` resumes a paused or disabled webhook.',
      problems: [400, 401, 403, 404, 412],
    },
    remove: { summary: 'Delete a webhook (admins; soft — no more deliveries, the log is kept)' },
    restore: { summary: 'Restore a deleted webhook (admins)', problems: [400, 401, 403, 404] },
    history: { summary: 'Change history of a webhook, newest first (admins)' },
  },
});

@ApiTags('Webhooks')
@ApiBearerAuth()
@ApiSecurity('apiKey')
@Controller('api/v1/webhooks')
export class WebhookActionsController {
  constructor(
    private readonly webhooks: WebhooksService,
    private readonly deliveries: WebhookDeliveriesService,
    @Inject(CRM_CONFIG) private readonly config: CrmConfig,
  ) {}

  @Post(':id/rotate-secret')
  @SecretFields('secret')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Replace the signing secret (admins)',
    operationId: 'rotateWebhookSecret',
    description:
      'Returns the new secret (shown only here). For 24 hours deliveries carry two signatures, one per secret, so receivers can switch without missing a message; then the old secret expires.',
  })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiOkResponse({ type: WebhookWithSecretDto, headers: ETAG_HEADER })
  @ApiProblems(400, 401, 403, 404)
  async rotateSecret(
    @Ctx() ctx: RequestContext,
    @Param('id', UuidParamPipe) id: string,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<WebhookWithSecretDto> {
    return withEtag(reply, await this.webhooks.rotateSecret(ctx, id));
  }

  @Post(':id/ping')
  @HttpCode(202)
  @ApiOperation({
    summary: 'Send a test event to a webhook (admins)',
    operationId: 'pingWebhook',
    description:
      'Queues one `webhook.ping` delivery to this webhook alone, signed like any other, whatever events it subscribes to, and returns it (status pending); ' +
      'follow it in GET …/deliveries. A failed ping is not retried and does not count towards pausing the webhook. The webhook must be active.',
  })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiAcceptedResponse({ type: WebhookDeliveryDto })
  @ApiProblems(400, 401, 403, 404, 409)
  ping(
    @Ctx() ctx: RequestContext,
    @Param('id', UuidParamPipe) id: string,
  ): Promise<WebhookDeliveryDto> {
    return this.deliveries.ping(ctx, id);
  }

  @Get(':id/deliveries')
  @ApiOperation({
    summary: 'Delivery attempts of a webhook, newest first (admins)',
    operationId: 'listWebhookDeliveries',
    description:
      'One entry per attempt. Filter on status, eventType, eventId, attempt, trigger, responseStatus, scheduledAt, attemptedAt, createdAt — e.g. `filter[status][eq]=failed`.',
  })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiListQuery({
    filter: 'filter[status][eq]=failed',
    fields: 'id,status,responseStatus',
    q: false,
  })
  @ApiOkResponse({ type: WebhookDeliveryListDto })
  @ApiProblems(400, 401, 403, 404)
  listDeliveries(
    @Ctx() ctx: RequestContext,
    @Param('id', UuidParamPipe) id: string,
    @Query() query: Record<string, unknown>,
  ) {
    return this.deliveries.list(ctx, id, parseListQuery(query, pageLimits(this.config.api)));
  }

  @Post(':id/deliveries/:deliveryId/resend')
  @HttpCode(202)
  @ApiOperation({
    summary: 'Send a delivery again (admins)',
    operationId: 'resendWebhookDelivery',
    description:
      'Queues one new attempt of the same event, with the same `webhook-id`, and returns it (status pending). The webhook must be active.',
  })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiParam({ name: 'deliveryId', format: 'uuid' })
  @ApiAcceptedResponse({ type: WebhookDeliveryDto })
  @ApiProblems(400, 401, 403, 404, 409)
  resend(
    @Ctx() ctx: RequestContext,
    @Param('id', UuidParamPipe) id: string,
    @Param('deliveryId', UuidParamPipe) deliveryId: string,
  ): Promise<WebhookDeliveryDto> {
    return this.deliveries.resend(ctx, id, deliveryId);
  }
}
