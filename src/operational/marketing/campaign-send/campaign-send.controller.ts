import { Controller, Get, Headers, HttpCode, Param, Post, Query } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBearerAuth,
  ApiHeader,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiQuery,
  ApiSecurity,
  ApiTags,
} from '@nestjs/swagger';
import { Ctx, type RequestContext } from '#platform/context/index.js';
import { ApiProblems, AppError, parseLimitParam, UuidParamPipe } from '#platform/http/index.js';
import { CampaignSender } from './campaign-sender.js';
import {
  CampaignDeliveryPageDto,
  CampaignSendProgressDto,
  DELIVERY_OUTCOMES,
} from './dto/campaign-send.dto.js';

@ApiTags('Campaigns')
@ApiBearerAuth()
@ApiSecurity('apiKey')
@Controller('api/v1/campaigns')
export class CampaignSendController {
  constructor(private readonly sender: CampaignSender) {}

  @Post(':id/send')
  @HttpCode(202)
  @ApiOperation({
    summary: 'Send an active e-mail campaign to its members',
    description:
      'Every member not reached yet is rendered from the campaign’s template (in their language) and passes the ' +
      'marketing gate; held-back members are recorded with the reason. Runs as durable jobs: it resumes after a ' +
      'restart, and a second request reaches only members added since — no contact gets the campaign twice. ' +
      'Members move to sent, opened, clicked or bounced as their messages do. A campaign that is not active (not ' +
      'approved yet), not e-mail or without an e-mail template: 409 `campaign_send_not_ready`. Needs update on the campaign.',
    operationId: 'send_campaigns',
  })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiHeader({ name: 'If-Match', required: false, description: 'ETag of the campaign; stale: 412' })
  @ApiAcceptedResponse({ type: CampaignSendProgressDto })
  @ApiProblems(400, 401, 403, 404, 409, 412)
  send(
    @Ctx() ctx: RequestContext,
    @Param('id', UuidParamPipe) id: string,
    @Headers('if-match') ifMatch: string | undefined,
  ) {
    return this.sender.request(ctx, id, ifMatch);
  }

  @Get(':id/send')
  @ApiOperation({
    summary: 'How far the send of a campaign is',
    operationId: 'get_send_campaigns',
  })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiOkResponse({ type: CampaignSendProgressDto })
  @ApiProblems(400, 401, 403, 404)
  progress(@Ctx() ctx: RequestContext, @Param('id', UuidParamPipe) id: string) {
    return this.sender.progress(ctx, id);
  }

  @Get(':id/deliveries')
  @ApiOperation({
    summary: 'What the send did for each member: queued, held back (with the reason) or skipped',
    operationId: 'list_deliveries_campaigns',
  })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiQuery({ name: 'outcome', required: false, enum: DELIVERY_OUTCOMES })
  @ApiQuery({
    name: 'limit',
    required: false,
    schema: { type: 'integer', minimum: 1, maximum: 500 },
  })
  @ApiQuery({
    name: 'cursor',
    required: false,
    schema: { type: 'string', format: 'uuid', maxLength: 36 },
  })
  @ApiOkResponse({ type: CampaignDeliveryPageDto })
  @ApiProblems(400, 401, 403, 404)
  deliveries(
    @Ctx() ctx: RequestContext,
    @Param('id', UuidParamPipe) id: string,
    @Query('outcome') outcome?: string,
    @Query('limit') limit?: string,
    @Query('cursor') cursor?: string,
  ) {
    if (outcome !== undefined && !(DELIVERY_OUTCOMES as readonly string[]).includes(outcome))
      throw new AppError('invalid_query', {}, [
        {
          field: 'outcome',
          rule: 'isIn',
          message: `must be one of: ${DELIVERY_OUTCOMES.join(', ')}`,
        },
      ]);
    if (cursor !== undefined) new UuidParamPipe().transform(cursor);
    return this.sender.list(ctx, id, { outcome, limit: parseLimitParam(limit), cursor });
  }
}
