import {
  Body,
  Controller,
  Get,
  HttpCode,
  Param,
  Post,
  Query,
  StreamableFile,
} from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiProduces,
  ApiQuery,
  ApiSecurity,
  ApiTags,
} from '@nestjs/swagger';
import { CubeQueryDto, CubeService } from '#analytical/cube/index.js';
import { Ctx, type RequestContext } from '#platform/context/index.js';
import { ApiProblems, fileDownload, QueryParams, UuidParamPipe } from '#platform/http/index.js';
import { recordController } from '#platform/records/index.js';
import { exportResult, type ExportFile } from './report-export.js';
import { ReportInboxService } from './report-inbox.service.js';
import { fromCube } from './report-result.js';
import { runView } from './report-runner.js';
import { ReportsService } from './reports.service.js';
import {
  CreateReportDto,
  EXPORT_FORMATS,
  ReportDto,
  UpdateReportDto,
  type ExportFormat,
} from './dto/report.dto.js';
import {
  ReportInboxEntryDto,
  ReportInboxPageDto,
  ReportRunDto,
  ReportRunPageDto,
} from './dto/report-run.dto.js';

export const ReportsController = recordController({
  path: 'reports',
  tag: 'Reports',
  label: 'report',
  service: ReportsService,
  createDto: CreateReportDto,
  updateDto: UpdateReportDto,
  responseDto: ReportDto,
  filterExample: 'filter[kind][eq]=cube',
});

const FILE_TYPES = {
  'text/csv': { schema: { type: 'string', maxLength: 100_000_000 } },
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': {
    schema: { type: 'string', format: 'binary', maxLength: 100_000_000 },
  },
  'application/pdf': { schema: { type: 'string', format: 'binary', maxLength: 100_000_000 } },
};

function file(f: ExportFile): StreamableFile {
  return fileDownload(f.body, {
    mediaType: f.contentType,
    fileName: f.fileName,
    sizeBytes: f.body.length,
  });
}

function formatParam(raw: Record<string, unknown>, formats: readonly ExportFormat[]): ExportFormat {
  const q = new QueryParams(raw, ['format']);
  const format = q.oneOf('format', formats, 'csv');
  q.done();
  return format!;
}

@ApiTags('Reports')
@ApiBearerAuth()
@ApiSecurity('apiKey')
@Controller('api/v1/reports')
export class ReportActionsController {
  constructor(private readonly reports: ReportsService) {}

  @Post(':id/run')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Run a report now',
    description:
      'Runs as you, with your access; the run is kept in the history and, when its condition holds (or it has none), ' +
      'pushed to the inboxes, the e-mail recipients and `report.run.delivered` subscribers.',
    operationId: 'run_reports',
  })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiOkResponse({ type: ReportRunDto })
  @ApiProblems(400, 401, 403, 404, 422)
  run(@Ctx() ctx: RequestContext, @Param('id', UuidParamPipe) id: string) {
    return this.reports.run(ctx, id);
  }

  @Get(':id/runs')
  @ApiOperation({ summary: "A report's runs, newest first", operationId: 'list_runs_reports' })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiQuery({
    name: 'limit',
    required: false,
    schema: { type: 'integer', minimum: 1, maximum: 100 },
  })
  @ApiQuery({ name: 'cursor', required: false, schema: { type: 'string', maxLength: 200 } })
  @ApiOkResponse({ type: ReportRunPageDto })
  @ApiProblems(400, 401, 403, 404)
  runs(
    @Ctx() ctx: RequestContext,
    @Param('id', UuidParamPipe) id: string,
    @Query() raw: Record<string, unknown>,
  ) {
    const q = new QueryParams(raw, ['limit', 'cursor']);
    const limit = q.integer('limit', 1, 100, 20);
    const cursor = q.text('cursor') ?? null;
    q.done();
    return this.reports.runs(ctx, id, limit!, cursor);
  }

  @Get(':id/runs/:runId')
  @ApiOperation({ summary: 'One run with its result', operationId: 'get_run_reports' })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiParam({ name: 'runId', format: 'uuid' })
  @ApiOkResponse({ type: ReportRunDto })
  @ApiProblems(400, 401, 403, 404)
  async runOf(
    @Ctx() ctx: RequestContext,
    @Param('id', UuidParamPipe) id: string,
    @Param('runId', UuidParamPipe) runId: string,
  ) {
    const { run } = await this.reports.runOf(ctx, id, runId);
    return runView(run, true);
  }

  @Get(':id/runs/:runId/export')
  @ApiOperation({
    summary: "A run's result as CSV, XLSX or a PDF with a chart",
    operationId: 'export_run_reports',
  })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiParam({ name: 'runId', format: 'uuid' })
  @ApiQuery({ name: 'format', required: false, enum: EXPORT_FORMATS })
  @ApiProduces(...Object.keys(FILE_TYPES))
  @ApiOkResponse({
    description: 'The file',
    content: FILE_TYPES,
    headers: { 'Content-Disposition': { schema: { type: 'string', maxLength: 200 } } },
  })
  @ApiProblems(400, 401, 403, 404)
  async export(
    @Ctx() ctx: RequestContext,
    @Param('id', UuidParamPipe) id: string,
    @Param('runId', UuidParamPipe) runId: string,
    @Query() raw: Record<string, unknown>,
  ) {
    return file(await this.reports.export(ctx, id, runId, formatParam(raw, EXPORT_FORMATS)));
  }
}

@ApiTags('Analytics')
@ApiBearerAuth()
@ApiSecurity('apiKey')
@Controller('api/v1/analytics')
export class CubeExportController {
  constructor(private readonly cubes: CubeService) {}

  @Post('cube/export')
  @HttpCode(200)
  @ApiOperation({
    summary: 'An ad-hoc cube query as CSV, XLSX or a PDF with a chart',
    description: 'The body of POST /analytics/cube; the rows shape is exported.',
    operationId: 'export_cube_analytics',
  })
  @ApiQuery({ name: 'format', required: false, enum: EXPORT_FORMATS })
  @ApiProduces(...Object.keys(FILE_TYPES))
  @ApiOkResponse({
    description: 'The file',
    content: FILE_TYPES,
    headers: { 'Content-Disposition': { schema: { type: 'string', maxLength: 200 } } },
  })
  @ApiProblems(400, 401, 403, 422)
  async export(
    @Ctx() ctx: RequestContext,
    @Body() body: CubeQueryDto,
    @Query() raw: Record<string, unknown>,
  ) {
    const format = formatParam(raw, EXPORT_FORMATS);
    const result = await this.cubes.query(ctx, { ...body, shape: 'rows', pivotOn: undefined });
    return file(await exportResult(fromCube(result), format, `cube-${body.cube}`));
  }
}

@ApiTags('Reports')
@ApiBearerAuth()
@ApiSecurity('apiKey')
@Controller('api/v1/report-inbox')
export class ReportInboxController {
  constructor(private readonly inbox: ReportInboxService) {}

  @Get()
  @ApiOperation({
    summary: 'Your inbox of delivered report runs, newest first',
    operationId: 'list_report_inbox',
  })
  @ApiQuery({ name: 'unread', required: false, enum: ['true', 'false'] })
  @ApiQuery({
    name: 'limit',
    required: false,
    schema: { type: 'integer', minimum: 1, maximum: 100 },
  })
  @ApiQuery({ name: 'cursor', required: false, schema: { type: 'string', maxLength: 200 } })
  @ApiOkResponse({ type: ReportInboxPageDto })
  @ApiProblems(400, 401)
  list(@Ctx() ctx: RequestContext, @Query() raw: Record<string, unknown>) {
    const q = new QueryParams(raw, ['unread', 'limit', 'cursor']);
    const unread = q.oneOf('unread', ['true', 'false'] as const, 'false');
    const limit = q.integer('limit', 1, 100, 50);
    const cursor = q.text('cursor') ?? null;
    q.done();
    return this.inbox.list(ctx, unread === 'true', limit!, cursor);
  }

  @Post(':id/read')
  @HttpCode(200)
  @ApiOperation({ summary: 'Mark an inbox entry read', operationId: 'read_report_inbox' })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiOkResponse({ type: ReportInboxEntryDto })
  @ApiProblems(400, 401, 404)
  read(@Ctx() ctx: RequestContext, @Param('id', UuidParamPipe) id: string) {
    return this.inbox.markRead(ctx, id);
  }
}
