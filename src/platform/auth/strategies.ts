import { Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { ExtractJwt, Strategy as JwtStrategyBase } from 'passport-jwt';
import { Strategy as PassportStrategyBase } from 'passport-strategy';
import type { Principal } from '#platform/context/principal.js';
import { AuthService } from './auth.service.js';
import { API_KEY_PREFIX } from './secrets.js';
import { TokenService, type AccessClaims } from './token.service.js';

/** Bearer access tokens (HS256 JWT). API keys share the Bearer header and are left to the next strategy. */
@Injectable()
export class JwtStrategy extends PassportStrategy(JwtStrategyBase, 'jwt') {
  constructor(
    private readonly auth: AuthService,
    tokens: TokenService,
  ) {
    super({
      jwtFromRequest: ExtractJwt.fromAuthHeaderAsBearerToken(),
      secretOrKeyProvider: (
        _req: unknown,
        _raw: unknown,
        done: (e: unknown, s?: string) => void,
      ) => {
        // passport-jwt hands the key to jsonwebtoken, which takes a KeyObject; its types predate that.
        tokens.getSecret().then((s) => done(null, s as unknown as string), done);
      },
      algorithms: ['HS256'],
      issuer: 'relasi',
    });
  }

  /** A token without an expiry or a session could never be ended: it is refused. */
  async validate(
    payload: Partial<Record<keyof AccessClaims, unknown>>,
  ): Promise<Principal | false> {
    const { typ, sub, sid, exp } = payload;
    if (typ !== 'access' || typeof sub !== 'string' || typeof sid !== 'string') return false;
    if (typeof exp !== 'number' || !Number.isFinite(exp)) return false;
    return (await this.auth.verifyAccessToken(sub, sid)) ?? false;
  }
}

type VerifyKey = (key: string, done: (err: unknown, principal?: Principal | false) => void) => void;

class ApiKeyPassportStrategy extends PassportStrategyBase {
  name = 'api-key';

  constructor(private readonly verifyKey: VerifyKey) {
    super();
  }

  override authenticate(req: { headers: Record<string, string | string[] | undefined> }): void {
    const header = req.headers['x-api-key'];
    const auth = req.headers.authorization;
    const bearer =
      typeof auth === 'string' && auth.startsWith('Bearer ') ? auth.slice(7).trim() : undefined;
    const key =
      typeof header === 'string'
        ? header.trim()
        : bearer?.startsWith(API_KEY_PREFIX)
          ? bearer
          : undefined;
    if (!key) return this.fail(401);
    this.verifyKey(key, (err, principal) => {
      if (err) return this.error(err as Error);
      return principal ? this.success(principal) : this.fail(401);
    });
  }
}

/** `X-API-Key: rls_…` or `Authorization: Bearer rls_…`; the key is looked up by its SHA-256. */
@Injectable()
export class ApiKeyStrategy extends PassportStrategy(ApiKeyPassportStrategy, 'api-key') {
  constructor(private readonly auth: AuthService) {
    super();
  }

  async validate(key: string): Promise<Principal | false> {
    return (await this.auth.verifyApiKey(key)) ?? false;
  }
}
