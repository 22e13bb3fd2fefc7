import {
  Body,
  Controller,
  Delete,
  Get,
  Headers,
  HttpCode,
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
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiSecurity,
  ApiTags,
} from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Ctx, type RequestContext } from '#platform/context/index.js';
import {
  ApiListQuery,
  ApiProblems,
  etagOf,
  UuidParamPipe,
  withEtag,
  ApiFileDownload,
  ApiFileUpload,
  uploadParts,
} from '#platform/http/index.js';
import {
  EditMessageDto,
  MessageDto,
  MessageEditListDto,
  MessagePageDto,
  PostMessageDto,
  ThreadAttachmentDto,
  UploadThreadAttachmentFormDto,
} from './dto/message.dto.js';
import { MessagesService } from './messages.service.js';
import { threadFileDownload, ThreadAttachmentsService } from './thread-attachments.service.js';

/** Read by the server's content-type guard: this route takes multipart bodies. */

@ApiTags('Threads')
@ApiBearerAuth()
@ApiSecurity('apiKey')
@Controller('api/v1/threads/:id')
export class MessagesController {
  constructor(
    private readonly messages: MessagesService,
    private readonly attachments: ThreadAttachmentsService,
  ) {}

  @Post('messages')
  @ApiOperation({
    summary: 'Post a message',
    description:
      'Markdown (default) or HTML, stored sanitized: scripts, event handlers and `javascript:` links are ' +
      'removed. `internal` notes are for staff only. `mentions` name users, who join the thread and are ' +
      'notified; `parentId` answers a message; `attachmentIds` sends files uploaded before. A staff member ' +
      'who sees the thread through its record joins it by posting. Emits `thread.message_posted`.',
    operationId: 'create_message_threads',
  })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiCreatedResponse({ type: MessageDto })
  @ApiProblems(400, 401, 403, 404, 409)
  async post(
    @Ctx() ctx: RequestContext,
    @Param('id', UuidParamPipe) id: string,
    @Body() body: PostMessageDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<MessageDto> {
    const message = await this.messages.post(ctx, id, body);
    void reply
      .header('location', `/api/v1/threads/${id}/messages/${message.id}`)
      .header('etag', etagOf(message.version));
    return message;
  }

  @Get('messages')
  @ApiOperation({
    summary: "A thread's messages, oldest first",
    description: 'Deleted messages stay as tombstones (`body` null, `deletedAt` set).',
    operationId: 'list_messages_threads',
  })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiListQuery({ filter: 'filter[internal][eq]=false', sort: 'seq', count: false })
  @ApiOkResponse({ type: MessagePageDto })
  @ApiProblems(400, 401, 403, 404)
  list(
    @Ctx() ctx: RequestContext,
    @Param('id', UuidParamPipe) id: string,
    @Query() query: Record<string, unknown>,
  ) {
    return this.messages.list(ctx, id, query);
  }

  @Get('participants/:participantId/view')
  @ApiOperation({
    summary: 'The messages as one participant sees them',
    description:
      'What a contact or partner participant is shown: internal notes left out. Staff preview a customer view with it.',
    operationId: 'view_participant_threads',
  })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiParam({ name: 'participantId', format: 'uuid' })
  @ApiListQuery({
    filter: 'filter[createdAt][gte]=2026-01-01T00:00:00Z',
    sort: 'seq',
    count: false,
  })
  @ApiOkResponse({ type: MessagePageDto })
  @ApiProblems(400, 401, 403, 404)
  view(
    @Ctx() ctx: RequestContext,
    @Param('id', UuidParamPipe) id: string,
    @Param('participantId', UuidParamPipe) participantId: string,
    @Query() query: Record<string, unknown>,
  ) {
    return this.messages.listAs(ctx, id, participantId, query);
  }

  @Get('messages/:messageId')
  @ApiOperation({ summary: 'One message', operationId: 'get_message_threads' })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiParam({ name: 'messageId', format: 'uuid' })
  @ApiOkResponse({ type: MessageDto, headers: { ETag: { schema: { type: 'string' } } } })
  @ApiProblems(400, 401, 403, 404)
  async get(
    @Ctx() ctx: RequestContext,
    @Param('id', UuidParamPipe) id: string,
    @Param('messageId', UuidParamPipe) messageId: string,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<MessageDto> {
    return withEtag(reply, await this.messages.get(ctx, id, messageId));
  }

  @Patch('messages/:messageId')
  @ApiOperation({
    summary: 'Edit a message',
    description:
      'By its author, within `messaging.editWindowMinutes` of posting (409 `message_edit_window_closed` ' +
      'after); the body before is kept in its edit history.',
    operationId: 'update_message_threads',
  })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiParam({ name: 'messageId', format: 'uuid' })
  @ApiHeader({
    name: 'If-Match',
    required: false,
    description: 'ETag from a read; a stale one answers 412',
  })
  @ApiOkResponse({ type: MessageDto })
  @ApiProblems(400, 401, 403, 404, 409, 412)
  async edit(
    @Ctx() ctx: RequestContext,
    @Param('id', UuidParamPipe) id: string,
    @Param('messageId', UuidParamPipe) messageId: string,
    @Body() body: EditMessageDto,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<MessageDto> {
    return withEtag(reply, await this.messages.edit(ctx, id, messageId, body, ifMatch));
  }

  @Delete('messages/:messageId')
  @HttpCode(204)
  @ApiOperation({
    summary: 'Delete a message',
    description:
      'By its author or an admin. The message stays as a tombstone; its body is kept in the edit history ' +
      'for audit and leaves the record timeline.',
    operationId: 'delete_message_threads',
  })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiParam({ name: 'messageId', format: 'uuid' })
  @ApiHeader({ name: 'If-Match', required: false })
  @ApiNoContentResponse()
  @ApiProblems(400, 401, 403, 404, 409, 412)
  remove(
    @Ctx() ctx: RequestContext,
    @Param('id', UuidParamPipe) id: string,
    @Param('messageId', UuidParamPipe) messageId: string,
    @Headers('if-match') ifMatch: string | undefined,
  ) {
    return this.messages.remove(ctx, id, messageId, ifMatch);
  }

  @Get('messages/:messageId/edits')
  @ApiOperation({
    summary: "A message's edit history",
    description: 'The body before each edit and before deletion; for the author and admins.',
    operationId: 'list_edits_threads',
  })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiParam({ name: 'messageId', format: 'uuid' })
  @ApiOkResponse({ type: MessageEditListDto })
  @ApiProblems(400, 401, 403, 404)
  edits(
    @Ctx() ctx: RequestContext,
    @Param('id', UuidParamPipe) id: string,
    @Param('messageId', UuidParamPipe) messageId: string,
  ) {
    return this.messages.edits(ctx, id, messageId);
  }

  @Post('attachments')
  @ApiOperation({
    summary: 'Upload a file to send with a message',
    description:
      'multipart/form-data with the file in a part named `file`; then name its id in `attachmentIds` of a ' +
      'message. Its type is sniffed from the content: a type outside `messaging.attachments.allowedTypes` ' +
      'answers 415 `thread_attachment_type_forbidden`, a file over `messaging.attachments.maxBytes` 413 ' +
      '`thread_attachment_too_large`.',
    operationId: 'create_attachment_threads',
  })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiFileUpload(UploadThreadAttachmentFormDto)
  @ApiCreatedResponse({ type: ThreadAttachmentDto })
  @ApiProblems(400, 401, 403, 404, 413, 415)
  async upload(
    @Ctx() ctx: RequestContext,
    @Param('id', UuidParamPipe) id: string,
    @Req() req: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<ThreadAttachmentDto> {
    const saved = await this.attachments.upload(ctx, id, uploadParts(req));
    void reply.header('location', `/api/v1/threads/${id}/attachments/${saved.id}/content`);
    return saved;
  }

  @Get('attachments/:attachmentId/content')
  @ApiOperation({
    summary: 'Download a thread attachment',
    operationId: 'download_attachment_threads',
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
    return threadFileDownload(await this.attachments.content(ctx, id, attachmentId));
  }
}
