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
  type Type,
} from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiBody,
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
import { CRM_CONFIG } from '#platform/config/config.tokens.js';
import type { CrmConfig } from '#platform/config/crm-config.js';
import { Ctx } from '#platform/context/ctx.decorator.js';
import type { RequestContext } from '#platform/context/request-context.js';
import {
  ApiListQuery,
  ApiProblems,
  ETAG_HEADER,
  type ListQueryDocs,
} from '#platform/http/api-docs.decorators.js';
import { validateDto, type DtoClass } from '#platform/http/dto-validation.js';
import { withEtag } from '#platform/http/etag.js';
import { SecretFields } from '#platform/http/idempotency.interceptor.js';
import { parseLimitParam, UuidParamPipe } from '#platform/http/params.js';
import { parseListQuery, pageLimits } from '#platform/query/list-request.js';
import type { AdminTable } from './admin-table.service.js';
import { HistoryPageDto } from './dto/list.dto.js';

type VersionedView = { id: string; version: number };

/** What the document says of one standard route. */
export interface AdminRouteDocs {
  summary: string;
  description?: string;
  /** Replaces the problem statuses the route usually answers (see `USUAL_PROBLEMS`). */
  problems?: number[];
}

export interface AdminTableControllerOptions {
  /** Plural kebab-case path under /api/v1. */
  path: string;
  tag: string;
  /**
   * Singular PascalCase noun naming the controller and the operations: `listUsers`,
   * `createUser`, `getUser`, `updateUser`, `deleteUser`, `restoreUser`, `userHistory`.
   */
  name: string;
  service: Type<AdminTable<VersionedView>>;
  createDto: DtoClass<object>;
  updateDto: DtoClass<object>;
  responseDto: Type<unknown>;
  listDto: Type<unknown>;
  /** What a create answers when it shows more than a read does. */
  createdDto?: Type<unknown>;
  /** Fields of the created representation shown once, never kept for a replay. */
  secretFields?: string[];
  listQuery: ListQueryDocs;
  docs: {
    list: AdminRouteDocs;
    /** `idempotencyKey` describes the Idempotency-Key header, where the document does. */
    create: AdminRouteDocs & { idempotencyKey?: string };
    get: AdminRouteDocs;
    update: AdminRouteDocs;
    remove: AdminRouteDocs;
    restore: AdminRouteDocs;
    history: AdminRouteDocs;
  };
}

type Route = keyof AdminTableControllerOptions['docs'];

const USUAL_PROBLEMS: Record<Route, number[]> = {
  list: [400, 401, 403],
  create: [400, 401, 403, 409, 422],
  get: [400, 401, 403, 404],
  update: [400, 401, 403, 404, 409, 412],
  remove: [400, 401, 403, 404, 412],
  restore: [400, 401, 403, 404, 409],
  history: [400, 401, 403, 404],
};

/**
 * Builds the controller of an administration table: list, get, create, update, delete,
 * restore and history, documented, with ETag / If-Match and a Location on create. A table's
 * own actions live in a controller beside this one.
 */
export function adminTableController(o: AdminTableControllerOptions): Type<unknown> {
  const operation = (route: Route, operationId: string) => ({
    summary: o.docs[route].summary,
    description: o.docs[route].description,
    operationId,
  });
  const problemsOf = (route: Route) => o.docs[route].problems ?? USUAL_PROBLEMS[route];
  const camelName = o.name.charAt(0).toLowerCase() + o.name.slice(1);

  @ApiTags(o.tag)
  @ApiBearerAuth()
  @ApiSecurity('apiKey')
  @Controller(`api/v1/${o.path}`)
  class AdminTableController {
    constructor(
      @Inject(o.service) readonly service: AdminTable<VersionedView>,
      @Inject(CRM_CONFIG) readonly config: CrmConfig,
    ) {}

    @Get()
    @ApiOperation(operation('list', `list${o.name}s`))
    @ApiListQuery(o.listQuery)
    @ApiOkResponse({ type: o.listDto })
    @ApiProblems(...problemsOf('list'))
    list(@Ctx() ctx: RequestContext, @Query() query: Record<string, unknown>) {
      return this.service.list(ctx, parseListQuery(query, pageLimits(this.config.api)));
    }

    @Post()
    @SecretFields(...(o.secretFields ?? []))
    @ApiOperation(operation('create', `create${o.name}`))
    @ApiHeader({
      name: 'Idempotency-Key',
      required: false,
      description: o.docs.create.idempotencyKey,
    })
    @ApiBody({ type: o.createDto })
    @ApiCreatedResponse({
      type: o.createdDto ?? o.responseDto,
      headers: { Location: { schema: { type: 'string' } }, ...ETAG_HEADER },
    })
    @ApiProblems(...problemsOf('create'))
    async create(
      @Ctx() ctx: RequestContext,
      @Body() body: unknown,
      @Res({ passthrough: true }) reply: FastifyReply,
    ) {
      const created = await this.service.create(ctx, await validateDto(o.createDto, body));
      void reply.header('location', `/api/v1/${o.path}/${created.id}`);
      return withEtag(reply, created);
    }

    @Get(':id')
    @ApiOperation(operation('get', `get${o.name}`))
    @ApiParam({ name: 'id', format: 'uuid' })
    @ApiOkResponse({ type: o.responseDto, headers: ETAG_HEADER })
    @ApiProblems(...problemsOf('get'))
    async get(
      @Ctx() ctx: RequestContext,
      @Param('id', UuidParamPipe) id: string,
      @Res({ passthrough: true }) reply: FastifyReply,
    ) {
      return withEtag(reply, await this.service.get(ctx, id));
    }

    @Patch(':id')
    @ApiOperation(operation('update', `update${o.name}`))
    @ApiParam({ name: 'id', format: 'uuid' })
    @ApiHeader({
      name: 'If-Match',
      required: false,
      description: 'ETag from a read; a stale one answers 412',
    })
    @ApiBody({ type: o.updateDto })
    @ApiOkResponse({ type: o.responseDto, headers: ETAG_HEADER })
    @ApiProblems(...problemsOf('update'))
    async update(
      @Ctx() ctx: RequestContext,
      @Param('id', UuidParamPipe) id: string,
      @Body() body: unknown,
      @Headers('if-match') ifMatch: string | undefined,
      @Res({ passthrough: true }) reply: FastifyReply,
    ) {
      const patch = await validateDto(o.updateDto, body);
      return withEtag(reply, await this.service.update(ctx, id, patch, ifMatch));
    }

    @Delete(':id')
    @HttpCode(204)
    @ApiOperation(operation('remove', `delete${o.name}`))
    @ApiParam({ name: 'id', format: 'uuid' })
    @ApiHeader({ name: 'If-Match', required: false })
    @ApiNoContentResponse()
    @ApiProblems(...problemsOf('remove'))
    remove(
      @Ctx() ctx: RequestContext,
      @Param('id', UuidParamPipe) id: string,
      @Headers('if-match') ifMatch: string | undefined,
    ): Promise<void> {
      return this.service.remove(ctx, id, ifMatch);
    }

    @Post(':id/restore')
    @HttpCode(200)
    @ApiOperation(operation('restore', `restore${o.name}`))
    @ApiParam({ name: 'id', format: 'uuid' })
    @ApiOkResponse({ type: o.responseDto, headers: ETAG_HEADER })
    @ApiProblems(...problemsOf('restore'))
    async restore(
      @Ctx() ctx: RequestContext,
      @Param('id', UuidParamPipe) id: string,
      @Res({ passthrough: true }) reply: FastifyReply,
    ) {
      return withEtag(reply, await this.service.restore(ctx, id));
    }

    @Get(':id/history')
    @ApiOperation(operation('history', `${camelName}History`))
    @ApiParam({ name: 'id', format: 'uuid' })
    @ApiQuery({ name: 'limit', required: false })
    @ApiQuery({ name: 'cursor', required: false })
    @ApiOkResponse({ type: HistoryPageDto })
    @ApiProblems(...problemsOf('history'))
    async history(
      @Ctx() ctx: RequestContext,
      @Param('id', UuidParamPipe) id: string,
      @Query('limit') limit?: string,
      @Query('cursor') cursor?: string,
    ): Promise<HistoryPageDto> {
      const n = parseLimitParam(limit);
      const page = await this.service.historyOf(ctx, id, n, cursor ?? null);
      return { data: page.data, meta: { nextCursor: page.nextCursor, limit: n } };
    }
  }

  Object.defineProperty(AdminTableController, 'name', { value: `${o.name}sController` });
  return AdminTableController;
}
