import {
  Body,
  Controller,
  Get,
  Headers,
  Param,
  Patch,
  Post,
  Query,
  Req,
  Res,
} from '@nestjs/common';

import {
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiHeader,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiQuery,
  ApiTags,
} from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { PreferencesDto, UpdatePreferencesDto } from '#operational/marketing/index.js';
import { Audience, AudienceUser, type AudienceCaller } from '#platform/auth/index.js';
import { Ctx, type RequestContext } from '#platform/context/index.js';
import {
  ApiListQuery,
  ApiProblems,
  UuidParamPipe,
  withEtag,
  ApiFileDownload,
  ApiFileUpload,
  uploadParts,
} from '#platform/http/index.js';
import { UploadAttachmentFormDto } from '../attachments/case-attachment.dto.js';
import { attachmentDownload } from '../attachments/case-attachments.service.js';
import { PublicArticlePageDto } from '../knowledge/dto/search.dto.js';
import {
  CreatePortalCaseDto,
  CreatePortalCommentDto,
  PortalAttachmentDto,
  PortalAttachmentListDto,
  PortalCaseDto,
  PortalCasePageDto,
  PortalCommentDto,
  PortalCommentListDto,
  PortalMeDto,
  PortalOrderDto,
  PortalOrderPageDto,
} from './dto/portal.dto.js';
import { PortalCasesService } from './portal-cases.service.js';
import { PortalSelfService } from './portal-self.service.js';
import { PORTAL_AUDIENCE, type PortalPrincipal } from './portal-sessions.js';

type Caller = AudienceCaller<PortalPrincipal>;
const ETAG = { ETag: { schema: { type: 'string' } } };

@ApiTags('Customer portal')
@ApiBearerAuth('audienceBearer')
@Audience(PORTAL_AUDIENCE)
@Controller('api/v1/portal/cases')
export class PortalCasesController {
  constructor(private readonly cases: PortalCasesService) {}

  @Get()
  @ApiOperation({
    summary: "The customer's cases (their own and their account's)",
    description: 'Filters and sorts on the fields shown; keyset cursor paging.',
    operationId: 'listPortalCases',
  })
  @ApiListQuery({ filter: 'filter[status][in]=new,open', q: { example: 'printer' } })
  @ApiOkResponse({ type: PortalCasePageDto })
  @ApiProblems(400, 401)
  list(
    @Ctx() ctx: RequestContext,
    @AudienceUser() caller: Caller,
    @Query() query: Record<string, unknown>,
  ) {
    return this.cases.list(ctx, caller.principal, query);
  }

  @Post()
  @ApiOperation({
    summary: 'Open a case',
    description:
      'Channel `portal`, the caller as contact, their account as account. Naming another contact, account or ' +
      "another customer's order answers 422 `portal_not_own`.",
    operationId: 'openPortalCase',
  })
  @ApiCreatedResponse({ type: PortalCaseDto })
  @ApiProblems(400, 401, 422)
  async open(
    @Ctx() ctx: RequestContext,
    @AudienceUser() caller: Caller,
    @Body() body: CreatePortalCaseDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<PortalCaseDto> {
    const created = await this.cases.open(ctx, caller.principal, body);
    void reply.header('location', `/api/v1/portal/cases/${created.id}`);
    return created;
  }

  @Get(':id')
  @ApiOperation({ summary: 'One of the customer’s cases', operationId: 'getPortalCase' })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiOkResponse({ type: PortalCaseDto, headers: ETAG })
  @ApiProblems(400, 401, 404)
  async get(
    @Ctx() ctx: RequestContext,
    @AudienceUser() caller: Caller,
    @Param('id', UuidParamPipe) id: string,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<PortalCaseDto> {
    return withEtag(reply, await this.cases.get(ctx, caller.principal, id));
  }

  @Get(':id/comments')
  @ApiOperation({
    summary: "A case's public comments, oldest first",
    operationId: 'listPortalCaseComments',
  })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiOkResponse({ type: PortalCommentListDto })
  @ApiProblems(400, 401, 404)
  comments(
    @Ctx() ctx: RequestContext,
    @AudienceUser() caller: Caller,
    @Param('id', UuidParamPipe) id: string,
  ) {
    return this.cases.listComments(ctx, caller.principal, id);
  }

  @Post(':id/comments')
  @ApiOperation({
    summary: 'Reply on a case',
    description:
      'A public comment by the customer. A case pending the customer opens again, a resolved one is reopened; ' +
      'a closed case answers 409 `case_closed`.',
    operationId: 'addPortalCaseComment',
  })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiCreatedResponse({ type: PortalCommentDto })
  @ApiProblems(400, 401, 404, 409)
  comment(
    @Ctx() ctx: RequestContext,
    @AudienceUser() caller: Caller,
    @Param('id', UuidParamPipe) id: string,
    @Body() body: CreatePortalCommentDto,
  ): Promise<PortalCommentDto> {
    return this.cases.comment(ctx, caller.principal, id, body.body);
  }

  @Get(':id/attachments')
  @ApiOperation({
    summary: "A case's attachments the customer may see",
    operationId: 'listPortalCaseAttachments',
  })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiOkResponse({ type: PortalAttachmentListDto })
  @ApiProblems(400, 401, 404)
  attachments(
    @Ctx() ctx: RequestContext,
    @AudienceUser() caller: Caller,
    @Param('id', UuidParamPipe) id: string,
  ) {
    return this.cases.listAttachments(ctx, caller.principal, id);
  }

  @Post(':id/attachments')
  @ApiOperation({
    summary: 'Attach a file to a case',
    description:
      'multipart/form-data with the file in a part named `file`, under the same limits as staff uploads: a ' +
      'type outside `service.attachments.allowedTypes` answers 415, a file over `service.attachments.maxBytes` 413.',
    operationId: 'uploadPortalCaseAttachment',
  })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiFileUpload(UploadAttachmentFormDto)
  @ApiCreatedResponse({ type: PortalAttachmentDto })
  @ApiProblems(400, 401, 404, 409, 413, 415)
  async upload(
    @Ctx() ctx: RequestContext,
    @AudienceUser() caller: Caller,
    @Param('id', UuidParamPipe) id: string,
    @Req() req: FastifyRequest,
  ): Promise<PortalAttachmentDto> {
    return this.cases.upload(ctx, caller.principal, id, uploadParts(req));
  }

  @Get(':id/attachments/:attachmentId/content')
  @ApiOperation({ summary: 'Download an attachment', operationId: 'downloadPortalCaseAttachment' })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiParam({ name: 'attachmentId', format: 'uuid' })
  @ApiFileDownload()
  @ApiProblems(400, 401, 404)
  async download(
    @Ctx() ctx: RequestContext,
    @AudienceUser() caller: Caller,
    @Param('id', UuidParamPipe) id: string,
    @Param('attachmentId', UuidParamPipe) attachmentId: string,
  ) {
    return attachmentDownload(await this.cases.download(ctx, caller.principal, id, attachmentId));
  }
}

@ApiTags('Customer portal')
@ApiBearerAuth('audienceBearer')
@Audience(PORTAL_AUDIENCE)
@Controller('api/v1/portal')
export class PortalController {
  constructor(private readonly self: PortalSelfService) {}

  @Get('me')
  @ApiOperation({ summary: 'The customer logged in', operationId: 'portalMe' })
  @ApiOkResponse({ type: PortalMeDto })
  @ApiProblems(401)
  me(@Ctx() ctx: RequestContext, @AudienceUser() caller: Caller): Promise<PortalMeDto> {
    return this.self.me(ctx, caller.principal);
  }

  @Get('orders')
  @ApiOperation({
    summary: "The account's orders: status and dates (order tracking)",
    operationId: 'listPortalOrders',
  })
  @ApiListQuery({
    filter: 'filter[status][eq]=shipped',
    sort: '-orderedAt',
    q: { example: 'SO-000042' },
  })
  @ApiOkResponse({ type: PortalOrderPageDto })
  @ApiProblems(400, 401)
  orders(
    @Ctx() ctx: RequestContext,
    @AudienceUser() caller: Caller,
    @Query() query: Record<string, unknown>,
  ) {
    return this.self.listOrders(ctx, caller.principal, query);
  }

  @Get('orders/:id')
  @ApiOperation({
    summary: 'One order with its lines and tracking events',
    operationId: 'getPortalOrder',
  })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiOkResponse({ type: PortalOrderDto })
  @ApiProblems(400, 401, 404)
  order(
    @Ctx() ctx: RequestContext,
    @AudienceUser() caller: Caller,
    @Param('id', UuidParamPipe) id: string,
  ): Promise<PortalOrderDto> {
    return this.self.order(ctx, caller.principal, id);
  }

  @Get('knowledge/articles')
  @ApiOperation({
    summary: 'Published public knowledge articles, searched with q',
    operationId: 'listPortalArticles',
  })
  @ApiQuery({ name: 'q', required: false, schema: { type: 'string', maxLength: 200 } })
  @ApiQuery({ name: 'lang', required: false, enum: ['en', 'id'] })
  @ApiQuery({ name: 'limit', required: false, schema: { type: 'integer', maximum: 100 } })
  @ApiQuery({ name: 'cursor', required: false, schema: { type: 'string', maxLength: 200 } })
  @ApiOkResponse({ type: PublicArticlePageDto })
  @ApiProblems(400, 401)
  articles(
    @Ctx() ctx: RequestContext,
    @AudienceUser() _caller: Caller,
    @Query() query: Record<string, unknown>,
  ) {
    return this.self.articles(ctx, query);
  }

  @Get('preferences')
  @ApiOperation({
    summary: "The customer's contact preferences",
    operationId: 'getPortalPreferences',
  })
  @ApiOkResponse({ type: PreferencesDto, headers: ETAG })
  @ApiProblems(401)
  async preferences(
    @Ctx() ctx: RequestContext,
    @AudienceUser() caller: Caller,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return withEtag(reply, await this.self.preferencesOf(ctx, caller.principal));
  }

  @Patch('preferences')
  @ApiOperation({
    summary: 'Change the contact preferences (partial)',
    description: 'As the preference centre does; recorded as the contact’s own change.',
    operationId: 'updatePortalPreferences',
  })
  @ApiHeader({ name: 'If-Match', required: false, description: 'ETag from a read; stale: 412' })
  @ApiOkResponse({ type: PreferencesDto, headers: ETAG })
  @ApiProblems(400, 401, 412)
  async updatePreferences(
    @Ctx() ctx: RequestContext,
    @AudienceUser() caller: Caller,
    @Body() body: UpdatePreferencesDto,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return withEtag(reply, await this.self.updatePreferences(ctx, caller.principal, body, ifMatch));
  }
}
