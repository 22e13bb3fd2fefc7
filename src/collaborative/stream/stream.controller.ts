import { Controller, Get, Headers, Query, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiSecurity, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Ctx, type RequestContext } from '#platform/context/index.js';
import { ApiEventStream, openEventStream } from './event-stream.js';
import { StreamHub } from './stream-hub.js';
import { STREAM_EVENT_TYPES } from './stream.events.js';

@ApiTags('Stream')
@ApiBearerAuth()
@ApiSecurity('apiKey')
@Controller('api/v1/stream')
export class StreamController {
  constructor(private readonly hub: StreamHub) {}

  @Get()
  @ApiEventStream(
    'stream',
    'Live updates (Server-Sent Events)',
    `A text/event-stream of what concerns the caller: ${STREAM_EVENT_TYPES.map((t) => `\`${t}\``).join(', ')}.`,
  )
  open(
    @Ctx() ctx: RequestContext,
    @Headers('last-event-id') header: string | undefined,
    @Query() query: Record<string, unknown>,
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    return openEventStream(this.hub, {
      ctx,
      header,
      query,
      req,
      reply,
      key: ctx.user.userId,
      staff: true,
    });
  }
}
