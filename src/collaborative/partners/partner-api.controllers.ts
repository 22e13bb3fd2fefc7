import {
  Body,
  Controller,
  Get,
  Headers,
  Param,
  Patch,
  Post,
  Query,
  Res,
  type Type,
} from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiBody,
  ApiCreatedResponse,
  ApiHeader,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiQuery,
  ApiTags,
} from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Audience, AudienceUser, type AudienceCaller } from '#platform/auth/index.js';
import { Ctx, type RequestContext } from '#platform/context/index.js';
import {
  ApiListQuery,
  ApiProblems,
  etagOf,
  UuidParamPipe,
  validateDto,
  type DtoClass,
  withEtag,
} from '#platform/http/index.js';
import { DealRegistrationsService } from './deal-registrations.service.js';
import { partnerRegistrationView } from './deal-registration-view.js';
import {
  PartnerDealRegistrationDto,
  SubmitDealRegistrationDto,
} from './dto/deal-registration.dto.js';
import {
  PartnerDealRegistrationPageDto,
  PartnerLeadDto,
  PartnerLeadPageDto,
  PartnerOpportunityDto,
  PartnerOpportunityPageDto,
  PartnerPerformanceDto,
  UpdatePartnerLeadDto,
  UpdatePartnerOpportunityDto,
} from './dto/partner-api.dto.js';
import { PartnerMeDto } from './dto/partner-user.dto.js';
import { PartnerPerformanceService } from './partner-performance.js';
import { PartnerRecordsService } from './partner-records.service.js';
import { PARTNER_AUDIENCE, type PartnerPrincipal } from './partner-sessions.js';
import type { SharedType } from './partner-sharing.js';

type Caller = AudienceCaller<PartnerPrincipal>;
const ETAG = { ETag: { schema: { type: 'string' } } };
const IF_MATCH = { name: 'If-Match', required: false, description: 'A stale ETag answers 412' };

/** The partner organization's own side: who calls, its registrations and its figures. */
@ApiTags('Partner API')
@ApiBearerAuth('audienceBearer')
@Audience(PARTNER_AUDIENCE)
@Controller('api/v1/partner')
export class PartnerSelfController {
  constructor(
    private readonly registrations: DealRegistrationsService,
    private readonly performance: PartnerPerformanceService,
  ) {}

  @Get('me')
  @ApiOperation({ summary: 'Who is calling', operationId: 'getPartnerMe' })
  @ApiOkResponse({ type: PartnerMeDto })
  @ApiProblems(401)
  me(@AudienceUser() caller: Caller): PartnerMeDto {
    return caller.principal;
  }

  @Post('deals')
  @ApiOperation({
    summary: 'Register a deal',
    description:
      'Stored as `submitted` for the channel manager, who sees what it conflicts with and approves or rejects it.',
    operationId: 'submitDealRegistration',
  })
  @ApiCreatedResponse({ type: PartnerDealRegistrationDto })
  @ApiProblems(400, 401)
  async submit(
    @Ctx() ctx: RequestContext,
    @AudienceUser() caller: Caller,
    @Body() body: SubmitDealRegistrationDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<PartnerDealRegistrationDto> {
    const row = await this.registrations.submit(ctx, caller.principal, body);
    void reply.header('location', `/api/v1/partner/deals/${row.id}`);
    return partnerRegistrationView(row);
  }

  @Get('deals')
  @ApiOperation({
    summary: "The organization's deal registrations",
    operationId: 'listPartnerDealRegistrations',
  })
  @ApiListQuery({ filter: 'filter[status][eq]=approved', q: { example: 'maju' } })
  @ApiOkResponse({ type: PartnerDealRegistrationPageDto })
  @ApiProblems(400, 401)
  deals(
    @Ctx() ctx: RequestContext,
    @AudienceUser() caller: Caller,
    @Query() query: Record<string, unknown>,
  ) {
    return this.registrations.listForPartner(ctx, caller.principal, query);
  }

  @Get('deals/:id')
  @ApiOperation({
    summary: 'One of the organization’s deal registrations',
    operationId: 'getPartnerDealRegistration',
  })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiOkResponse({ type: PartnerDealRegistrationDto, headers: ETAG })
  @ApiProblems(400, 401, 404)
  async deal(
    @Ctx() ctx: RequestContext,
    @AudienceUser() caller: Caller,
    @Param('id', UuidParamPipe) id: string,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<PartnerDealRegistrationDto> {
    return withEtag(reply, await this.registrations.getForPartner(ctx, caller.principal, id));
  }

  @Get('performance')
  @ApiOperation({
    summary: "The organization's performance",
    description: 'As `GET /api/v1/partners/{id}/performance`, for the caller’s own organization.',
    operationId: 'getOwnPartnerPerformance',
  })
  @ApiQuery({ name: 'from', required: false, schema: { type: 'string', format: 'date' } })
  @ApiQuery({ name: 'to', required: false, schema: { type: 'string', format: 'date' } })
  @ApiOkResponse({ type: PartnerPerformanceDto })
  @ApiProblems(400, 401)
  ownPerformance(
    @Ctx() ctx: RequestContext,
    @AudienceUser() caller: Caller,
    @Query('from') from?: string,
    @Query('to') to?: string,
  ): Promise<PartnerPerformanceDto> {
    return this.performance.of(ctx, caller.principal.partnerId, this.performance.window(from, to));
  }
}

interface SharedRecordsOptions {
  type: SharedType;
  path: string;
  noun: string;
  pageDto: Type<unknown>;
  dto: Type<unknown>;
  updateDto: DtoClass<object>;
  updateSummary: string;
  filter: string;
  q: string;
  operation: string;
}

/** The partner's routes over one kind of shared record: list, read, and its allowed update. */
function sharedRecordsController(o: SharedRecordsOptions) {
  @ApiTags('Partner API')
  @ApiBearerAuth('audienceBearer')
  @Audience(PARTNER_AUDIENCE)
  @Controller(`api/v1/partner/${o.path}`)
  class SharedRecordsController {
    constructor(readonly records: PartnerRecordsService) {}

    @Get()
    @ApiOperation({
      summary: `${o.noun}s shared with the organization`,
      operationId: `listPartner${o.operation}s`,
    })
    @ApiListQuery({ filter: o.filter, q: { example: o.q } })
    @ApiOkResponse({ type: o.pageDto })
    @ApiProblems(400, 401)
    list(
      @Ctx() ctx: RequestContext,
      @AudienceUser() caller: Caller,
      @Query() query: Record<string, unknown>,
    ) {
      return this.records.list(ctx, caller.principal, o.type, query);
    }

    @Get(':id')
    @ApiOperation({
      summary: `A ${o.noun.toLowerCase()} shared with the organization`,
      operationId: `getPartner${o.operation}`,
    })
    @ApiParam({ name: 'id', format: 'uuid' })
    @ApiOkResponse({ type: o.dto, headers: ETAG })
    @ApiProblems(400, 401, 404)
    async get(
      @Ctx() ctx: RequestContext,
      @AudienceUser() caller: Caller,
      @Param('id', UuidParamPipe) id: string,
      @Res({ passthrough: true }) reply: FastifyReply,
    ): Promise<Record<string, unknown>> {
      const { record, version } = await this.records.get(ctx, caller.principal, o.type, id);
      void reply.header('etag', etagOf(version));
      return record;
    }

    @Patch(':id')
    @ApiOperation({
      summary: o.updateSummary,
      description: `A field \`partners.access.${o.type}.editable\` leaves out answers 403 \`partner_field_not_editable\`.`,
      operationId: `updatePartner${o.operation}`,
    })
    @ApiParam({ name: 'id', format: 'uuid' })
    @ApiHeader(IF_MATCH)
    @ApiBody({ type: o.updateDto })
    @ApiOkResponse({ type: o.dto, headers: ETAG })
    @ApiProblems(400, 401, 403, 404, 412, 422)
    async update(
      @Ctx() ctx: RequestContext,
      @AudienceUser() caller: Caller,
      @Param('id', UuidParamPipe) id: string,
      @Body() body: unknown,
      @Res({ passthrough: true }) reply: FastifyReply,
      @Headers('if-match') ifMatch: string | undefined,
    ): Promise<Record<string, unknown>> {
      const patch = (await validateDto(o.updateDto, body)) as Record<string, unknown>;
      const { record, version } = await this.records.update(
        ctx,
        caller.principal,
        o.type,
        id,
        patch,
        ifMatch,
      );
      void reply.header('etag', etagOf(version));
      return record;
    }
  }
  return SharedRecordsController;
}

/** Leads shared with the partner organization; a partner sets their status. */
export const PartnerLeadsController = sharedRecordsController({
  type: 'leads',
  path: 'leads',
  noun: 'Lead',
  pageDto: PartnerLeadPageDto,
  dto: PartnerLeadDto,
  updateDto: UpdatePartnerLeadDto,
  updateSummary: "Set a shared lead's status",
  filter: 'filter[status][eq]=new',
  q: 'wijaya',
  operation: 'Lead',
});

/** Opportunities shared with the partner organization; a partner sets their next step. */
export const PartnerOpportunitiesController = sharedRecordsController({
  type: 'opportunities',
  path: 'opportunities',
  noun: 'Opportunity',
  pageDto: PartnerOpportunityPageDto,
  dto: PartnerOpportunityDto,
  updateDto: UpdatePartnerOpportunityDto,
  updateSummary: "Set a shared opportunity's next step",
  filter: 'filter[status][eq]=open',
  q: 'erp',
  operation: 'Opportunity',
});
