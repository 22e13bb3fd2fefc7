import { Body, Controller, Get, Headers, Param, Patch, Post, Query, Res } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiHeader,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiQuery,
  ApiSecurity,
  ApiTags,
} from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Ctx, type RequestContext } from '#platform/context/index.js';
import { ApiProblems, parseLimitParam, UuidParamPipe, withEtag } from '#platform/http/index.js';
import { ConsentsService } from './consents.service.js';
import {
  ConsentDto,
  ConsentPageDto,
  GiveConsentDto,
  WithdrawConsentDto,
} from './dto/consent.dto.js';
import { PreferencesDto, UpdatePreferencesDto } from './dto/preferences.dto.js';
import { PreferencesService } from './preferences.service.js';

const ETAG = { ETag: { schema: { type: 'string' } } };

@ApiTags('Contact preferences')
@ApiBearerAuth()
@ApiSecurity('apiKey')
@Controller('api/v1/contacts')
export class PreferencesController {
  constructor(
    private readonly preferences: PreferencesService,
    private readonly consents: ConsentsService,
  ) {}

  @Get(':id/preferences')
  @ApiOperation({
    summary: "A contact's channels, topics, quiet hours, frequency cap and standing consents",
    description:
      'Readable by whoever may read the contact. A contact that never set anything has the defaults and version 0.',
    operationId: 'get_preferences_contacts',
  })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiOkResponse({ type: PreferencesDto, headers: ETAG })
  @ApiProblems(400, 401, 403, 404)
  async get(
    @Ctx() ctx: RequestContext,
    @Param('id', UuidParamPipe) id: string,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return withEtag(reply, await this.preferences.get(ctx, id));
  }

  @Patch(':id/preferences')
  @ApiOperation({
    summary: "Change a contact's preferences (partial)",
    description:
      'Needs update on the contact. Fields left out keep their value; `null` clears one. Topics are the keys of ' +
      '`marketing.topics`; quiet hours are local times in `timeZone` (else the contact’s zone, else the organization’s). ' +
      "The change goes into the contact's history and raises `preferences.changed`.",
    operationId: 'update_preferences_contacts',
  })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiHeader({ name: 'If-Match', required: false, description: 'ETag from a read; stale: 412' })
  @ApiOkResponse({ type: PreferencesDto, headers: ETAG })
  @ApiProblems(400, 401, 403, 404, 412)
  async update(
    @Ctx() ctx: RequestContext,
    @Param('id', UuidParamPipe) id: string,
    @Body() body: UpdatePreferencesDto,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return withEtag(reply, await this.preferences.update(ctx, id, body, ifMatch));
  }

  @Get(':id/consents')
  @ApiOperation({
    summary: "A contact's consent history, newest first",
    description:
      'Every consent given and every withdrawal, as recorded; entries are never changed.',
    operationId: 'list_consents_contacts',
  })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiQuery({ name: 'limit', required: false })
  @ApiQuery({ name: 'cursor', required: false })
  @ApiOkResponse({ type: ConsentPageDto })
  @ApiProblems(400, 401, 403, 404)
  list(
    @Ctx() ctx: RequestContext,
    @Param('id', UuidParamPipe) id: string,
    @Query('limit') limit?: string,
    @Query('cursor') cursor?: string,
  ) {
    return this.consents.list(ctx, id, parseLimitParam(limit), cursor ?? null);
  }

  @Post(':id/consents')
  @ApiOperation({
    summary: 'Record a consent the contact gave',
    description:
      'Purpose, lawful basis, the channel it covers (none: all), where it was collected and its proof. Needs update ' +
      'on the contact. Raises `consent.given`.',
    operationId: 'create_consent_contacts',
  })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiCreatedResponse({ type: ConsentDto, headers: { Location: { schema: { type: 'string' } } } })
  @ApiProblems(400, 401, 403, 404)
  async give(
    @Ctx() ctx: RequestContext,
    @Param('id', UuidParamPipe) id: string,
    @Body() body: GiveConsentDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const entry = await this.consents.give(ctx, id, body);
    void reply.header('location', `/api/v1/contacts/${id}/consents/${entry.id}`);
    return entry;
  }

  @Get(':id/consents/:consentId')
  @ApiOperation({
    summary: 'One entry of the consent history',
    operationId: 'get_consent_contacts',
  })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiParam({ name: 'consentId', format: 'uuid' })
  @ApiOkResponse({ type: ConsentDto })
  @ApiProblems(400, 401, 403, 404)
  async one(
    @Ctx() ctx: RequestContext,
    @Param('id', UuidParamPipe) id: string,
    @Param('consentId', UuidParamPipe) consentId: string,
  ) {
    return this.consents.one(ctx, id, consentId);
  }

  @Post(':id/consents/:consentId/withdraw')
  @ApiOperation({
    summary: 'Withdraw a consent',
    description:
      'Adds a withdrawal entry pointing at the consent; the consent itself stays in the history as it was. ' +
      'A consent is withdrawn once (409 `consent_already_withdrawn`). Raises `consent.withdrawn`.',
    operationId: 'withdraw_consent_contacts',
  })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiParam({ name: 'consentId', format: 'uuid' })
  @ApiCreatedResponse({ type: ConsentDto, headers: { Location: { schema: { type: 'string' } } } })
  @ApiProblems(400, 401, 403, 404, 409)
  async withdraw(
    @Ctx() ctx: RequestContext,
    @Param('id', UuidParamPipe) id: string,
    @Param('consentId', UuidParamPipe) consentId: string,
    @Body() body: WithdrawConsentDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const entry = await this.consents.withdraw(ctx, id, consentId, body);
    void reply.header('location', `/api/v1/contacts/${id}/consents/${entry.id}`);
    return entry;
  }
}
