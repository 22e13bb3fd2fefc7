import {
  Body,
  Controller,
  Delete,
  Get,
  Headers,
  HttpCode,
  Param,
  Post,
  Query,
  Res,
} from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiHeader,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiQuery,
  ApiSecurity,
  ApiTags,
} from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Ctx, type RequestContext } from '#platform/context/index.js';
import {
  ApiListQuery,
  ApiModuleProblem,
  ApiProblems,
  UuidParamPipe,
  withEtag,
} from '#platform/http/index.js';
import { recordController } from '#platform/records/index.js';
import { DealRegistrationsService } from './deal-registrations.service.js';
import {
  ApproveDealRegistrationDto,
  DealRegistrationDto,
  RejectDealRegistrationDto,
} from './dto/deal-registration.dto.js';
import {
  DealRegistrationPageDto,
  DistributionResultDto,
  PartnerPerformanceDto,
  SharePartnerDto,
  ShareResultDto,
} from './dto/partner-api.dto.js';
import {
  InvitePartnerUserDto,
  PartnerInvitationDto,
  PartnerUserListDto,
} from './dto/partner-user.dto.js';
import { CreatePartnerDto, PartnerDto, UpdatePartnerDto } from './dto/partner.dto.js';
import { LeadDistribution } from './lead-distribution.js';
import { PartnerAccessService } from './partner-access.service.js';
import { PartnerPerformanceService } from './partner-performance.js';
import { PartnerRecordsService } from './partner-records.service.js';
import { PartnersService } from './partners.service.js';

const ETAG = { ETag: { schema: { type: 'string' } } };
const IF_MATCH = {
  name: 'If-Match',
  required: false,
  description: 'ETag of the registration as read; a stale one answers 412',
};
const DECIDED = {
  code: 'deal_registration_decided',
  title: 'Registration decided',
  detail: 'The registration is approved already; only a submitted one can be decided.',
};

/** Partner profiles, as the record platform gives every resource. */
export const PartnersController = recordController({
  path: 'partners',
  tag: 'Partners',
  label: 'partner',
  service: PartnersService,
  createDto: CreatePartnerDto,
  updateDto: UpdatePartnerDto,
  responseDto: PartnerDto,
  filterExample: 'filter[tier][eq]=gold&filter[status][eq]=active',
});

/** Staff manage a partner's people and read its figures. */
@ApiTags('Partners')
@ApiBearerAuth()
@ApiSecurity('apiKey')
@Controller('api/v1/partners')
export class PartnerPeopleController {
  constructor(
    private readonly access: PartnerAccessService,
    private readonly performance: PartnerPerformanceService,
  ) {}

  @Get(':id/users')
  @ApiOperation({ summary: "A partner's users", operationId: 'listPartnerUsers' })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiOkResponse({ type: PartnerUserListDto })
  @ApiProblems(400, 401, 403, 404)
  async users(@Ctx() ctx: RequestContext, @Param('id', UuidParamPipe) id: string) {
    return { data: await this.access.users(ctx, id) };
  }

  @Post(':id/users')
  @ApiOperation({
    summary: 'Invite a person of the partner',
    description:
      'Mails a single-use link (valid `partners.invitationTtlHours`) to set a password for the partner API. ' +
      'Inviting an address still open again replaces its link; an address in use answers 409. Needs update on the partner.',
    operationId: 'invitePartnerUser',
  })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiCreatedResponse({ type: PartnerInvitationDto })
  @ApiProblems(400, 401, 403, 404, 409, 422)
  invite(
    @Ctx() ctx: RequestContext,
    @Param('id', UuidParamPipe) id: string,
    @Body() body: InvitePartnerUserDto,
  ): Promise<PartnerInvitationDto> {
    return this.access.invite(ctx, id, body);
  }

  @Delete(':id/users/:userId')
  @HttpCode(204)
  @ApiOperation({
    summary: "Revoke a partner user's access",
    description: 'Ends their sessions at once.',
    operationId: 'revokePartnerUser',
  })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiParam({ name: 'userId', format: 'uuid' })
  @ApiNoContentResponse()
  @ApiProblems(400, 401, 403, 404)
  revoke(
    @Ctx() ctx: RequestContext,
    @Param('id', UuidParamPipe) id: string,
    @Param('userId', UuidParamPipe) userId: string,
  ): Promise<void> {
    return this.access.revoke(ctx, id, userId);
  }

  @Get(':id/performance')
  @ApiOperation({
    summary: "A partner's performance",
    description:
      'Registrations by outcome (by submission day), deals won and lost (by close day), revenue won and ' +
      'average deal size per currency, win rate. `from`/`to` are inclusive days; default the last 365.',
    operationId: 'getPartnerPerformance',
  })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiQuery({ name: 'from', required: false, schema: { type: 'string', format: 'date' } })
  @ApiQuery({ name: 'to', required: false, schema: { type: 'string', format: 'date' } })
  @ApiOkResponse({ type: PartnerPerformanceDto })
  @ApiProblems(400, 401, 403, 404)
  async performanceOf(
    @Ctx() ctx: RequestContext,
    @Param('id', UuidParamPipe) id: string,
    @Query('from') from?: string,
    @Query('to') to?: string,
  ): Promise<PartnerPerformanceDto> {
    const window = this.performance.window(from, to);
    await this.access.partnerFor(ctx, id, 'read');
    return this.performance.of(ctx, id, window);
  }
}

/** Channel managers work the registrations partners submit. */
@ApiTags('Deal registrations')
@ApiBearerAuth()
@ApiSecurity('apiKey')
@Controller('api/v1/deal-registrations')
export class DealRegistrationsController {
  constructor(private readonly registrations: DealRegistrationsService) {}

  @Get()
  @ApiOperation({
    summary: 'Deal registrations of the partners the caller may read',
    operationId: 'listDealRegistrations',
  })
  @ApiListQuery({ filter: 'filter[status][eq]=submitted', q: { example: 'maju' } })
  @ApiOkResponse({ type: DealRegistrationPageDto })
  @ApiProblems(400, 401, 403)
  list(@Ctx() ctx: RequestContext, @Query() query: Record<string, unknown>) {
    return this.registrations.listForStaff(ctx, query);
  }

  @Get(':id')
  @ApiOperation({
    summary: 'One deal registration with its conflicts',
    description:
      'Conflicts: open opportunities of an account with the same name or web domain, and other partners’ ' +
      'submitted or approved registrations of it, with the products both name.',
    operationId: 'getDealRegistration',
  })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiOkResponse({ type: DealRegistrationDto, headers: ETAG })
  @ApiProblems(400, 401, 403, 404)
  async get(
    @Ctx() ctx: RequestContext,
    @Param('id', UuidParamPipe) id: string,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<DealRegistrationDto> {
    return withEtag(reply, await this.registrations.getForStaff(ctx, id));
  }

  @Post(':id/approve')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Approve a registration',
    description:
      'Links the given account (or creates one from the registration) and the given open opportunity of it ' +
      '(or creates one), attributes the opportunity to the partner and shares it with them; protected for ' +
      '`partners.protectionDays`. A registration decided already answers 409 `deal_registration_decided`.',
    operationId: 'approveDealRegistration',
  })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiHeader(IF_MATCH)
  @ApiOkResponse({ type: DealRegistrationDto, headers: ETAG })
  @ApiProblems(400, 401, 403, 404, 412, 422)
  @ApiModuleProblem(409, DECIDED)
  async approve(
    @Ctx() ctx: RequestContext,
    @Param('id', UuidParamPipe) id: string,
    @Body() body: ApproveDealRegistrationDto,
    @Res({ passthrough: true }) reply: FastifyReply,
    @Headers('if-match') ifMatch: string | undefined,
  ): Promise<DealRegistrationDto> {
    return withEtag(reply, await this.registrations.approve(ctx, id, body, ifMatch));
  }

  @Post(':id/reject')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Reject a registration with a reason the partner sees',
    operationId: 'rejectDealRegistration',
  })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiHeader(IF_MATCH)
  @ApiOkResponse({ type: DealRegistrationDto, headers: ETAG })
  @ApiProblems(400, 401, 403, 404, 412)
  @ApiModuleProblem(409, DECIDED)
  async reject(
    @Ctx() ctx: RequestContext,
    @Param('id', UuidParamPipe) id: string,
    @Body() body: RejectDealRegistrationDto,
    @Res({ passthrough: true }) reply: FastifyReply,
    @Headers('if-match') ifMatch: string | undefined,
  ): Promise<DealRegistrationDto> {
    return withEtag(reply, await this.registrations.reject(ctx, id, body.reason, ifMatch));
  }
}

/** Staff share leads and opportunities with partners, and distribute leads by the rules. */
@ApiTags('Partners')
@ApiBearerAuth()
@ApiSecurity('apiKey')
@Controller('api/v1')
export class PartnerSharingController {
  constructor(
    private readonly records: PartnerRecordsService,
    private readonly distribution: LeadDistribution,
  ) {}

  @Post('leads/:id/share')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Share a lead with a partner',
    description: 'Needs update on the lead; a suspended partner answers 422.',
    operationId: 'shareLeadWithPartner',
  })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiOkResponse({ type: ShareResultDto })
  @ApiProblems(400, 401, 403, 404, 422)
  shareLead(
    @Ctx() ctx: RequestContext,
    @Param('id', UuidParamPipe) id: string,
    @Body() body: SharePartnerDto,
  ): Promise<ShareResultDto> {
    return this.records.shareByStaff(ctx, 'leads', id, body.partnerId);
  }

  @Post('opportunities/:id/share')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Share an opportunity with a partner',
    description: 'Needs update on the opportunity; a suspended partner answers 422.',
    operationId: 'shareOpportunityWithPartner',
  })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiOkResponse({ type: ShareResultDto })
  @ApiProblems(400, 401, 403, 404, 422)
  shareOpportunity(
    @Ctx() ctx: RequestContext,
    @Param('id', UuidParamPipe) id: string,
    @Body() body: SharePartnerDto,
  ): Promise<ShareResultDto> {
    return this.records.shareByStaff(ctx, 'opportunities', id, body.partnerId);
  }

  @Post('leads/:id/distribute')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Give a lead to a partner by the distribution rules',
    description:
      'Tries `partners.distribution.rules` in order and says why each did or did not place the lead; ' +
      '`partnerId` null when none did. Needs update on the lead.',
    operationId: 'distributeLead',
  })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiOkResponse({ type: DistributionResultDto })
  @ApiProblems(400, 401, 403, 404)
  distribute(
    @Ctx() ctx: RequestContext,
    @Param('id', UuidParamPipe) id: string,
  ): Promise<DistributionResultDto> {
    return this.distribution.distributeByStaff(ctx, id);
  }
}
