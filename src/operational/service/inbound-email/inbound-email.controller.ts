import { Body, Controller, HttpCode, Post, Res } from '@nestjs/common';
import { RouteConfig } from '@nestjs/platform-fastify';
import {
  ApiBearerAuth,
  ApiBody,
  ApiConsumes,
  ApiCreatedResponse,
  ApiExtraModels,
  ApiOkResponse,
  ApiOperation,
  ApiSecurity,
  ApiTags,
  getSchemaPath,
} from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { AcceptsApiKeyScopes } from '#platform/auth/index.js';
import { Ctx, type RequestContext } from '#platform/context/index.js';
import { ApiProblems } from '#platform/http/index.js';
import { InboundEmailResultDto, InboundRoutedResultDto } from './inbound-email.dto.js';
import { InboundEmailService } from './inbound-email.service.js';
import { INBOUND_EMAIL_SCOPE } from './inbound-email.scopes.js';

const RESULT = {
  oneOf: [
    { $ref: getSchemaPath(InboundEmailResultDto) },
    { $ref: getSchemaPath(InboundRoutedResultDto) },
  ],
};

/** Read by the server's content-type guard: this route takes the raw message. */
const RAW_ROUTE = { rawBody: true };

@ApiTags('Cases')
@ApiBearerAuth()
@ApiSecurity('apiKey')
@Controller('api/v1/inbound')
export class InboundEmailController {
  constructor(private readonly inbound: InboundEmailService) {}

  @Post('email')
  @HttpCode(201)
  @RouteConfig(RAW_ROUTE)
  @AcceptsApiKeyScopes(INBOUND_EMAIL_SCOPE)
  @ApiOperation({
    summary: 'Turn an e-mail into a case or a reply on one',
    description:
      'For the mail relay, with an API key limited to the `inbound-email` scope. The body is the raw message ' +
      '(`message/rfc822`, within CRM_BODY_LIMIT_BYTES). A reply — In-Reply-To or References naming a message ' +
      'of a case, or the case number in the subject — becomes a public comment by the sender on that case ' +
      '(a resolved case is reopened, one waiting for the customer is open again; a closed case is not ' +
      'answered, the mail opens a new case). Any other message opens a case on the email channel. The sender is ' +
      'the contact with that address, else a new contact. Attachments within `service.attachments` limits ' +
      'are kept, the others listed in `skippedAttachments`. Before all that, the routers other modules register ' +
      'may take the mail (a reply to a thread message, by the reply token in its recipient address): the answer ' +
      'then names the router in `routedTo`. The same Message-ID posted again answers 200 with ' +
      'the first result. No sender, no headers: 422 `inbound_email_malformed`; an empty body 400.',
    operationId: 'receive_email_inbound',
  })
  @ApiConsumes('message/rfc822')
  @ApiBody({
    schema: { type: 'string', format: 'binary', maxLength: 104_857_600 },
    description: 'The message as received, headers and body',
  })
  @ApiExtraModels(InboundEmailResultDto, InboundRoutedResultDto)
  @ApiCreatedResponse({
    schema: RESULT,
    description: 'A new case, a reply on one, or a routed mail',
  })
  @ApiOkResponse({ schema: RESULT, description: 'The message was received before' })
  @ApiProblems(400, 401, 403, 404, 409, 413, 415, 422)
  async receive(
    @Ctx() ctx: RequestContext,
    @Body() raw: unknown,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<InboundEmailResultDto | InboundRoutedResultDto> {
    const { result, replayed } = await this.inbound.receive(ctx, raw);
    if (replayed) void reply.status(200);
    return result as InboundEmailResultDto | InboundRoutedResultDto;
  }
}
