export { AcceptsApiKeyScopes } from './api-key-scopes.js';
export { Public } from './auth.guard.js';
export { AuthModule } from './auth.module.js';
export { PrincipalLoader } from './principal-loader.js';
export {
  actingForAudience,
  Audience,
  AudienceRegistry,
  AudienceUser,
  type AudienceCaller,
  type AudienceResolver,
} from './audiences.js';
export { LoginThrottleService } from './login-throttle.service.js';
export { PasswordHasher } from './password-hasher.js';
export { randomToken, sha256 } from './secrets.js';
export { TokenService } from './token.service.js';
export { AcceptInvitationDto, LoginDto, RefreshDto, TokenPairDto } from './dto/auth.dto.js';
export {
  AudienceSessionStore,
  type AcceptedInvitation,
  type AudienceTables,
  type AudienceTokenPair,
} from './audience-sessions.js';
export {
  audienceAuthController,
  type AudienceAccess,
  type AudienceSessions,
} from './audience-auth.controller.js';
