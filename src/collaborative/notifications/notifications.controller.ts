import { Body, Controller, Get, HttpCode, Param, Post, Put, Query } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiQuery,
  ApiSecurity,
  ApiTags,
} from '@nestjs/swagger';
import { Ctx, type RequestContext } from '#platform/context/index.js';
import { ApiListQuery, ApiProblems, AppError, UuidParamPipe } from '#platform/http/index.js';
import {
  NotificationCountDto,
  NotificationDto,
  NotificationPageDto,
  NotificationSettingsDto,
  PutNotificationSettingsDto,
  ReadAllResultDto,
} from './dto/notification.dto.js';
import { NotificationsService } from './notifications.service.js';

/** A body-less action refuses a body, so a typo does not pass for a request. */
function noBody(body: unknown): void {
  const given = body && typeof body === 'object' ? Object.keys(body) : [];
  if (given.length) throw AppError.field(given[0], 'whitelist', 'is not a field of this request');
}

@ApiTags('Notifications')
@ApiBearerAuth()
@ApiSecurity('apiKey')
@Controller('api/v1')
export class NotificationsController {
  constructor(private readonly notifications: NotificationsService) {}

  @Get('notifications')
  @ApiOperation({
    summary: "The caller's notifications, newest first",
    description:
      'Mentions, assignments, approvals, SLA warnings and pushed reports. `unread=true` keeps the unread; ' +
      'filter by `kind`, `entity`, `recordId`, `createdAt`; search titles with `q`.',
    operationId: 'list_notifications',
  })
  @ApiListQuery({ filter: 'filter[kind][in]=mention,assignment', sort: '-createdAt', count: false })
  @ApiQuery({ name: 'unread', required: false, enum: ['true', 'false'] })
  @ApiOkResponse({ type: NotificationPageDto })
  @ApiProblems(400, 401)
  list(@Ctx() ctx: RequestContext, @Query() query: Record<string, unknown>) {
    return this.notifications.list(ctx, query);
  }

  @Get('notifications/unread-count')
  @ApiOperation({
    summary: 'How many notifications are unread',
    operationId: 'unread_count_notifications',
  })
  @ApiOkResponse({ type: NotificationCountDto })
  @ApiProblems(401)
  unread(@Ctx() ctx: RequestContext) {
    return this.notifications.unreadCount(ctx);
  }

  @Post('notifications/read-all')
  @HttpCode(200)
  @ApiOperation({ summary: 'Mark every notification read', operationId: 'read_all_notifications' })
  @ApiOkResponse({ type: ReadAllResultDto })
  @ApiProblems(400, 401)
  readAll(@Ctx() ctx: RequestContext, @Body() body: unknown) {
    noBody(body);
    return this.notifications.markAllRead(ctx);
  }

  @Post('notifications/:id/read')
  @HttpCode(200)
  @ApiOperation({ summary: 'Mark a notification read', operationId: 'read_notifications' })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiOkResponse({ type: NotificationDto })
  @ApiProblems(400, 401, 404)
  read(@Ctx() ctx: RequestContext, @Param('id', UuidParamPipe) id: string, @Body() body: unknown) {
    noBody(body);
    return this.notifications.markRead(ctx, id);
  }

  @Get('notification-settings')
  @ApiOperation({
    summary: "The caller's notification settings",
    description:
      'Per kind `in_app` (default), `email` (the inbox and an e-mail) or `off`; and the digest.',
    operationId: 'get_notification_settings',
  })
  @ApiOkResponse({ type: NotificationSettingsDto })
  @ApiProblems(401)
  settings(@Ctx() ctx: RequestContext) {
    return this.notifications.settings(ctx);
  }

  @Put('notification-settings')
  @ApiOperation({
    summary: "Change the caller's notification settings",
    description: 'Kinds left out keep their channel; `digest` turns the digest e-mail on or off.',
    operationId: 'put_notification_settings',
  })
  @ApiOkResponse({ type: NotificationSettingsDto })
  @ApiProblems(400, 401)
  putSettings(@Ctx() ctx: RequestContext, @Body() body: PutNotificationSettingsDto) {
    return this.notifications.putSettings(ctx, body);
  }
}
