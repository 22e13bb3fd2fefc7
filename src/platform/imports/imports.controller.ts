import {
  Controller,
  Get,
  Headers,
  HttpCode,
  Inject,
  Param,
  Post,
  Query,
  Req,
  Res,
} from '@nestjs/common';

import {
  ApiAcceptedResponse,
  ApiBearerAuth,
  ApiHeader,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiProduces,
  ApiSecurity,
  ApiTags,
} from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { CRM_CONFIG } from '#platform/config/config.tokens.js';
import type { CrmConfig } from '#platform/config/crm-config.js';
import { Ctx } from '#platform/context/ctx.decorator.js';
import type { RequestContext } from '#platform/context/request-context.js';
import { ApiFileUpload, uploadParts } from '#platform/http/file-upload.js';
import { ApiListQuery, ApiProblems } from '#platform/http/api-docs.decorators.js';

import { UuidParamPipe } from '#platform/http/params.js';
import { parseListQuery, pageLimits } from '#platform/query/list-request.js';
import {
  CreateImportFormDto,
  ImportDto,
  ImportErrorListDto,
  ImportListDto,
} from './dto/import.dto.js';
import { ImportErrorsService } from './import-errors.service.js';
import { ImportsService } from './imports.service.js';
import { fileDownload } from '#platform/http/file-download.js';

/** Route config read by the server's content-type guard: this route takes multipart bodies. */

@ApiTags('Import & export')
@ApiBearerAuth()
@ApiSecurity('apiKey')
@Controller('api/v1/imports')
export class ImportsController {
  constructor(
    private readonly imports: ImportsService,
    private readonly importErrors: ImportErrorsService,
    @Inject(CRM_CONFIG) private readonly config: CrmConfig,
  ) {}

  private get limits() {
    return pageLimits(this.config.api);
  }

  @Post()
  @HttpCode(202)
  @ApiOperation({
    summary: 'Import records from a CSV file',
    operationId: 'createImport',
    description:
      'Uploads a CSV file (multipart/form-data) and starts importing it in the background; follow it at the Location. ' +
      'The file is streamed into the database as it arrives, so files of millions of rows work within CRM_IMPORT_MAX_BYTES. ' +
      'Every row is validated as POST (or, for duplicates=update, PATCH) would validate it; a bad row is reported with its row number, column, field and rule, and never stops the others. ' +
      'Rows are written in batches, each with its history and one `<label>.imported` event listing the new records; updated records get the usual `<label>.updated` events. ' +
      'Empty cells leave fields unset (an update never clears a value). New records belong to the caller unless an `ownerId` column is mapped (needs the reassign permission). ' +
      'The caller needs `create` on the entity, and `update` for duplicates=update. ' +
      'With an Idempotency-Key, sending the same file, entity, mapping and mode again returns the first import (`Idempotent-Replayed: true`) and imports nothing twice; anything else under that key is 422.',
  })
  @ApiFileUpload(CreateImportFormDto)
  @ApiHeader({
    name: 'Idempotency-Key',
    required: false,
    description: 'Repeating the upload with the same key returns the first import',
  })
  @ApiAcceptedResponse({
    type: ImportDto,
    description: 'The import, queued',
    headers: { Location: { schema: { type: 'string', example: '/api/v1/imports/0192f3a1-…' } } },
  })
  @ApiProblems(400, 401, 403, 413, 415, 422)
  async create(
    @Ctx() ctx: RequestContext,
    @Req() req: FastifyRequest,
    @Headers('idempotency-key') idempotencyKey: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<ImportDto> {
    const { import: created, replayed } = await this.imports.start(
      ctx,
      uploadParts(req),
      idempotencyKey,
    );
    void reply.header('location', `/api/v1/imports/${created.id}`);
    if (replayed) void reply.header('idempotent-replayed', 'true');
    return created;
  }

  @Get()
  @ApiOperation({
    summary: 'List imports (your own; admins see all)',
    operationId: 'listImports',
    description:
      'Newest first. Filter on entity, status, ownerId, createdAt, finishedAt; search the file name with `q`; page with `limit` and `cursor`.',
  })
  @ApiListQuery({ filter: 'filter[status][eq]=running', fields: 'id,status,processed,total' })
  @ApiOkResponse({ type: ImportListDto })
  @ApiProblems(400, 401)
  list(@Ctx() ctx: RequestContext, @Query() query: Record<string, unknown>) {
    return this.imports.list(ctx, parseListQuery(query, this.limits));
  }

  @Get(':id')
  @ApiOperation({
    summary: 'Progress of an import',
    operationId: 'getImport',
    description:
      'Status (queued, running, completed, failed, cancelled), the counts so far and the times. Another user’s import answers 404 unless the caller is an admin.',
  })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiOkResponse({ type: ImportDto })
  @ApiProblems(400, 401, 404)
  get(@Ctx() ctx: RequestContext, @Param('id', UuidParamPipe) id: string) {
    return this.imports.get(ctx, id);
  }

  @Get(':id/errors')
  @ApiOperation({
    summary: 'Row errors of an import',
    operationId: 'listImportErrors',
    description:
      'One entry per problem, by row number. Filter on rowNumber, column, field, code; project with `fields=`; page with `limit` and `cursor`.',
  })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiListQuery({
    filter: 'filter[code][eq]=isEmail',
    sort: 'rowNumber',
    fields: 'rowNumber,code',
    q: false,
  })
  @ApiOkResponse({ type: ImportErrorListDto })
  @ApiProblems(400, 401, 404)
  errors(
    @Ctx() ctx: RequestContext,
    @Param('id', UuidParamPipe) id: string,
    @Query() query: Record<string, unknown>,
  ) {
    return this.importErrors.list(ctx, id, parseListQuery(query, this.limits));
  }

  @Get(':id/errors/export')
  @ApiOperation({
    summary: 'The failed rows of an import, as CSV',
    operationId: 'exportImportErrors',
    description:
      'Each failed row as it was in the file, after three columns: `row`, `line` and `errors` (the problems, in the caller’s language). Correct the rows and upload the file again: the extra columns are not read.',
  })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiProduces('text/csv')
  @ApiOkResponse({
    description: 'The CSV file, streamed',
    content: {
      'text/csv': {
        // Streamed: as long as the data is; the bound only says a client need not expect more.
        schema: { type: 'string', maxLength: Number.MAX_SAFE_INTEGER },
        example:
          'row,line,errors,E-mail,Surname\r\n17,18,E-mail: must be an email address,sari@,Wijaya\r\n',
      },
    },
  })
  @ApiProblems(400, 401, 404)
  async errorsCsv(@Ctx() ctx: RequestContext, @Param('id', UuidParamPipe) id: string) {
    return fileDownload(await this.importErrors.csv(ctx, id), {
      mediaType: 'text/csv; charset=utf-8',
      fileName: `import-${id}-errors.csv`,
    });
  }

  @Post(':id/cancel')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Cancel an import',
    operationId: 'cancelImport',
    description:
      'Stops a queued or running import after the batch it is writing; the rows written so far stay. A finished import answers 409.',
  })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiOkResponse({ type: ImportDto })
  @ApiProblems(400, 401, 404, 409)
  cancel(@Ctx() ctx: RequestContext, @Param('id', UuidParamPipe) id: string) {
    return this.imports.cancel(ctx, id);
  }
}
