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
  ApiExtraModels,
  ApiHeader,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiProduces,
  ApiQuery,
  ApiSecurity,
  ApiTags,
  getSchemaPath,
} from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { CRM_CONFIG } from '#platform/config/config.tokens.js';
import type { CrmConfig } from '#platform/config/crm-config.js';
import { Ctx } from '#platform/context/ctx.decorator.js';
import type { RequestContext } from '#platform/context/request-context.js';
import {
  ApiFilterQuery,
  ApiListQuery,
  ApiProblems,
  ETAG_HEADER,
} from '#platform/http/api-docs.decorators.js';
import { AppError } from '#platform/http/app-error.js';
import { validateDto, type DtoClass } from '#platform/http/dto-validation.js';
import { etagOf, withEtag } from '#platform/http/etag.js';
import { RecordExportService } from '#platform/exports/record-export.service.js';
import { parseLimitParam, UuidParamPipe } from '#platform/http/params.js';
import { parseListQuery, parseQueryBody, pageLimits } from '#platform/query/list-request.js';
import { BulkExecutor } from './bulk-executor.js';
import {
  BulkRequestDto,
  BulkResponseDto,
  HistoryPageDto,
  ListMetaDto,
  QueryBodyDto,
} from './dto/list.dto.js';
import type { RecordResourceService } from './record-resource.service.js';
import { fileDownload } from '#platform/http/file-download.js';

export interface RecordControllerOptions {
  /** Plural kebab-case path under /api/v1. */
  path: string;
  tag: string;
  label: string;
  service: Type<RecordResourceService>;
  createDto: DtoClass<object>;
  updateDto: DtoClass<object>;
  responseDto: Type<unknown>;
  /** Example values for `filter[…]` in the docs. */
  filterExample: string;
}

function flag(value: string | undefined, name: string): boolean {
  if (value === undefined || value === 'false') return false;
  if (value === 'true' || value === '') return true;
  throw new AppError('invalid_query', {}, [
    { field: name, rule: 'isBoolean', message: 'must be true or false' },
  ]);
}

/**
 * Builds the standard controller of a record resource: list, query, get, create, update,
 * delete, restore, purge, history and bulk, all documented. A resource gets the whole REST
 * contract by declaring its DTOs; its own actions live in a controller beside this one.
 */
/** Entity → names of its DTO schemas in the OpenAPI document, where custom fields are described. */
export const recordSchemas = new Map<string, string[]>();

/** Path → the service and body DTOs of each resource, so a CSV import validates rows as POST does. */
export const recordEndpoints = new Map<
  string,
  { service: Type<RecordResourceService>; createDto: DtoClass<object>; updateDto: DtoClass<object> }
>();

export function recordController(o: RecordControllerOptions): Type<unknown> {
  recordSchemas.set(o.path, [o.createDto.name, o.updateDto.name, o.responseDto.name]);
  recordEndpoints.set(o.path, {
    service: o.service,
    createDto: o.createDto,
    updateDto: o.updateDto,
  });
  const one = `a ${o.label}`;
  const pageOfRecords = {
    schema: {
      type: 'object',
      required: ['data', 'meta'],
      properties: {
        data: { type: 'array', maxItems: 500, items: { $ref: getSchemaPath(o.responseDto) } },
        meta: { $ref: getSchemaPath(ListMetaDto) },
      },
    },
  };

  @ApiTags(o.tag)
  @ApiBearerAuth()
  @ApiSecurity('apiKey')
  @ApiExtraModels(o.responseDto, ListMetaDto)
  @Controller(`api/v1/${o.path}`)
  class RecordController {
    constructor(
      @Inject(o.service) readonly service: RecordResourceService,
      @Inject(CRM_CONFIG) readonly config: CrmConfig,
      readonly bulk: BulkExecutor,
      readonly exporter: RecordExportService,
    ) {}

    get limits() {
      return pageLimits(this.config.api);
    }

    @Get()
    @ApiOperation({
      summary: `List ${o.path}`,
      operationId: `list_${o.path}`,
      description:
        'Filter with `filter[field][op]=value` (ops: eq ne gt gte lt lte in nin contains startsWith isNull; several combine with AND; ' +
        '`customFields.code` and one relation level such as `account.industry` work too), sort with `sort=-createdAt,name`, ' +
        'page with `limit` (≤ 500) and `cursor`, project with `fields=`, embed with `include=`, search with `q`, count with `count=exact|estimated`.',
    })
    @ApiListQuery({ filter: o.filterExample, fields: 'id,createdAt', include: true })
    @ApiOkResponse(pageOfRecords)
    @ApiProblems(400, 401, 403, 503)
    list(@Ctx() ctx: RequestContext, @Query() query: Record<string, unknown>) {
      return this.service.list(ctx, parseListQuery(query, this.limits));
    }

    @Get('export')
    @ApiTags('Import & export')
    @ApiOperation({
      summary: `Export ${o.path} as CSV`,
      operationId: `export_${o.path}`,
      description:
        'Streams every matching record as `text/csv; charset=utf-8` (RFC 4180, CRLF lines, a header row). ' +
        'Takes the filters, sort, `q` and `fields` of the list (not `limit`, `count` or `include`) and the same read scope; hidden fields are left out. ' +
        'Columns are the field names an import maps by default: custom fields as `customFields.code`, money as `field.amount` and `field.currency`, ' +
        'lists joined with `;`, phones and addresses as JSON. Text cells starting with = + - @, a tab or CR get an apostrophe in front so spreadsheets do not run them as formulas; numbers stay numbers.',
    })
    @ApiFilterQuery(o.filterExample)
    @ApiQuery({ name: 'sort', required: false, example: '-createdAt' })
    @ApiQuery({ name: 'fields', required: false, example: 'id,createdAt,customFields' })
    @ApiQuery({ name: 'q', required: false })
    @ApiQuery({ name: 'cursor', required: false, description: 'Start after this list cursor' })
    @ApiProduces('text/csv')
    @ApiOkResponse({
      description: 'The CSV file, streamed',
      content: {
        'text/csv': {
          // Streamed: as long as the data is; the bound only says a client need not expect more.
          schema: { type: 'string', maxLength: Number.MAX_SAFE_INTEGER },
          example:
            'id,lastName,customFields.tier\r\n0192f000-0000-7000-8000-000000000001,Wijaya,gold\r\n',
        },
      },
      headers: { 'Content-Disposition': { schema: { type: 'string' } } },
    })
    @ApiProblems(400, 401, 403, 503)
    async exportCsv(@Ctx() ctx: RequestContext, @Query() query: Record<string, unknown>) {
      const stream = await this.exporter.export(ctx, this.service.def, this.exporter.parse(query));
      return fileDownload(stream, {
        mediaType: 'text/csv; charset=utf-8',
        fileName: this.exporter.fileName(o.path),
      });
    }

    @Post('query')
    @HttpCode(200)
    @ApiOperation({
      summary: `Query ${o.path} with an and/or/not filter tree`,
      operationId: `query_${o.path}`,
    })
    @ApiBody({ type: QueryBodyDto })
    @ApiOkResponse(pageOfRecords)
    @ApiProblems(400, 401, 403, 503)
    query(@Ctx() ctx: RequestContext, @Body() body: unknown) {
      return this.service.list(ctx, parseQueryBody(body, this.limits));
    }

    @Get(':id')
    @ApiOperation({ summary: `Read ${one}`, operationId: `get_${o.path}` })
    @ApiParam({ name: 'id', format: 'uuid' })
    @ApiQuery({ name: 'include', required: false })
    @ApiQuery({ name: 'fields', required: false })
    @ApiOkResponse({
      type: o.responseDto,
      headers: ETAG_HEADER,
    })
    @ApiProblems(400, 401, 403, 404)
    async get(
      @Ctx() ctx: RequestContext,
      @Param('id', UuidParamPipe) id: string,
      @Query() query: Record<string, unknown>,
      @Res({ passthrough: true }) reply: FastifyReply,
    ) {
      const parsed = parseListQuery(
        Object.fromEntries(
          Object.entries(query).filter(([k]) => k === 'include' || k === 'fields'),
        ),
        this.limits,
      );
      const rest = Object.keys(query).filter((k) => k !== 'include' && k !== 'fields');
      if (rest.length)
        parseListQuery(Object.fromEntries(rest.map((k) => [k, query[k]])), this.limits);
      const { record, version } = await this.service.get(ctx, id, parsed.include, parsed.fields);
      void reply.header('etag', etagOf(version));
      return record;
    }

    @Post()
    @ApiOperation({ summary: `Create ${one}`, operationId: `create_${o.path}` })
    @ApiBody({ type: o.createDto })
    @ApiQuery({
      name: 'allowDuplicate',
      required: false,
      type: Boolean,
      description: 'Create even when a duplicate exists',
    })
    @ApiHeader({
      name: 'Idempotency-Key',
      required: false,
      description: 'Retries with the same key and body return the first response',
    })
    @ApiCreatedResponse({
      type: o.responseDto,
      headers: { Location: { schema: { type: 'string' } }, ETag: { schema: { type: 'string' } } },
    })
    @ApiProblems(400, 401, 403, 409, 413, 422)
    async create(
      @Ctx() ctx: RequestContext,
      @Body() body: unknown,
      @Query('allowDuplicate') allowDuplicate: string | undefined,
      @Res({ passthrough: true }) reply: FastifyReply,
    ) {
      const input = await validateDto(o.createDto, body);
      const created = await this.service.create(
        ctx,
        { ...input },
        { allowDuplicate: flag(allowDuplicate, 'allowDuplicate') },
      );
      void reply
        .header('location', `/api/v1/${o.path}/${created.id}`)
        .header('etag', etagOf(created.version));
      return created;
    }

    @Patch(':id')
    @ApiOperation({ summary: `Update ${one} (partial)`, operationId: `update_${o.path}` })
    @ApiParam({ name: 'id', format: 'uuid' })
    @ApiBody({ type: o.updateDto })
    @ApiHeader({
      name: 'If-Match',
      required: false,
      description: 'ETag from a read; a stale one answers 412',
    })
    @ApiOkResponse({ type: o.responseDto })
    @ApiProblems(400, 401, 403, 404, 409, 412, 422)
    async update(
      @Ctx() ctx: RequestContext,
      @Param('id', UuidParamPipe) id: string,
      @Body() body: unknown,
      @Headers('if-match') ifMatch: string | undefined,
      @Res({ passthrough: true }) reply: FastifyReply,
    ) {
      const patch = await validateDto(o.updateDto, body);
      return withEtag(reply, await this.service.update(ctx, id, { ...patch }, ifMatch));
    }

    @Delete(':id')
    @HttpCode(204)
    @ApiOperation({
      summary: `Delete ${one} (soft; restore brings it back)`,
      operationId: `delete_${o.path}`,
    })
    @ApiParam({ name: 'id', format: 'uuid' })
    @ApiHeader({ name: 'If-Match', required: false })
    @ApiNoContentResponse()
    @ApiProblems(400, 401, 403, 404, 409, 412)
    remove(
      @Ctx() ctx: RequestContext,
      @Param('id', UuidParamPipe) id: string,
      @Headers('if-match') ifMatch: string | undefined,
    ) {
      return this.service.remove(ctx, id, ifMatch);
    }

    @Post(':id/restore')
    @HttpCode(200)
    @ApiOperation({ summary: `Restore a deleted ${o.label}`, operationId: `restore_${o.path}` })
    @ApiParam({ name: 'id', format: 'uuid' })
    @ApiOkResponse({ type: o.responseDto })
    // 409: a live record may hold a unique value the deleted one had meanwhile.
    @ApiProblems(400, 401, 403, 404, 409)
    restore(@Ctx() ctx: RequestContext, @Param('id', UuidParamPipe) id: string) {
      return this.service.restore(ctx, id);
    }

    @Delete(':id/purge')
    @HttpCode(204)
    @ApiOperation({
      summary: `Permanently remove a deleted ${o.label} (admins)`,
      operationId: `purge_${o.path}`,
    })
    @ApiParam({ name: 'id', format: 'uuid' })
    @ApiNoContentResponse()
    @ApiProblems(400, 401, 403, 404, 409)
    purge(@Ctx() ctx: RequestContext, @Param('id', UuidParamPipe) id: string) {
      return this.service.purge(ctx, id);
    }

    @Get(':id/history')
    @ApiOperation({
      summary: `Change history of ${one}, newest first`,
      operationId: `history_${o.path}`,
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
    ) {
      const n = parseLimitParam(limit);
      const page = await this.service.history(ctx, id, n, cursor ?? null);
      return { data: page.data, meta: { nextCursor: page.nextCursor, limit: n } };
    }

    @Post('bulk')
    @HttpCode(200)
    @ApiOperation({
      summary: `Create or update up to 1,000 ${o.path}; each item stands alone`,
      operationId: `bulk_${o.path}`,
    })
    @ApiBody({ type: BulkRequestDto })
    @ApiOkResponse({ type: BulkResponseDto })
    @ApiProblems(400, 401, 403, 413)
    bulkWrite(
      @Ctx() ctx: RequestContext,
      @Body() body: unknown,
      @Query('allowDuplicate') allowDuplicate: string | undefined,
      @Res({ passthrough: true }) reply: FastifyReply,
    ) {
      const req = reply.request;
      return this.bulk.run(ctx, req, body, this.config.api.maxBulkItems, {
        checkCreate: (item) => validateDto(o.createDto, item),
        create: (tx, input) =>
          this.service.create(
            tx,
            { ...input },
            { allowDuplicate: flag(allowDuplicate, 'allowDuplicate') },
          ),
        checkUpdate: (item) => validateDto(o.updateDto, item),
        update: (tx, id, version, patch) =>
          this.service.update(
            tx,
            id,
            { ...patch },
            version === undefined ? undefined : etagOf(version),
          ),
      });
    }
  }

  Object.defineProperty(RecordController, 'name', {
    value: `${o.tag.replace(/\W/g, '')}Controller`,
  });
  return RecordController;
}
