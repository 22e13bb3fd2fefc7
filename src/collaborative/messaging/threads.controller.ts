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
  ApiQuery,
  ApiSecurity,
  ApiTags,
} from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Ctx, type RequestContext } from '#platform/context/index.js';
import {
  ApiListQuery,
  ApiProblems,
  etagOf,
  UuidParamPipe,
  withEtag,
} from '#platform/http/index.js';
import {
  AddParticipantsDto,
  CreateThreadDto,
  MarkReadDto,
  ReadStateDto,
  ThreadDto,
  ThreadPageDto,
  UnreadCountsDto,
  UpdateThreadDto,
} from './dto/thread.dto.js';
import { MessagesService } from './messages.service.js';
import { ThreadsService } from './threads.service.js';

@ApiTags('Threads')
@ApiBearerAuth()
@ApiSecurity('apiKey')
@Controller('api/v1/threads')
export class ThreadsController {
  constructor(
    private readonly threads: ThreadsService,
    private readonly messages: MessagesService,
  ) {}

  @Post()
  @ApiOperation({
    summary: 'Open a thread',
    description:
      'A subject, optionally tied to a record (`accounts`, `contacts`, `opportunities`, `cases`, `orders`, ' +
      '`quotes`) the caller may read (404 otherwise), and participants: users by id, contacts by id or ' +
      'e-mail, partner users by id. A partner user must have live access, and joins a thread tied to a ' +
      'record only when the record is shared with their organization (an opportunity shared with it; an ' +
      'account with such an opportunity; a case of such an account): 422 otherwise. The caller always ' +
      'takes part. Emits `thread.created`.',
    operationId: 'create_threads',
  })
  @ApiCreatedResponse({ type: ThreadDto })
  @ApiProblems(400, 401, 403, 404, 422)
  async create(
    @Ctx() ctx: RequestContext,
    @Body() body: CreateThreadDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<ThreadDto> {
    const thread = await this.threads.create(ctx, body);
    void reply
      .header('location', `/api/v1/threads/${thread.id}`)
      .header('etag', etagOf(thread.version));
    return thread;
  }

  @Get()
  @ApiOperation({
    summary: 'Threads the caller sees',
    description:
      'Threads the caller takes part in or whose record they may read, newest first; `unread=true` keeps ' +
      'those with messages the caller has not read. Filter by `record.type`, `record.id`, `ownerId`, ' +
      '`createdAt`, `lastMessageAt`; search subjects with `q`.',
    operationId: 'list_threads',
  })
  @ApiListQuery({ filter: 'filter[record.type][eq]=cases', sort: '-lastMessageAt', count: false })
  @ApiQuery({ name: 'unread', required: false, enum: ['true', 'false'] })
  @ApiOkResponse({ type: ThreadPageDto })
  @ApiProblems(400, 401, 403)
  list(@Ctx() ctx: RequestContext, @Query() query: Record<string, unknown>) {
    return this.threads.list(ctx, query);
  }

  @Get('unread-count')
  @ApiOperation({
    summary: "The caller's unread threads and messages",
    operationId: 'unread_count_threads',
  })
  @ApiOkResponse({ type: UnreadCountsDto })
  @ApiProblems(401, 403)
  unread(@Ctx() ctx: RequestContext) {
    return this.threads.unreadTotals(ctx);
  }

  @Get(':id')
  @ApiOperation({
    summary: 'One thread, with participants and read receipts',
    operationId: 'get_threads',
  })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiOkResponse({ type: ThreadDto, headers: { ETag: { schema: { type: 'string' } } } })
  @ApiProblems(400, 401, 403, 404)
  async get(
    @Ctx() ctx: RequestContext,
    @Param('id', UuidParamPipe) id: string,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<ThreadDto> {
    return withEtag(reply, await this.threads.get(ctx, id));
  }

  @Patch(':id')
  @ApiOperation({
    summary: "Change a thread's subject",
    description: 'By the thread owner or an admin.',
    operationId: 'update_threads',
  })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiHeader({
    name: 'If-Match',
    required: false,
    description: 'ETag from a read; a stale one answers 412',
  })
  @ApiOkResponse({ type: ThreadDto })
  @ApiProblems(400, 401, 403, 404, 412)
  async update(
    @Ctx() ctx: RequestContext,
    @Param('id', UuidParamPipe) id: string,
    @Body() body: UpdateThreadDto,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<ThreadDto> {
    return withEtag(reply, await this.threads.update(ctx, id, body, ifMatch));
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiOperation({ summary: 'Delete a thread (soft)', operationId: 'delete_threads' })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiHeader({ name: 'If-Match', required: false })
  @ApiNoContentResponse()
  @ApiProblems(400, 401, 403, 404, 412)
  remove(
    @Ctx() ctx: RequestContext,
    @Param('id', UuidParamPipe) id: string,
    @Headers('if-match') ifMatch: string | undefined,
  ) {
    return this.threads.remove(ctx, id, ifMatch);
  }

  @Post(':id/participants')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Add participants to a thread',
    description:
      'Users by id, contacts by id or e-mail, partner users by id (under the rules of opening a thread: ' +
      '422 for one without live access or outside the record it is tied to); those already taking part ' +
      'stay as they are.',
    operationId: 'add_participants_threads',
  })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiOkResponse({ type: ThreadDto })
  @ApiProblems(400, 401, 403, 404, 422)
  addParticipants(
    @Ctx() ctx: RequestContext,
    @Param('id', UuidParamPipe) id: string,
    @Body() body: AddParticipantsDto,
  ) {
    return this.threads.addParticipants(ctx, id, body);
  }

  @Delete(':id/participants/:participantId')
  @HttpCode(204)
  @ApiOperation({
    summary: 'Remove a participant from a thread',
    description: 'By the thread owner or an admin.',
    operationId: 'remove_participant_threads',
  })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiParam({ name: 'participantId', format: 'uuid' })
  @ApiNoContentResponse()
  @ApiProblems(400, 401, 403, 404)
  removeParticipant(
    @Ctx() ctx: RequestContext,
    @Param('id', UuidParamPipe) id: string,
    @Param('participantId', UuidParamPipe) participantId: string,
  ) {
    return this.threads.removeParticipant(ctx, id, participantId);
  }

  @Post(':id/read')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Mark a thread read',
    description:
      "Moves the caller's read receipt up to a message (never back); without one, to the latest.",
    operationId: 'read_threads',
  })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiOkResponse({ type: ReadStateDto })
  @ApiProblems(400, 401, 403, 404)
  read(
    @Ctx() ctx: RequestContext,
    @Param('id', UuidParamPipe) id: string,
    @Body() body: MarkReadDto,
  ) {
    return this.messages.markRead(ctx, id, body?.messageId);
  }
}
