import { Controller, Get, Param, Post, Req, Res } from '@nestjs/common';

import {
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiSecurity,
  ApiTags,
} from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Ctx, type RequestContext } from '#platform/context/index.js';
import {
  ApiProblems,
  UuidParamPipe,
  ApiFileDownload,
  ApiFileUpload,
  uploadParts,
} from '#platform/http/index.js';
import {
  CaseAttachmentDto,
  CaseAttachmentListDto,
  UploadAttachmentFormDto,
} from './case-attachment.dto.js';
import { attachmentDownload, CaseAttachmentsService } from './case-attachments.service.js';

/** Read by the server's content-type guard: this route takes multipart bodies. */

@ApiTags('Cases')
@ApiBearerAuth()
@ApiSecurity('apiKey')
@Controller('api/v1/cases')
export class CaseAttachmentsController {
  constructor(private readonly attachments: CaseAttachmentsService) {}

  @Post(':id/attachments')
  @ApiOperation({
    summary: 'Attach a file to a case',
    description:
      'multipart/form-data with the file in a part named `file`. Its type is sniffed from the content, not ' +
      'the name: a type outside `service.attachments.allowedTypes` answers 415 ' +
      '`case_attachment_type_forbidden`, a file over `service.attachments.maxBytes` 413 ' +
      '`case_attachment_too_large`. Needs update on the case.',
    operationId: 'create_attachment_cases',
  })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiFileUpload(UploadAttachmentFormDto)
  @ApiCreatedResponse({ type: CaseAttachmentDto })
  @ApiProblems(400, 401, 403, 404, 413, 415)
  async upload(
    @Ctx() ctx: RequestContext,
    @Param('id', UuidParamPipe) id: string,
    @Req() req: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<CaseAttachmentDto> {
    const saved = await this.attachments.upload(ctx, id, uploadParts(req));
    void reply.header('location', `/api/v1/cases/${id}/attachments/${saved.id}`);
    return saved;
  }

  @Get(':id/attachments')
  @ApiOperation({
    summary: "A case's attachments, oldest first",
    operationId: 'list_attachments_cases',
  })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiOkResponse({ type: CaseAttachmentListDto })
  @ApiProblems(400, 401, 403, 404)
  list(@Ctx() ctx: RequestContext, @Param('id', UuidParamPipe) id: string) {
    return this.attachments.list(ctx, id);
  }

  @Get(':id/attachments/:attachmentId')
  @ApiOperation({ summary: 'One attachment of a case', operationId: 'get_attachment_cases' })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiParam({ name: 'attachmentId', format: 'uuid' })
  @ApiOkResponse({ type: CaseAttachmentDto })
  @ApiProblems(400, 401, 403, 404)
  one(
    @Ctx() ctx: RequestContext,
    @Param('id', UuidParamPipe) id: string,
    @Param('attachmentId', UuidParamPipe) attachmentId: string,
  ) {
    return this.attachments.one(ctx, id, attachmentId);
  }

  @Get(':id/attachments/:attachmentId/content')
  @ApiOperation({
    summary: 'Download an attachment',
    description: 'Streams the file with its sniffed type, as an attachment under its file name.',
    operationId: 'download_attachment_cases',
  })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiParam({ name: 'attachmentId', format: 'uuid' })
  @ApiFileDownload()
  @ApiProblems(400, 401, 403, 404)
  async download(
    @Ctx() ctx: RequestContext,
    @Param('id', UuidParamPipe) id: string,
    @Param('attachmentId', UuidParamPipe) attachmentId: string,
  ) {
    return attachmentDownload(await this.attachments.content(ctx, id, attachmentId));
  }
}
