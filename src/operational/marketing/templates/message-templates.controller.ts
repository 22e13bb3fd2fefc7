import { Body, Controller, HttpCode, Param, Post } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiSecurity,
  ApiTags,
} from '@nestjs/swagger';
import { Ctx, type RequestContext } from '#platform/context/index.js';
import { ApiModuleProblem, ApiProblems, UuidParamPipe } from '#platform/http/index.js';
import { recordController } from '#platform/records/index.js';
import {
  CreateMessageTemplateDto,
  MessageTemplateDto,
  TemplatePreviewDto,
  TemplatePreviewRequestDto,
  TemplateTestSendDto,
  TemplateTestSentDto,
  UpdateMessageTemplateDto,
} from './dto/message-template.dto.js';
import { MessageTemplatesService } from './message-templates.service.js';
import { TemplateActions } from './template-actions.js';

export const MessageTemplatesController = recordController({
  path: 'message-templates',
  tag: 'Message templates',
  label: 'message template',
  service: MessageTemplatesService,
  createDto: CreateMessageTemplateDto,
  updateDto: UpdateMessageTemplateDto,
  responseDto: MessageTemplateDto,
  filterExample: 'filter[channel][eq]=email&filter[language][eq]=id',
});

@ApiTags('Message templates')
@ApiBearerAuth()
@ApiSecurity('apiKey')
@Controller('api/v1/message-templates')
export class MessageTemplateActionsController {
  constructor(private readonly actions: TemplateActions) {}

  @Post(':id/preview')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Render a template for a contact or for sample values',
    description:
      'With `contactId` (read on the contact needed) the variant in the contact’s preferred language is rendered with ' +
      'their values, account, owner and links; `sample` values override any root. E-mail gives subject, html and text.',
    operationId: 'preview_message_templates',
  })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiOkResponse({ type: TemplatePreviewDto })
  @ApiProblems(400, 401, 403, 404)
  preview(
    @Ctx() ctx: RequestContext,
    @Param('id', UuidParamPipe) id: string,
    @Body() body: TemplatePreviewRequestDto,
  ) {
    return this.actions.preview(ctx, id, body);
  }

  @Post(':id/test-send')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Send one test mail of an e-mail template',
    description:
      'Rendered like a preview and sent to `to` with the subject prefixed `[TEST]` and an `X-Relasi-Test` header. ' +
      'A test mail is no marketing message: it passes no gate and counts against no cap. Needs update on the template.',
    operationId: 'test_send_message_templates',
  })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiOkResponse({ type: TemplateTestSentDto })
  @ApiProblems(400, 401, 403, 404, 409, 503)
  @ApiModuleProblem(502, {
    code: 'template_test_send_failed',
    title: 'Test mail not accepted',
    detail: 'The SMTP server did not take the test mail: 550 mailbox unavailable',
  })
  testSend(
    @Ctx() ctx: RequestContext,
    @Param('id', UuidParamPipe) id: string,
    @Body() body: TemplateTestSendDto,
  ) {
    return this.actions.testSend(ctx, id, body);
  }
}
