import { Controller, Get, Headers, Query, Req, Res, type Type } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Audience, AudienceUser, type AudienceCaller } from '#platform/auth/index.js';
import { Ctx, type RequestContext } from '#platform/context/index.js';
import { ApiEventStream, openEventStream } from './event-stream.js';
import { StreamHub } from './stream-hub.js';

export interface AudienceStreamOptions<P> {
  audience: string;
  /** The route, e.g. `api/v1/portal/stream`. */
  path: string;
  tag: string;
  operationId: string;
  /** What the stream carries for this audience. */
  description: string;
  /** The caller's stream key (`streamKey(kind, id)`), as publishers name them in `recipients`. */
  keyOf(caller: AudienceCaller<P>): string;
}

/**
 * A live stream for an audience other than staff, over the same hub and the same SSE format:
 * only the audience's tokens open it (a staff token or API key is 401), and each caller gets
 * the events whose `recipients` name their key.
 */
export function audienceStreamController<P>(o: AudienceStreamOptions<P>): Type<unknown> {
  @ApiTags(o.tag)
  @ApiBearerAuth('audienceBearer')
  @Audience(o.audience)
  @Controller(o.path)
  class AudienceStreamController {
    constructor(readonly hub: StreamHub) {}

    @Get()
    @ApiEventStream(o.operationId, 'Live updates (Server-Sent Events)', o.description)
    open(
      @Ctx() ctx: RequestContext,
      @AudienceUser() caller: AudienceCaller<P>,
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
        key: o.keyOf(caller),
        staff: false,
      });
    }
  }
  return AudienceStreamController;
}
