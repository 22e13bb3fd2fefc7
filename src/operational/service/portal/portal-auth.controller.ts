import { Body, Controller, Delete, HttpCode, Param, Post } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOperation,
  ApiParam,
  ApiSecurity,
  ApiTags,
} from '@nestjs/swagger';
import { audienceAuthController } from '#platform/auth/index.js';
import { Ctx, type RequestContext } from '#platform/context/index.js';
import { ApiProblems, UuidParamPipe } from '#platform/http/index.js';
import { CreatePortalInvitationDto, PortalInvitationDto } from './dto/portal-auth.dto.js';
import { PortalAccessService } from './portal-access.service.js';
import { PORTAL_AUDIENCE, PortalSessions, type PortalPrincipal } from './portal-sessions.js';

/** Staff give contacts portal access and take it back. */
@ApiTags('Customer portal')
@ApiBearerAuth()
@ApiSecurity('apiKey')
@Controller('api/v1/contacts')
export class PortalAccessController {
  constructor(private readonly access: PortalAccessService) {}

  @Post(':id/portal-invitation')
  @ApiOperation({
    summary: 'Invite a contact to the customer portal',
    description:
      'Mails the contact a single-use link (valid `portal.invitationTtlHours`) to set a password. Inviting ' +
      'again before it is accepted replaces the open link; a contact already using the portal answers 409 ' +
      '`portal_access_exists`, one without an e-mail address 422. Needs update on the contact.',
    operationId: 'invitePortalContact',
  })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiCreatedResponse({ type: PortalInvitationDto })
  @ApiProblems(400, 401, 403, 404, 409, 422)
  invite(
    @Ctx() ctx: RequestContext,
    @Param('id', UuidParamPipe) id: string,
    @Body() body: CreatePortalInvitationDto,
  ): Promise<PortalInvitationDto> {
    return this.access.invite(ctx, id, body.locale ?? ctx.locale);
  }

  @Delete(':id/portal-access')
  @HttpCode(204)
  @ApiOperation({
    summary: "Revoke a contact's portal access",
    description: 'Ends its sessions at once; a new invitation is needed to come back.',
    operationId: 'revokePortalAccess',
  })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiNoContentResponse()
  @ApiProblems(400, 401, 403, 404)
  revoke(@Ctx() ctx: RequestContext, @Param('id', UuidParamPipe) id: string): Promise<void> {
    return this.access.revoke(ctx, id);
  }
}

/** Customers log in to the portal; its tokens reach only `/api/v1/portal/…`. */
export const PortalAuthController = audienceAuthController<PortalPrincipal>({
  audience: PORTAL_AUDIENCE,
  tag: 'Customer portal',
  service: 'the customer portal',
  access: PortalAccessService,
  sessions: PortalSessions,
  userIdOf: (p) => p.portalUserId,
});
