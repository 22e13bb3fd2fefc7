import {
  Body,
  Controller,
  Get,
  HttpCode,
  Param,
  Post,
  Query,
  Req,
  Res,
  type Type,
} from '@nestjs/common';

import {
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiTags,
} from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Audience, AudienceUser, type AudienceCaller } from '#platform/auth/index.js';
import { Ctx, type RequestContext } from '#platform/context/index.js';
import {
  ApiListQuery,
  ApiProblems,
  UuidParamPipe,
  ApiFileDownload,
  ApiFileUpload,
  uploadParts,
} from '#platform/http/index.js';
import { MessageContentDto, UploadThreadAttachmentFormDto } from './dto/message.dto.js';
import {
  ParticipantAttachmentDto,
  ParticipantMessageDto,
  ParticipantMessagePageDto,
  ParticipantThreadDto,
  ParticipantThreadPageDto,
} from './dto/participant-view.dto.js';
import { MarkReadDto, ReadStateDto } from './dto/thread.dto.js';
import {
  ParticipantThreadsService,
  type OutsideParticipant,
} from './participant-threads.service.js';
import { threadFileDownload } from './thread-attachments.service.js';

/** How one outside audience is served its threads. */
export interface ParticipantThreadsApi<P> {
  audience: string;
  /** The route, e.g. `api/v1/portal/threads`. */
  path: string;
  tag: string;
  /** The class name, for logs and errors. */
  name: string;
  /** Who the caller is in threads. */
  who(caller: AudienceCaller<P>): OutsideParticipant;
  /** How the descriptions name the caller: `customer`, `partner user`. */
  party: string;
  /** Who takes part, for the list's description: `their contact`. */
  member: string;
  /** The `source` their messages carry. */
  source: string;
  operationIds: {
    list: string;
    get: string;
    messages: string;
    post: string;
    read: string;
    upload: string;
    download: string;
  };
}

/**
 * The controller of an outside audience's side of threads (the threads the caller takes part
 * in) over ParticipantThreadsService: every audience gets the same routes and rules, with its
 * own path, tag, token and operation ids.
 */
export function participantThreadsController<P>(o: ParticipantThreadsApi<P>): Type<unknown> {
  type Caller = AudienceCaller<P>;
  const ids = o.operationIds;
  @ApiTags(o.tag)
  @ApiBearerAuth('audienceBearer')
  @Audience(o.audience)
  @Controller(o.path)
  class ParticipantThreadsController {
    constructor(readonly threads: ParticipantThreadsService) {}

    @Get()
    @ApiOperation({
      summary: `The ${o.party}'s conversations`,
      description:
        `The threads ${o.member} takes part in, with unread counts` +
        ' (internal notes never count). Filters ' +
        'and sorts on `subject`, `createdAt`, `lastMessageAt`; latest activity first.',
      operationId: ids.list,
    })
    @ApiListQuery({
      filter: 'filter[subject][contains]=invoice',
      sort: '-lastMessageAt',
      count: false,
    })
    @ApiOkResponse({ type: ParticipantThreadPageDto })
    @ApiProblems(400, 401)
    list(
      @Ctx() ctx: RequestContext,
      @AudienceUser() caller: Caller,
      @Query() query: Record<string, unknown>,
    ) {
      return this.threads.list(ctx, o.who(caller), query);
    }

    @Get(':id')
    @ApiOperation({
      summary: 'One conversation',
      description: `Participants by kind and name only. A thread the ${o.party} is not in answers 404.`,
      operationId: ids.get,
    })
    @ApiParam({ name: 'id', format: 'uuid' })
    @ApiOkResponse({ type: ParticipantThreadDto })
    @ApiProblems(400, 401, 404)
    get(
      @Ctx() ctx: RequestContext,
      @AudienceUser() caller: Caller,
      @Param('id', UuidParamPipe) id: string,
    ) {
      return this.threads.get(ctx, o.who(caller), id);
    }

    @Get(':id/messages')
    @ApiOperation({
      summary: "A conversation's messages, oldest first",
      description:
        'Internal notes are never shown; deleted messages stay as tombstones (`body` null).',
      operationId: ids.messages,
    })
    @ApiParam({ name: 'id', format: 'uuid' })
    @ApiListQuery({
      filter: 'filter[createdAt][gte]=2026-01-01T00:00:00Z',
      sort: 'seq',
      count: false,
    })
    @ApiOkResponse({ type: ParticipantMessagePageDto })
    @ApiProblems(400, 401, 404)
    messages(
      @Ctx() ctx: RequestContext,
      @AudienceUser() caller: Caller,
      @Param('id', UuidParamPipe) id: string,
      @Query() query: Record<string, unknown>,
    ) {
      return this.threads.listMessages(ctx, o.who(caller), id, query);
    }

    @Post(':id/messages')
    @ApiOperation({
      summary: 'Write in a conversation',
      description:
        'Markdown (default) or HTML, stored sanitized (scripts, event handlers and `javascript:` links removed). ' +
        `\`attachmentIds\` sends files the ${o.party} uploaded to the thread before. The others in the thread see ` +
        `it live on their stream. Emits \`thread.message_posted\` with \`source: ${o.source}\`.`,
      operationId: ids.post,
    })
    @ApiParam({ name: 'id', format: 'uuid' })
    @ApiCreatedResponse({ type: ParticipantMessageDto })
    @ApiProblems(400, 401, 404, 409)
    async post(
      @Ctx() ctx: RequestContext,
      @AudienceUser() caller: Caller,
      @Param('id', UuidParamPipe) id: string,
      @Body() body: MessageContentDto,
      @Res({ passthrough: true }) reply: FastifyReply,
    ): Promise<ParticipantMessageDto> {
      const message = await this.threads.post(ctx, o.who(caller), id, body);
      void reply.header('location', `/${o.path}/${id}/messages`);
      return message;
    }

    @Post(':id/read')
    @HttpCode(200)
    @ApiOperation({
      summary: 'Mark a conversation read',
      description: `Moves the ${o.party}'s read receipt up to a message (never back); without one, to the latest.`,
      operationId: ids.read,
    })
    @ApiParam({ name: 'id', format: 'uuid' })
    @ApiOkResponse({ type: ReadStateDto })
    @ApiProblems(400, 401, 404)
    read(
      @Ctx() ctx: RequestContext,
      @AudienceUser() caller: Caller,
      @Param('id', UuidParamPipe) id: string,
      @Body() body: MarkReadDto,
    ) {
      return this.threads.markRead(ctx, o.who(caller), id, body?.messageId);
    }

    @Post(':id/attachments')
    @ApiOperation({
      summary: 'Upload a file to send with a message',
      description:
        'multipart/form-data with the file in a part named `file`; then name its id in `attachmentIds`. A type ' +
        'outside `messaging.attachments.allowedTypes` (sniffed from the content) answers 415, a file over ' +
        '`messaging.attachments.maxBytes` 413.',
      operationId: ids.upload,
    })
    @ApiParam({ name: 'id', format: 'uuid' })
    @ApiFileUpload(UploadThreadAttachmentFormDto)
    @ApiCreatedResponse({ type: ParticipantAttachmentDto })
    @ApiProblems(400, 401, 404, 413, 415)
    async upload(
      @Ctx() ctx: RequestContext,
      @AudienceUser() caller: Caller,
      @Param('id', UuidParamPipe) id: string,
      @Req() req: FastifyRequest,
    ): Promise<ParticipantAttachmentDto> {
      return this.threads.upload(ctx, o.who(caller), id, uploadParts(req));
    }

    @Get(':id/attachments/:attachmentId/content')
    @ApiOperation({
      summary: 'Download a file of a conversation',
      description: `A file of a message the ${o.party} sees, or one they uploaded and have not sent yet.`,
      operationId: ids.download,
    })
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
      return threadFileDownload(await this.threads.content(ctx, o.who(caller), id, attachmentId));
    }
  }
  Object.defineProperty(ParticipantThreadsController, 'name', { value: o.name });
  return ParticipantThreadsController;
}
