import { Body, Controller, Get, HttpCode, Injectable, Post, Query } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiOkResponse,
  ApiOperation,
  ApiQuery,
  ApiSecurity,
  ApiTags,
} from '@nestjs/swagger';
import { PermissionEvaluator } from '#platform/access/index.js';
import { Ctx, type RequestContext } from '#platform/context/index.js';
import { UUID_PATTERN } from '#platform/database/index.js';
import { ApiProblems, AppError, parseLimitParam } from '#platform/http/index.js';
import { ContactAccess } from '../preferences/contact-access.js';
import { GateCheckDto, GateDecisionDto, HoldBackPageDto } from './dto/gate.dto.js';
import { HoldBacksRepository } from './hold-backs.repository.js';
import { HOLD_BACK_REASONS, MarketingGate } from './marketing-gate.js';

function queryError(field: string, message: string): AppError {
  return new AppError('invalid_query', {}, [{ field, rule: 'invalid', message }]);
}

/** Reading the gate's decisions, under the contacts' read rules. */
@Injectable()
export class HoldBacksService {
  constructor(
    private readonly access: ContactAccess,
    private readonly permissions: PermissionEvaluator,
    private readonly repo: HoldBacksRepository,
    private readonly gate: MarketingGate,
  ) {}

  async list(
    ctx: RequestContext,
    query: { contactId?: string; reason?: string; limit?: string; cursor?: string },
  ) {
    const limit = parseLimitParam(query.limit);
    const { contactId, reason, cursor } = query;
    if (contactId !== undefined && !UUID_PATTERN.test(contactId))
      throw queryError('contactId', 'must be a UUID');
    if (cursor !== undefined && !UUID_PATTERN.test(cursor))
      throw queryError('cursor', 'is not a cursor of this list');
    if (reason !== undefined && !(HOLD_BACK_REASONS as readonly string[]).includes(reason))
      throw queryError('reason', `must be one of ${HOLD_BACK_REASONS.join(', ')}`);
    if (contactId) await this.access.readable(ctx, contactId.toLowerCase());
    // Across contacts only for who may read every contact.
    else if (this.permissions.require(ctx.user, 'contacts', 'read') !== 'all')
      throw queryError('contactId', 'is required unless your role reads all contacts');
    const page = await this.repo.page(
      ctx,
      { contactId: contactId?.toLowerCase() ?? null, reason: reason ?? null },
      limit,
      cursor?.toLowerCase() ?? null,
    );
    return { data: page.data, meta: { nextCursor: page.nextCursor, limit } };
  }

  async check(ctx: RequestContext, body: GateCheckDto) {
    await this.access.readable(ctx, body.contactId.toLowerCase());
    return this.gate.check(
      {
        contactId: body.contactId.toLowerCase(),
        channel: body.channel,
        topic: body.topic ?? null,
        purpose: body.purpose,
        at: body.at ? new Date(body.at) : undefined,
        sourceKey: `api:${ctx.user.userId}`,
      },
      ctx,
    );
  }
}

@ApiTags('Marketing gate')
@ApiBearerAuth()
@ApiSecurity('apiKey')
@Controller('api/v1/marketing')
export class HoldBacksController {
  constructor(private readonly holdBacks: HoldBacksService) {}

  @Get('hold-backs')
  @ApiOperation({
    summary: 'Messages the marketing gate held back, newest first',
    description:
      'Each entry says which contact, channel, topic and purpose, why (`reason`) and, for quiet hours and frequency ' +
      'caps, when the message may go. `contactId` is required unless the role reads all contacts.',
    operationId: 'list_hold_backs_marketing',
  })
  @ApiQuery({ name: 'contactId', required: false, schema: { type: 'string', format: 'uuid' } })
  @ApiQuery({ name: 'reason', required: false, enum: HOLD_BACK_REASONS })
  @ApiQuery({ name: 'limit', required: false })
  @ApiQuery({ name: 'cursor', required: false })
  @ApiOkResponse({ type: HoldBackPageDto })
  @ApiProblems(400, 401, 403, 404)
  list(
    @Ctx() ctx: RequestContext,
    @Query() query: { contactId?: string; reason?: string; limit?: string; cursor?: string },
  ) {
    const known = new Set(['contactId', 'reason', 'limit', 'cursor']);
    const extra = Object.keys(query).find((k) => !known.has(k));
    if (extra) throw queryError(extra, 'is not a parameter of this list');
    return this.holdBacks.list(ctx, query);
  }

  @Post('gate-checks')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Ask the marketing gate whether a message may reach a contact',
    description:
      'The same decision every sender gets: unsubscribed, opted out of the channel, no address, bounced, topic not ' +
      'wanted, no standing consent for the purpose, quiet hours (with `nextAllowedAt`) or the frequency cap (with ' +
      '`nextAllowedAt`). A message held back is recorded in the hold-backs.',
    operationId: 'check_gate_marketing',
  })
  @ApiOkResponse({ type: GateDecisionDto })
  @ApiProblems(400, 401, 403, 404)
  async check(@Ctx() ctx: RequestContext, @Body() body: GateCheckDto) {
    const decision = await this.holdBacks.check(ctx, body);
    return decision.allowed ? { allowed: true } : decision;
  }
}
