import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { ApiKeysController, AuthController } from './auth.controller.js';
import { AudienceRegistry } from './audiences.js';
import { ApiAuthGuard } from './auth.guard.js';
import { AuthService } from './auth.service.js';
import { LoginThrottleService } from './login-throttle.service.js';
import { PasswordHasher } from './password-hasher.js';
import { PrincipalLoader } from './principal-loader.js';
import { SessionRevocations } from './session-revocations.js';
import { TokenService } from './token.service.js';

@Module({
  controllers: [AuthController, ApiKeysController],
  providers: [
    AuthService,
    TokenService,
    PasswordHasher,
    PrincipalLoader,
    LoginThrottleService,
    SessionRevocations,
    AudienceRegistry,
    { provide: APP_GUARD, useClass: ApiAuthGuard },
  ],
  exports: [
    AuthService,
    PasswordHasher,
    PrincipalLoader,
    TokenService,
    LoginThrottleService,
    AudienceRegistry,
  ],
})
export class AuthModule {}
