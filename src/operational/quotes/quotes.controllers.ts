import { Body, Controller, Get, Headers, HttpCode, Param, Post, Res } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiBody,
  ApiCreatedResponse,
  ApiHeader,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiProduces,
  ApiSecurity,
  ApiTags,
} from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Ctx, type RequestContext } from '#platform/context/index.js';
import {
  ApiProblems,
  validateDto,
  etagOf,
  UuidParamPipe,
  fileDownload,
  withEtag,
} from '#platform/http/index.js';
import { recordController } from '#platform/records/index.js';
import { QuoteDocumentService } from './document/quote-document.service.js';
import { CreateQuoteLineDto, QuoteLineDto, UpdateQuoteLineDto } from './dto/quote-line.dto.js';
import {
  AcceptQuoteDto,
  CreateOpportunityQuoteDto,
  CreateQuoteDto,
  QuoteDto,
  RejectQuoteDto,
  UpdateQuoteDto,
} from './dto/quote.dto.js';
import { QuoteLinesService } from './lines/quote-lines.service.js';
import { ALLOWED_FROM, QuoteWorkflow, type QuoteAction } from './quote-workflow.js';
import { QuotesService } from './quotes.service.js';

export const QuotesController = recordController({
  path: 'quotes',
  tag: 'Quotes',
  label: 'quote',
  service: QuotesService,
  createDto: CreateQuoteDto,
  updateDto: UpdateQuoteDto,
  responseDto: QuoteDto,
  filterExample: 'filter[status][in]=draft,in_review&filter[grandTotal.amount][gte]=100000000',
});

export const QuoteLinesController = recordController({
  path: 'quote-lines',
  tag: 'Quotes',
  label: 'quote line',
  service: QuoteLinesService,
  createDto: CreateQuoteLineDto,
  updateDto: UpdateQuoteLineDto,
  responseDto: QuoteLineDto,
  filterExample: 'filter[quoteId][eq]=0192f000-0000-7000-8000-000000000001',
});

const IF_MATCH = {
  name: 'If-Match',
  required: false,
  description: 'ETag of the quote; stale: 412',
};

const step = (action: QuoteAction, summary: string, description: string) =>
  ApiOperation({
    summary,
    operationId: `${action}_quotes`,
    description: `${description} Allowed from: ${ALLOWED_FROM[action].join(', ')}; otherwise 409 \`quote_status_transition\`.`,
  });

@ApiTags('Quotes')
@ApiBearerAuth()
@ApiSecurity('apiKey')
@Controller('api/v1/quotes')
export class QuoteActionsController {
  constructor(
    private readonly workflow: QuoteWorkflow,
    private readonly documents: QuoteDocumentService,
  ) {}

  private async act(
    ctx: RequestContext,
    id: string,
    action: Exclude<QuoteAction, 'revise'>,
    ifMatch: string | undefined,
    reply: FastifyReply,
    reason?: string,
    createOrder?: boolean,
  ) {
    return withEtag(reply, await this.workflow.run(ctx, id, action, ifMatch, reason, createOrder));
  }

  @Post(':id/submit')
  @HttpCode(200)
  @step(
    'submit',
    'Submit a draft quote',
    "Approved at once when no line or header discount exceeds the submitter's role limit (`quotes.maxDiscountPercent`); otherwise in_review with approvalRequired. A quote without lines answers 422.",
  )
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiHeader(IF_MATCH)
  @ApiOkResponse({ type: QuoteDto })
  @ApiProblems(400, 401, 403, 404, 409, 412, 422)
  submit(
    @Ctx() ctx: RequestContext,
    @Param('id', UuidParamPipe) id: string,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return this.act(ctx, id, 'submit', ifMatch, reply);
  }

  @Post(':id/approve')
  @HttpCode(200)
  @step(
    'approve',
    'Approve a quote in review',
    'Only users of a role in `quotes.approverRoles` (and admins) approve; others answer 403 `quote_approval_forbidden`.',
  )
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiHeader(IF_MATCH)
  @ApiOkResponse({ type: QuoteDto })
  @ApiProblems(400, 401, 403, 404, 409, 412)
  approve(
    @Ctx() ctx: RequestContext,
    @Param('id', UuidParamPipe) id: string,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return this.act(ctx, id, 'approve', ifMatch, reply);
  }

  @Post(':id/send')
  @HttpCode(200)
  @step(
    'send',
    'Mark an approved quote sent to the customer',
    'From now on the quote is never edited; revise it for changes. A quote past validUntil answers 422.',
  )
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiHeader(IF_MATCH)
  @ApiOkResponse({ type: QuoteDto })
  @ApiProblems(400, 401, 403, 404, 409, 412, 422)
  send(
    @Ctx() ctx: RequestContext,
    @Param('id', UuidParamPipe) id: string,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return this.act(ctx, id, 'send', ifMatch, reply);
  }

  @Post(':id/accept')
  @HttpCode(200)
  @step(
    'accept',
    'Record that the customer accepted the quote',
    "Emits `quote.accepted`; the opportunity of the quote is then marked won (its pipeline's won stage). A quote past validUntil answers 422. With `createOrder: true` the quote's order is placed in the same transaction (as POST /quotes/{id}/order) and its id answered in `orderId`; when the order cannot be placed (e.g. 403 without create on orders) the quote stays as it was.",
  )
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiHeader(IF_MATCH)
  @ApiBody({ type: AcceptQuoteDto, required: false })
  @ApiOkResponse({ type: QuoteDto })
  @ApiProblems(400, 401, 403, 404, 409, 412, 422)
  async accept(
    @Ctx() ctx: RequestContext,
    @Param('id', UuidParamPipe) id: string,
    @Body() body: unknown,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const { createOrder } = await validateDto(AcceptQuoteDto, body ?? {});
    return this.act(ctx, id, 'accept', ifMatch, reply, undefined, createOrder);
  }

  @Post(':id/reject')
  @HttpCode(200)
  @step('reject', 'Record that the customer rejected the quote', 'With an optional reason.')
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiHeader(IF_MATCH)
  @ApiBody({ type: RejectQuoteDto, required: false })
  @ApiOkResponse({ type: QuoteDto })
  @ApiProblems(400, 401, 403, 404, 409, 412)
  async reject(
    @Ctx() ctx: RequestContext,
    @Param('id', UuidParamPipe) id: string,
    @Body() body: unknown,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const { reason } = await validateDto(RejectQuoteDto, body ?? {});
    return this.act(ctx, id, 'reject', ifMatch, reply, reason);
  }

  @Post(':id/revise')
  @HttpCode(201)
  @step(
    'revise',
    'Make a new draft version of the quote',
    'The new quote keeps the number with the next revision and copies the header and lines (prices kept); the old one becomes superseded.',
  )
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiHeader(IF_MATCH)
  @ApiCreatedResponse({
    type: QuoteDto,
    headers: { Location: { schema: { type: 'string' } }, ETag: { schema: { type: 'string' } } },
  })
  @ApiProblems(400, 401, 403, 404, 409, 412)
  async revise(
    @Ctx() ctx: RequestContext,
    @Param('id', UuidParamPipe) id: string,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const quote = await this.workflow.revise(ctx, id, ifMatch);
    void reply
      .header('location', `/api/v1/quotes/${quote.id}`)
      .header('etag', etagOf(quote.version));
    return quote;
  }

  @Get(':id/document')
  @ApiOperation({
    summary: 'The proposal of a quote as a PDF',
    operationId: 'document_quotes',
    description:
      "In the quote's language: letterhead (`quotes.letterhead`), number, version, date and validity, customer, lines, discounts, taxes per category and totals, then the quote's terms or `quotes.terms`.",
  })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiProduces('application/pdf')
  @ApiOkResponse({
    description: 'The PDF',
    content: {
      'application/pdf': { schema: { type: 'string', format: 'binary', maxLength: 50_000_000 } },
    },
    headers: { 'Content-Disposition': { schema: { type: 'string' } } },
  })
  @ApiProblems(400, 401, 403, 404)
  async document(@Ctx() ctx: RequestContext, @Param('id', UuidParamPipe) id: string) {
    const { pdf, fileName } = await this.documents.render(ctx, id);
    return fileDownload(
      pdf,
      { mediaType: 'application/pdf', fileName, sizeBytes: pdf.length },
      'inline',
    );
  }
}

@ApiTags('Quotes')
@ApiBearerAuth()
@ApiSecurity('apiKey')
@Controller('api/v1/opportunities')
export class OpportunityQuotesController {
  constructor(private readonly quotes: QuotesService) {}

  @Post(':id/quotes')
  @ApiOperation({
    summary: 'Create a quote for an opportunity',
    operationId: 'create_opportunity_quotes',
    description:
      "The quote takes the opportunity's account, its amount's currency (unless given) and its primary contact (unless given). Same as POST /quotes with opportunityId.",
  })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiBody({ type: CreateOpportunityQuoteDto })
  @ApiCreatedResponse({
    type: QuoteDto,
    headers: { Location: { schema: { type: 'string' } }, ETag: { schema: { type: 'string' } } },
  })
  @ApiProblems(400, 401, 403, 404, 422)
  async create(
    @Ctx() ctx: RequestContext,
    @Param('id', UuidParamPipe) id: string,
    @Body() body: unknown,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const input = await validateDto(CreateOpportunityQuoteDto, body ?? {});
    const created = await this.quotes.createForOpportunity(ctx, id, { ...input });
    void reply
      .header('location', `/api/v1/quotes/${created.id}`)
      .header('etag', etagOf(created.version));
    return created;
  }
}
