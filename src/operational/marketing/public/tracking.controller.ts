import { Controller, Get, Param, Res } from '@nestjs/common';
import {
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiProduces,
  ApiResponse,
  ApiTags,
} from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Public } from '#platform/auth/index.js';
import { AppError } from '#platform/http/index.js';
import { ApiLinkProblems } from './link-problems.js';
import { EmailEventsService } from '../email/email-events.service.js';
import { LinkTokens } from './link-tokens.js';

/** The smallest transparent GIF. */
const PIXEL = Buffer.from('R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7', 'base64');

/** Opens and clicks of marketing e-mails, from the links each message carries. */
@ApiTags('Preference centre')
@Controller('public/t')
export class TrackingController {
  constructor(
    private readonly links: LinkTokens,
    private readonly events: EmailEventsService,
  ) {}

  @Get('o/:file')
  @Public()
  @ApiOperation({
    summary: 'Open-tracking pixel of a message (`{token}.gif`)',
    operationId: 'open_pixel_public',
  })
  @ApiParam({ name: 'file', schema: { type: 'string', maxLength: 1000 } })
  @ApiProduces('image/gif')
  @ApiOkResponse({
    description: 'A 1×1 transparent GIF',
    content: { 'image/gif': { schema: { type: 'string', format: 'binary', maxLength: 100 } } },
  })
  @ApiLinkProblems()
  async open(@Param('file') file: string, @Res() reply: FastifyReply) {
    if (!file.endsWith('.gif')) throw new AppError('marketing_link_invalid');
    const claims = this.links.verify(file.slice(0, -4), 'open');
    if (claims.messageId) await this.events.opened(claims.messageId);
    return reply.header('cache-control', 'no-store').type('image/gif').send(PIXEL);
  }

  @Get('c/:link')
  @Public()
  @ApiOperation({
    summary: 'Click redirect of a link in a message',
    description:
      'Redirects only to the address the link had in the message; anything else is a 404.',
    operationId: 'click_redirect_public',
  })
  @ApiParam({ name: 'link', schema: { type: 'string', maxLength: 1000 } })
  @ApiResponse({
    status: 302,
    description: 'To the link’s address',
    headers: { Location: { schema: { type: 'string' } } },
  })
  @ApiLinkProblems()
  async click(@Param('link') token: string, @Res() reply: FastifyReply) {
    const claims = this.links.verify(token, 'click');
    if (!claims.messageId || claims.link === undefined)
      throw new AppError('marketing_link_invalid');
    const url = await this.events.clicked(claims.messageId, claims.link);
    return reply.header('cache-control', 'no-store').redirect(url, 302);
  }
}
