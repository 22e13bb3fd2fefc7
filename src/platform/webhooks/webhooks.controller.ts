import {
  Body,
  Controller,
  Delete,
  Get,
  Headers,
  HttpCode,
  Inject,
  Param,
  Patch,
  Post,
  Query,
  Res,
} from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiHeader,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiQuery,
  ApiSecurity,
  ApiTags,
} from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { CRM_CONFIG } from '../config/config.tokens.js';
import type { CrmConfig } from '../config/crm-config.js';
import { Ctx } from '../context/ctx.decorator.js';
import type { RequestContext } from '../context/request-context.js';
import { SecretFields } from '../http/idempotency.interceptor.js';
import { ApiListQuery, ApiProblems } from '../http/api-docs.decorators.js';
import { etagOf } from '../http/etag.js';
import { parseLimitParam, UuidParamPipe } from '../http/params.js';
import { parseListQuery } from '../query/list-request.js';
import { HistoryPageDto } from '../records/dto/list.dto.js';
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

const ETAG_HEADER = {
  ETag: { description: 'Send as If-Match on PATCH and DELETE', schema: { type: 'string' } },
};

@ApiTags('Webhooks')
@ApiBearerAuth()
@ApiSecurity('apiKey')
@Controller('api/v1/webhooks')
export class WebhooksController {
  constructor(
    private readonly webhooks: WebhooksService,
    private readonly deliveries: WebhookDeliveriesService,
    @Inject(CRM_CONFIG) private readonly config: CrmConfig,
  ) {}

  private limits() {
    return {
      defaultLimit: this.config.api.defaultPageSize,
      maxLimit: this.config.api.maxPageSize,
    };
  }

  @Get()
  @ApiOperation({
    summary: 'List webhooks (admins)',
    operationId: 'listWebhooks',
    description:
      'Filter on url, description, status, eventTypes (contains), entities (contains), consecutiveFailures, createdAt; sort by createdAt, url, status; `q` searches url and description.',
  })
  @ApiListQuery({ filter: 'filter[status][eq]=paused', fields: 'id,url,status' })
  @ApiOkResponse({ type: WebhookListDto })
  @ApiProblems(400, 401, 403)
  list(@Ctx() ctx: RequestContext, @Query() query: Record<string, unknown>) {
    return this.webhooks.list(ctx, parseListQuery(query, this.limits()));
  }

  @Post()
  @SecretFields('secret')
  @ApiOperation({
    summary: 'Subscribe a URL to events (admins)',
    operationId: 'createWebhook',
    description:
      'Deliveries are signed the Standard Webhooks way (`webhook-id`, `webhook-timestamp`, `webhook-signature`). The signing secret is in this response only.',
  })
  @ApiHeader({ name: 'Idempotency-Key', required: false })
  @ApiCreatedResponse({
    type: WebhookWithSecretDto,
    headers: { Location: { schema: { type: 'string' } }, ...ETAG_HEADER },
  })
  @ApiProblems(400, 401, 403, 422)
  async create(
    @Ctx() ctx: RequestContext,
    @Body() body: CreateWebhookDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<WebhookWithSecretDto> {
    const webhook = await this.webhooks.create(ctx, body);
    void reply
      .header('location', `/api/v1/webhooks/${webhook.id}`)
      .header('etag', etagOf(webhook.version));
    return webhook;
  }

  @Get(':id')
  @ApiOperation({ summary: 'Read a webhook (admins)', operationId: 'getWebhook' })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiOkResponse({ type: WebhookDto, headers: ETAG_HEADER })
  @ApiProblems(400, 401, 403, 404)
  async get(
    @Ctx() ctx: RequestContext,
    @Param('id', UuidParamPipe) id: string,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<WebhookDto> {
    const webhook = await this.webhooks.get(ctx, id);
    void reply.header('etag', etagOf(webhook.version));
    return webhook;
  }

  @Patch(':id')
  @ApiOperation({
    summary: 'Update a webhook (admins, partial)',
    operationId: 'updateWebhook',
    description: '`{"active": true}` resumes a paused or disabled webhook.',
  })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiHeader({
    name: 'If-Match',
    required: false,
    description: 'ETag from a read; a stale one answers 412',
  })
  @ApiOkResponse({ type: WebhookDto, headers: ETAG_HEADER })
  @ApiProblems(400, 401, 403, 404, 412)
  async update(
    @Ctx() ctx: RequestContext,
    @Param('id', UuidParamPipe) id: string,
    @Body() body: UpdateWebhookDto,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<WebhookDto> {
    const webhook = await this.webhooks.update(ctx, id, body, ifMatch);
    void reply.header('etag', etagOf(webhook.version));
    return webhook;
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiOperation({
    summary: 'Delete a webhook (admins; soft — no more deliveries, the log is kept)',
    operationId: 'deleteWebhook',
  })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiHeader({ name: 'If-Match', required: false })
  @ApiNoContentResponse()
  @ApiProblems(400, 401, 403, 404, 412)
  remove(
    @Ctx() ctx: RequestContext,
    @Param('id', UuidParamPipe) id: string,
    @Headers('if-match') ifMatch: string | undefined,
  ): Promise<void> {
    return this.webhooks.remove(ctx, id, ifMatch);
  }

  @Post(':id/restore')
  @HttpCode(200)
  @ApiOperation({ summary: 'Restore a deleted webhook (admins)', operationId: 'restoreWebhook' })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiOkResponse({ type: WebhookDto, headers: ETAG_HEADER })
  @ApiProblems(400, 401, 403, 404)
  async restore(
    @Ctx() ctx: RequestContext,
    @Param('id', UuidParamPipe) id: string,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<WebhookDto> {
    const webhook = await this.webhooks.restore(ctx, id);
    void reply.header('etag', etagOf(webhook.version));
    return webhook;
  }

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
    const webhook = await this.webhooks.rotateSecret(ctx, id);
    void reply.header('etag', etagOf(webhook.version));
    return webhook;
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
    return this.deliveries.list(ctx, id, parseListQuery(query, this.limits()));
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

  @Get(':id/history')
  @ApiOperation({
    summary: 'Change history of a webhook, newest first (admins)',
    operationId: 'webhookHistory',
  })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiQuery({ name: 'limit', required: false })
  @ApiQuery({ name: 'cursor', required: false })
  @ApiOkResponse({ type: HistoryPageDto })
  @ApiProblems(400, 401, 403, 404)
  async history(
    @Ctx() ctx: RequestContext,
    @Param('id', UuidParamPipe) id: string,
    @Query('limit') limit?: string,
    @Query('cursor') cursor?: string,
  ): Promise<HistoryPageDto> {
    const n = parseLimitParam(limit);
    const page = await this.webhooks.historyOf(ctx, id, n, cursor ?? null);
    return { data: page.data, meta: { nextCursor: page.nextCursor, limit: n } };
  }
}
