import { Body, Controller, Get, Param, Post, Res } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiSecurity,
  ApiTags,
} from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Ctx, type RequestContext } from '#platform/context/index.js';
import { ApiProblems, UuidParamPipe } from '#platform/http/index.js';
import { CaseCommentDto, CaseCommentListDto, CreateCaseCommentDto } from './case-comment.dto.js';
import { CaseCommentsService } from './case-comments.service.js';

@ApiTags('Cases')
@ApiBearerAuth()
@ApiSecurity('apiKey')
@Controller('api/v1/cases')
export class CaseCommentsController {
  constructor(private readonly comments: CaseCommentsService) {}

  @Post(':id/comments')
  @ApiOperation({
    summary: 'Comment on a case',
    description:
      'An internal note (default) or a public answer to the customer; the first public comment by staff is ' +
      "the case's first response on its SLA clock. A closed case answers 409 `case_closed`. Needs update on " +
      'the case. Emits `case.comment_added`.',
    operationId: 'create_comment_cases',
  })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiCreatedResponse({ type: CaseCommentDto })
  @ApiProblems(400, 401, 403, 404, 409)
  async add(
    @Ctx() ctx: RequestContext,
    @Param('id', UuidParamPipe) id: string,
    @Body() body: CreateCaseCommentDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<CaseCommentDto> {
    const comment = await this.comments.add(ctx, id, body);
    void reply.header('location', `/api/v1/cases/${id}/comments`);
    return comment;
  }

  @Get(':id/comments')
  @ApiOperation({ summary: "A case's comments, oldest first", operationId: 'list_comments_cases' })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiOkResponse({ type: CaseCommentListDto })
  @ApiProblems(400, 401, 403, 404)
  list(@Ctx() ctx: RequestContext, @Param('id', UuidParamPipe) id: string) {
    return this.comments.list(ctx, id);
  }
}
