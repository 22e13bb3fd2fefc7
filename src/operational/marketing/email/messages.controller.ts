import { Body, Controller, Get, HttpCode, Injectable, Param, Post, Res } from '@nestjs/common';
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
import { PermissionEvaluator } from '#platform/access/index.js';
import { Ctx, type RequestContext } from '#platform/context/index.js';
import { ApiProblems, AppError, UuidParamPipe } from '#platform/http/index.js';
import { ContactAccess } from '../preferences/contact-access.js';
import { MessageLinks } from '../public/message-links.js';
import {
  BounceReportDto,
  BounceResultDto,
  OutboundMessageDto,
  PreferenceLinksDto,
  PreferenceLinksRequestDto,
  SendEmailDto,
  SendEmailResultDto,
} from './dto/message.dto.js';
import { EmailEventsService } from './email-events.service.js';
import { EmailTransport } from './email-transport.js';
import { MessageDispatch, type EnqueueResult } from './message-dispatch.js';
import { OutboundMessagesRepository } from './outbound-messages.repository.js';

/** Sending and reading messages under the contact's rules. */
@Injectable()
export class MessagesService {
  constructor(
    private readonly access: ContactAccess,
    private readonly dispatch: MessageDispatch,
    private readonly messages: OutboundMessagesRepository,
    private readonly transport: EmailTransport,
    private readonly links: MessageLinks,
  ) {}

  async send(ctx: RequestContext, body: SendEmailDto) {
    const contactId = body.contactId.toLowerCase();
    await this.access.updatable(ctx, contactId);
    if (!this.transport.enabled) throw new AppError('email_channel_off');
    return this.dispatch.enqueue({ ...body, contactId }, ctx);
  }

  async preferenceLinks(ctx: RequestContext, contactId: string) {
    await this.access.readable(ctx, contactId);
    return {
      preferencesUrl: this.links.preferences(contactId, null),
      unsubscribeUrl: this.links.unsubscribe(contactId, null),
      expiresAt: this.links.expiry().toISOString(),
    };
  }

  async one(ctx: RequestContext, id: string) {
    const m = await this.messages.one(ctx, id);
    if (!m) throw AppError.notFound('message', id);
    await this.access.readable(ctx, m.contactId).catch(() => {
      throw AppError.notFound('message', id);
    });
    return m;
  }
}

/** A message as the API shows it: the bodies and tracked links stay inside. */
export const presentMessage = ({
  htmlBody: _h,
  textBody: _t,
  links: _l,
  headerMessageId: _m,
  ...rest
}: Record<string, unknown>) => rest;

/** 201 for a queued message, 200 for a duplicate or a hold-back; the message as the API shows it. */
export function answerSend(result: EnqueueResult, reply: FastifyReply) {
  void reply.status(result.status === 'queued' ? 201 : 200);
  return 'message' in result
    ? { ...result, message: presentMessage(result.message as never) }
    : result;
}

@ApiTags('Marketing e-mail')
@ApiBearerAuth()
@ApiSecurity('apiKey')
@Controller('api/v1/marketing')
export class MessagesController {
  constructor(
    private readonly service: MessagesService,
    private readonly events: EmailEventsService,
    private readonly permissions: PermissionEvaluator,
  ) {}

  @Post('messages')
  @ApiOperation({
    summary: 'Send a marketing e-mail to a contact',
    description:
      'Passes the marketing gate first: a message held for quiet hours or a frequency cap is queued for its time, ' +
      'any other hold-back answers `held` with the reason. A contact gets one message per `sourceKey` (`duplicate` ' +
      'otherwise). Links are tracked, an open pixel and the one-click `List-Unsubscribe` headers are added; the ' +
      'sender delivers at `marketing.email.messagesPerMinute`. Needs update on the contact.',
    operationId: 'send_message_marketing',
  })
  @ApiCreatedResponse({ type: SendEmailResultDto, description: 'Queued' })
  @ApiOkResponse({ type: SendEmailResultDto, description: 'A duplicate, or held back' })
  @ApiProblems(400, 401, 403, 404, 503)
  async send(
    @Ctx() ctx: RequestContext,
    @Body() body: SendEmailDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return answerSend(await this.service.send(ctx, body), reply);
  }

  @Get('messages/:id')
  @ApiOperation({
    summary: 'A marketing message and how it went',
    operationId: 'get_message_marketing',
  })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiOkResponse({ type: OutboundMessageDto })
  @ApiProblems(400, 401, 403, 404)
  async one(@Ctx() ctx: RequestContext, @Param('id', UuidParamPipe) id: string) {
    return presentMessage((await this.service.one(ctx, id)) as never);
  }

  @Post('preference-links')
  @HttpCode(200)
  @ApiOperation({
    summary: "Make a contact's preference-centre and unsubscribe links",
    description:
      'Signed links that expire after `marketing.tokenLifetimeDays`, for sending to the contact by hand. Needs read on the contact.',
    operationId: 'create_preference_links_marketing',
  })
  @ApiOkResponse({ type: PreferenceLinksDto })
  @ApiProblems(400, 401, 403, 404)
  async preferenceLinks(@Ctx() ctx: RequestContext, @Body() body: PreferenceLinksRequestDto) {
    return this.service.preferenceLinks(ctx, body.contactId.toLowerCase());
  }

  @Post('bounces')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Report a bounce: a delivery status notification as received',
    description:
      'For the mail server or mailbox that receives the bounces (admins). The messages a failed DSN names are marked ' +
      '`bounced`, their contacts’ e-mail addresses as bounced (the gate then holds e-mail back), and `message.bounced` is raised.',
    operationId: 'report_bounce_marketing',
  })
  @ApiOkResponse({ type: BounceResultDto })
  @ApiProblems(400, 401, 403)
  async bounce(@Ctx() ctx: RequestContext, @Body() body: BounceReportDto) {
    this.permissions.requireAdmin(ctx.user);
    return { bouncedMessageIds: await this.events.bounce(ctx, body.raw) };
  }
}
