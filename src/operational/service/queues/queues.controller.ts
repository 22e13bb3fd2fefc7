import { Body, Controller, Delete, Get, HttpCode, Param, Post, Put, Res } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiSecurity,
  ApiTags,
} from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Ctx, type RequestContext } from '#platform/context/index.js';
import { ApiProblems, AppError, UuidParamPipe } from '#platform/http/index.js';
import { recordController } from '#platform/records/index.js';
import { CaseDto } from '../cases/dto/case.dto.js';
import {
  CreateQueueDto,
  PutQueueMemberDto,
  QueueDto,
  QueueMemberDto,
  QueueMemberListDto,
  UpdateQueueDto,
} from './dto/queue.dto.js';
import { QueuesService } from './queues.service.js';

export const QueuesController = recordController({
  path: 'queues',
  tag: 'Queues',
  label: 'queue',
  service: QueuesService,
  createDto: CreateQueueDto,
  updateDto: UpdateQueueDto,
  responseDto: QueueDto,
  filterExample: 'filter[strategy][eq]=skills',
});

@ApiTags('Queues')
@ApiBearerAuth()
@ApiSecurity('apiKey')
@Controller('api/v1/queues')
export class QueueWorkController {
  constructor(private readonly queues: QueuesService) {}

  @Post(':id/next')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Take the next case of a queue',
    description:
      "Assigns the queue's most urgent unassigned open case (priority, then resolution due time, then age) to " +
      'the caller and returns it; 204 when none waits. Concurrent callers never get the same case. Only ' +
      'members of the queue take cases (403 `queue_not_member`). Emits `case.assigned`.',
    operationId: 'next_queues',
  })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiOkResponse({ type: CaseDto })
  @ApiNoContentResponse({ description: 'No unassigned case waits in the queue' })
  @ApiProblems(400, 401, 403, 404)
  async next(
    @Ctx() ctx: RequestContext,
    @Param('id', UuidParamPipe) id: string,
    @Body() body: unknown,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const given = body && typeof body === 'object' ? Object.keys(body) : [];
    if (given.length) throw AppError.field(given[0], 'whitelist', 'is not a field of this request');
    const taken = await this.queues.next(ctx, id);
    if (!taken) void reply.status(204);
    return taken ?? undefined;
  }

  @Get(':id/members')
  @ApiOperation({ summary: "A queue's members", operationId: 'list_members_queues' })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiOkResponse({ type: QueueMemberListDto })
  @ApiProblems(400, 401, 403, 404)
  members(@Ctx() ctx: RequestContext, @Param('id', UuidParamPipe) id: string) {
    return this.queues.members(ctx, id);
  }

  @Put(':id/members/:userId')
  @ApiOperation({
    summary: 'Add a member to a queue or change one',
    description:
      'Skills (case categories and languages; empty lists take any) and availability. Needs update on the ' +
      'queue, except that a member may switch their own `available`. Answers 201 for a new member.',
    operationId: 'put_member_queues',
  })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiParam({ name: 'userId', format: 'uuid' })
  @ApiOkResponse({ type: QueueMemberDto, description: 'The member, changed' })
  @ApiCreatedResponse({ type: QueueMemberDto, description: 'The member, added' })
  @ApiProblems(400, 401, 403, 404)
  async putMember(
    @Ctx() ctx: RequestContext,
    @Param('id', UuidParamPipe) id: string,
    @Param('userId', UuidParamPipe) userId: string,
    @Body() body: PutQueueMemberDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<QueueMemberDto> {
    const { member, created } = await this.queues.putMember(ctx, id, userId, body);
    if (created) void reply.status(201);
    return member;
  }

  @Delete(':id/members/:userId')
  @HttpCode(204)
  @ApiOperation({ summary: 'Remove a member from a queue', operationId: 'delete_member_queues' })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiParam({ name: 'userId', format: 'uuid' })
  @ApiNoContentResponse({ description: 'Removed' })
  @ApiProblems(400, 401, 403, 404)
  async removeMember(
    @Ctx() ctx: RequestContext,
    @Param('id', UuidParamPipe) id: string,
    @Param('userId', UuidParamPipe) userId: string,
  ): Promise<void> {
    await this.queues.removeMember(ctx, id, userId);
  }
}
