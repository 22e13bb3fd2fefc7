import { Body, Controller, Get, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiQuery,
  ApiSecurity,
  ApiTags,
} from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Ctx, type RequestContext } from '#platform/context/index.js';
import {
  ApiProblems,
  QueryParams,
  UuidParamPipe,
  contentDisposition,
} from '#platform/http/index.js';
import {
  EraseContactDto,
  PersonalDataExportDto,
  PrivacyRequestDto,
  PrivacyRequestPageDto,
} from './dto/privacy.dto.js';
import { PrivacyService } from './privacy.service.js';

const MAX_CURSOR = 2000;

@ApiTags('Privacy')
@ApiBearerAuth()
@ApiSecurity('apiKey')
@Controller('api/v1')
export class PrivacyController {
  constructor(private readonly privacy: PrivacyService) {}

  @Get('contacts/:id/personal-data')
  @ApiOperation({
    summary: 'Export everything held on a contact (data-subject access request)',
    description:
      'The contact as stored (deleted or not), its change history, its timeline, every record of any module that ' +
      "points at it, the modules' own data on it (consent, messages…) and the earlier requests about it, as one " +
      'JSON document served as a download. Administrators only; the export is audited.',
    operationId: 'export_personal_data_contacts',
  })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiOkResponse({ type: PersonalDataExportDto })
  @ApiProblems(400, 401, 403, 404)
  async exportContact(
    @Ctx() ctx: RequestContext,
    @Param('id', UuidParamPipe) id: string,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const document = await this.privacy.exportContact(ctx, id);
    void reply.header('content-disposition', contentDisposition(`contact-${id}.json`));
    void reply.header('cache-control', 'no-store');
    return document;
  }

  @Post('contacts/:id/erasure')
  @HttpCode(200)
  @ApiOperation({
    summary: "Erase a contact's personal data (right to erasure)",
    description:
      'Blanks the personal fields of the contact (names, e-mails, phones, title, department, time zone, description, ' +
      'custom fields) and removes the values from its change history and stored events; each module erases its own ' +
      'data on the contact. The contact record, its account and the records pointing at it stay, so revenue and ' +
      'counts still add up. Cannot be undone; a second erasure answers 409. Audited, and announced by ' +
      '`contact.erased` (no personal data) so systems fed by webhooks can erase their copies. Administrators only.',
    operationId: 'erase_contacts',
  })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiOkResponse({ type: PrivacyRequestDto })
  @ApiProblems(400, 401, 403, 404, 409)
  eraseContact(
    @Ctx() ctx: RequestContext,
    @Param('id', UuidParamPipe) id: string,
    @Body() body: EraseContactDto,
  ) {
    return this.privacy.eraseContact(ctx, id, body.reason);
  }

  @Get('privacy/requests')
  @ApiOperation({
    summary: 'List data-subject requests (exports and erasures)',
    description:
      'The audit of every export and erasure, newest first, by administrators or by retention rules; ' +
      '`subjectId` narrows it to one person. Administrators only.',
    operationId: 'list_privacy_requests',
  })
  @ApiQuery({
    name: 'limit',
    required: false,
    schema: { type: 'integer', minimum: 1, maximum: 500 },
  })
  @ApiQuery({ name: 'cursor', required: false, schema: { type: 'string', maxLength: MAX_CURSOR } })
  @ApiQuery({ name: 'subjectId', required: false, schema: { type: 'string', format: 'uuid' } })
  @ApiOkResponse({ type: PrivacyRequestPageDto })
  @ApiProblems(400, 401, 403)
  async list(@Ctx() ctx: RequestContext, @Query() query: Record<string, unknown>) {
    const params = new QueryParams(query, ['limit', 'cursor', 'subjectId']);
    const limit = params.integer('limit', 1, 500, 50) ?? 50;
    const subjectId = params.uuid('subjectId') ?? null;
    const cursor = query.cursor;
    if (cursor !== undefined && (typeof cursor !== 'string' || cursor.length > MAX_CURSOR))
      params.fail('cursor', 'invalid', 'is not a cursor of this list');
    params.done();
    const page = await this.privacy.list(
      ctx,
      limit,
      (cursor as string | undefined) ?? null,
      subjectId,
    );
    return { data: page.data, meta: { nextCursor: page.nextCursor, limit } };
  }
}
