import { Body, Controller, Get, HttpCode, Inject, Param, Post, Put } from '@nestjs/common';
import { RouteConfig } from '@nestjs/platform-fastify';
import {
  ApiBody,
  ApiConsumes,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiProperty,
  ApiTags,
} from '@nestjs/swagger';
import { Public } from '#platform/auth/index.js';
import { CRM_CONFIG, type CrmConfig } from '#platform/config/index.js';
import { Ctx, type RequestContext } from '#platform/context/index.js';
import { ApiProblems, AppError } from '#platform/http/index.js';
import { ApiLinkProblems } from './link-problems.js';
import { MARKETING_SECTION } from '../marketing.config.js';
import {
  ChannelStatesDto,
  FrequencyCapDto,
  QuietHoursDto,
  UpdatePreferencesDto,
  type PreferencesDto,
} from '../preferences/dto/preferences.dto.js';
import { PreferencesService } from '../preferences/preferences.service.js';
import { LinkTokens } from './link-tokens.js';

class TopicChoiceDto {
  @ApiProperty({ type: 'string', maxLength: 50, example: 'newsletter' }) key: string;
  @ApiProperty({ type: 'string', maxLength: 200, example: 'Newsletter' }) label: string;
}

/** What the contact sees and may change of their own preferences, nothing more. */
export class PublicPreferencesDto {
  @ApiProperty({ type: ChannelStatesDto }) channels: ChannelStatesDto;
  @ApiProperty({ type: 'array', items: { type: 'string', maxLength: 50 }, maxItems: 100 })
  topics: string[];
  @ApiProperty({ type: [TopicChoiceDto], maxItems: 100, description: 'Topics to choose from' })
  availableTopics: TopicChoiceDto[];
  @ApiProperty({ type: 'string', maxLength: 20, nullable: true }) preferredChannel: string | null;
  @ApiProperty({ enum: ['en', 'id'], nullable: true }) language: 'en' | 'id' | null;
  @ApiProperty({ type: 'string', maxLength: 64, nullable: true }) timeZone: string | null;
  @ApiProperty({ type: QuietHoursDto, nullable: true }) quietHours: QuietHoursDto | null;
  @ApiProperty({ type: FrequencyCapDto, nullable: true }) frequencyCap: FrequencyCapDto | null;
  @ApiProperty() unsubscribed: boolean;
}

/** What a mail client posts for a one-click unsubscribe (RFC 8058). */
export class OneClickDto {
  @ApiProperty({ name: 'List-Unsubscribe', enum: ['One-Click'], required: false })
  'List-Unsubscribe'?: string;
}

export class UnsubscribedDto {
  @ApiProperty({ example: true }) unsubscribed: boolean;
}

/** Route config read by the server's content-type guard: mail clients post forms here. */
const FORM_ROUTE = { formBody: true };

/**
 * The preference centre and one-click unsubscribe, reached from links in messages without an
 * account: the signed link says which contact, and the contact sees and changes only their
 * own preferences.
 */
@ApiTags('Preference centre')
@Controller('public')
export class PublicPreferencesController {
  constructor(
    private readonly preferences: PreferencesService,
    private readonly links: LinkTokens,
    @Inject(CRM_CONFIG) private readonly crm: CrmConfig,
  ) {}

  @Get('preferences/:link')
  @Public()
  @ApiOperation({
    summary: 'The preferences behind a preference-centre link',
    description: 'A tampered link answers 404, an expired one 410.',
    operationId: 'get_public_preferences',
  })
  @ApiParam({ name: 'link', schema: { type: 'string', maxLength: 1000 } })
  @ApiOkResponse({ type: PublicPreferencesDto })
  @ApiLinkProblems()
  async get(@Ctx() ctx: RequestContext, @Param('link') token: string) {
    const claims = this.links.verify(token, 'preferences');
    return this.present(ctx, await this.preferences.getAsContact(ctx, claims.contactId));
  }

  @Put('preferences/:link')
  @Public()
  @ApiOperation({
    summary: 'Change the preferences behind a preference-centre link',
    description:
      'Channels, topics, preferred channel, language, time zone, quiet hours, frequency cap and `unsubscribed`; ' +
      'fields left out keep their value. Raises `preferences.changed` with `changedBy: contact`.',
    operationId: 'update_public_preferences',
  })
  @ApiParam({ name: 'link', schema: { type: 'string', maxLength: 1000 } })
  @ApiOkResponse({ type: PublicPreferencesDto })
  @ApiProblems(400)
  @ApiLinkProblems()
  async update(
    @Ctx() ctx: RequestContext,
    @Param('link') token: string,
    @Body() body: UpdatePreferencesDto,
  ) {
    const claims = this.links.verify(token, 'preferences');
    return this.present(ctx, await this.preferences.updateAsContact(ctx, claims.contactId, body));
  }

  @Post('unsubscribe/:link')
  @Public()
  @HttpCode(200)
  @RouteConfig(FORM_ROUTE)
  @ApiOperation({
    summary: 'One-click unsubscribe (RFC 8058)',
    description:
      'The target of the `List-Unsubscribe` header of every marketing e-mail; mail clients post ' +
      '`List-Unsubscribe=One-Click` as a form. Stops all marketing to the contact; repeating it changes nothing. ' +
      'Raises `contact.unsubscribed`.',
    operationId: 'unsubscribe_public',
  })
  @ApiParam({ name: 'link', schema: { type: 'string', maxLength: 1000 } })
  @ApiConsumes('application/x-www-form-urlencoded', 'application/json')
  @ApiBody({ required: false, type: OneClickDto })
  @ApiOkResponse({ type: UnsubscribedDto })
  @ApiProblems(400)
  @ApiLinkProblems()
  async unsubscribe(
    @Ctx() ctx: RequestContext,
    @Param('link') token: string,
    @Body() body: unknown,
  ) {
    const claims = this.links.verify(token, 'unsubscribe');
    const given = body && typeof body === 'object' ? (body as Record<string, unknown>) : {};
    const extra = Object.keys(given).find((k) => k !== 'List-Unsubscribe');
    if (extra) throw AppError.field(extra, 'whitelist', 'is not a field of this request');
    if (given['List-Unsubscribe'] !== undefined && given['List-Unsubscribe'] !== 'One-Click')
      throw AppError.field('List-Unsubscribe', 'equals', 'must be One-Click');
    await this.preferences.unsubscribe(ctx, claims.contactId, {
      channel: null,
      messageId: claims.messageId,
      via: 'one_click',
    });
    return { unsubscribed: true };
  }

  private present(ctx: RequestContext, p: PreferencesDto): PublicPreferencesDto {
    const lang = p.language ?? ctx.locale;
    return {
      channels: p.channels,
      topics: p.topics,
      availableTopics: MARKETING_SECTION.read(this.crm).topics.map((t) => ({
        key: t.key,
        label: t.label[lang] ?? t.label.en ?? t.label.id ?? t.key,
      })),
      preferredChannel: p.preferredChannel,
      language: p.language,
      timeZone: p.timeZone,
      quietHours: p.quietHours,
      frequencyCap: p.frequencyCap,
      unsubscribed: p.unsubscribedAt !== null,
    };
  }
}
