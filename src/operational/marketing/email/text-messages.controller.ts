import { timingSafeEqual } from 'node:crypto';
import {
  Body,
  Controller,
  HttpCode,
  Injectable,
  Param,
  Post,
  Req,
  Res,
  type RawBodyRequest,
} from '@nestjs/common';
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
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Public } from '#platform/auth/index.js';
import { Ctx, type RequestContext } from '#platform/context/index.js';
import { ApiModuleProblem, ApiProblems, AppError } from '#platform/http/index.js';
import { signWebhook } from '#platform/webhooks/index.js';
import { SendEmailResultDto } from './dto/message.dto.js';
import { answerSend } from './messages.controller.js';
import { OutboundMessagesRepository } from './outbound-messages.repository.js';
import { TEXT_CHANNELS, type TextChannel } from '../marketing.config.js';
import { ContactAccess } from '../preferences/contact-access.js';
import { SendTextDto, TextStatusDto } from './dto/text.dto.js';
import { TextDispatch } from './text-dispatch.js';
import { TextProvider } from './text-provider.js';

/** A status report older or newer than this is refused: a captured one cannot be replayed later. */
const SIGNATURE_TOLERANCE_S = 300;

/** Sending texts under the contact's rules, and the provider's delivery reports. */
@Injectable()
export class TextMessagesService {
  constructor(
    private readonly access: ContactAccess,
    private readonly dispatch: TextDispatch,
    private readonly provider: TextProvider,
    private readonly messages: OutboundMessagesRepository,
  ) {}

  async send(ctx: RequestContext, body: SendTextDto) {
    const contactId = body.contactId.toLowerCase();
    await this.access.updatable(ctx, contactId);
    return this.dispatch.enqueue({ ...body, contactId }, ctx);
  }

  /** Checks the report's Standard Webhooks signature over the bytes sent, then records it. */
  async status(
    ctx: RequestContext,
    channel: string,
    headers: Record<string, string | string[] | undefined>,
    raw: Buffer | undefined,
    body: TextStatusDto,
  ): Promise<void> {
    if (
      !(TEXT_CHANNELS as readonly string[]).includes(channel) ||
      !this.provider.settings(channel as TextChannel)
    )
      throw AppError.notFound('channel', channel);
    const secret = this.provider.signingSecret(channel as TextChannel);
    if (!secret || !raw || !signedBy(secret, headers, raw.toString('utf8')))
      throw new AppError('text_signature_invalid', { channel });
    const updated = await this.messages.recordDelivery(
      ctx,
      channel,
      body.reference,
      body.status,
      body.error ?? null,
    );
    if (!updated) throw AppError.notFound('message', body.reference);
  }
}

function signedBy(
  secret: string,
  headers: Record<string, string | string[] | undefined>,
  body: string,
): boolean {
  const [id, timestamp, signatures] = ['webhook-id', 'webhook-timestamp', 'webhook-signature'].map(
    (h) => headers[h],
  );
  if (typeof id !== 'string' || typeof timestamp !== 'string' || typeof signatures !== 'string')
    return false;
  const at = Number(timestamp);
  if (!Number.isInteger(at) || Math.abs(Date.now() / 1000 - at) > SIGNATURE_TOLERANCE_S)
    return false;
  const expected = Buffer.from(signWebhook(secret, id, at, body));
  return signatures.split(' ').some((s) => {
    const given = Buffer.from(s);
    return given.length === expected.length && timingSafeEqual(given, expected);
  });
}

@ApiTags('Marketing e-mail')
@Controller()
export class TextMessagesController {
  constructor(private readonly service: TextMessagesService) {}

  @Post('api/v1/marketing/text-messages')
  @ApiBearerAuth()
  @ApiSecurity('apiKey')
  @ApiOperation({
    summary: 'Send an SMS or WhatsApp message to a contact',
    description:
      'Passes the marketing gate for the channel first (consent, opt-out, quiet hours in the contact’s zone, ' +
      'frequency cap): a message held for quiet hours or a cap is queued for its time, any other hold-back answers ' +
      '`held` with the reason. A contact gets one message per `sourceKey` (`duplicate` otherwise). It goes to the ' +
      'contact’s mobile number through the provider of `marketing.text.<channel>`, signed, retried with backoff ' +
      'while the provider does not take it. Needs update on the contact.',
    operationId: 'send_text_message_marketing',
  })
  @ApiCreatedResponse({ type: SendEmailResultDto, description: 'Queued' })
  @ApiOkResponse({ type: SendEmailResultDto, description: 'A duplicate, or held back' })
  @ApiProblems(400, 401, 403, 404, 503)
  async send(
    @Ctx() ctx: RequestContext,
    @Body() body: SendTextDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return answerSend(await this.service.send(ctx, body), reply);
  }

  @Post('api/v1/public/sms-status/:channel')
  @Public()
  @HttpCode(204)
  @ApiTags('Marketing e-mail')
  @ApiOperation({
    summary: 'A text provider reports how a message went',
    description:
      'For the SMS or WhatsApp gateway, without an account: the request is signed with the Standard Webhooks ' +
      'scheme (`webhook-id`, `webhook-timestamp` within five minutes, `webhook-signature` over the body as sent) ' +
      'keyed with CRM_<CHANNEL>_SIGNING_SECRET; anything else answers 401. `reference` is the provider’s id of ' +
      'the message or ours. A channel without a provider answers 404, an unknown message 404.',
    operationId: 'report_text_status_public',
  })
  @ApiParam({ name: 'channel', enum: TEXT_CHANNELS })
  @ApiNoContentResponse({ description: 'Recorded' })
  @ApiProblems(400, 404)
  @ApiModuleProblem(401, {
    code: 'text_signature_invalid',
    title: 'Signature not valid',
    detail:
      'The status report is not signed with the secret of sms, or its timestamp is more than five minutes off.',
  })
  async status(
    @Ctx() ctx: RequestContext,
    @Param('channel') channel: string,
    @Req() req: RawBodyRequest<FastifyRequest>,
    @Body() body: TextStatusDto,
  ): Promise<void> {
    await this.service.status(ctx, channel, req.headers, req.rawBody, body);
  }
}
