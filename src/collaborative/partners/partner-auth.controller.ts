import { audienceAuthController } from '#platform/auth/index.js';
import { PartnerAccessService } from './partner-access.service.js';
import { PARTNER_AUDIENCE, PartnerSessions, type PartnerPrincipal } from './partner-sessions.js';

/** Partner users log in; partner tokens reach only `/api/v1/partner/…`. */
export const PartnerAuthController = audienceAuthController<PartnerPrincipal>({
  audience: PARTNER_AUDIENCE,
  tag: 'Partner API',
  service: 'the partner API',
  loginDescription: 'A revoked user or a suspended partner answers 401 like a wrong password.',
  access: PartnerAccessService,
  sessions: PartnerSessions,
  userIdOf: (p) => p.partnerUserId,
});
