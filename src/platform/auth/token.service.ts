import { createSecretKey, type KeyObject } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import jwt from 'jsonwebtoken';
import { ENV } from '#platform/config/config.tokens.js';
import { randomSecret, type Env } from '#platform/config/env.js';
import { RequestContext } from '#platform/context/request-context.js';
import { DatabaseService } from '#platform/database/database.service.js';

/** The claims of a token issued for an audience other than staff (see audiences.ts). */
export interface AudienceClaims {
  sub: string;
  sid: string;
  aud: string;
}

export interface AccessClaims {
  sub: string;
  typ: 'access';
  /** The session (refresh-token family) the token belongs to; logout ends it. */
  sid: string;
  exp: number;
}

/** As jsonwebtoken decides it: a token is expired from the second its `exp` names. */
function unexpired(claims: AccessClaims): boolean {
  return Math.floor(Date.now() / 1000) < claims.exp;
}

/**
 * Signs and checks access tokens. Without CRM_JWT_SECRET the secret is generated once and
 * kept in the database, so every process of a deployment shares it and restarts keep
 * sessions valid.
 */
/** Past this many remembered tokens the memory starts over; verifications refill it. */
const MAX_REMEMBERED_TOKENS = 10_000;

@Injectable()
export class TokenService {
  private secret: Promise<KeyObject> | null = null;
  /**
   * Access tokens already verified, with their claims. A token's signature and claims never
   * change, so only its expiry needs checking again: a client sends the same token with every
   * request, and the HMAC and JSON work would otherwise be done each time.
   */
  private readonly verified = new Map<string, AccessClaims>();

  constructor(
    private readonly db: DatabaseService,
    @Inject(ENV) private readonly env: Env,
  ) {}

  /**
   * The signing key as a KeyObject: given a string, jsonwebtoken first tries (and fails) to
   * read it as a public key on every verification, which costs more than the HMAC itself.
   */
  getSecret(): Promise<KeyObject> {
    this.secret ??= this.resolveSecret()
      .then((s) => createSecretKey(Buffer.from(s, 'utf8')))
      .catch((e: unknown) => {
        this.secret = null;
        throw e;
      });
    return this.secret;
  }

  private async resolveSecret(): Promise<string> {
    if (this.env.jwtSecret) return this.env.jwtSecret;
    const ctx = RequestContext.system();
    await this.db.query(
      ctx,
      `INSERT INTO system_settings (key, value) VALUES ('jwt_secret', $1) ON CONFLICT (key) DO NOTHING`,
      [JSON.stringify(randomSecret())],
    );
    const row = await this.db.one<{ value: string }>(
      ctx,
      `SELECT value FROM system_settings WHERE key = 'jwt_secret'`,
    );
    return row!.value;
  }

  async sign(userId: string, sessionId: string): Promise<{ token: string; expiresIn: number }> {
    const expiresIn = this.env.accessTokenTtlSeconds;
    const token = jwt.sign({ typ: 'access', sid: sessionId }, await this.getSecret(), {
      algorithm: 'HS256',
      subject: userId,
      expiresIn,
      issuer: 'relasi',
    });
    return { token, expiresIn };
  }

  /** The claims of a valid, unexpired staff access token, or null for anything else. */
  async verifyAccess(token: string): Promise<AccessClaims | null> {
    const known = this.verified.get(token);
    if (known) return unexpired(known) ? known : null;
    let claims: Record<string, unknown>;
    try {
      claims = jwt.verify(token, await this.getSecret(), {
        algorithms: ['HS256'],
        issuer: 'relasi',
      }) as Record<string, unknown>;
    } catch {
      return null;
    }
    const { typ, sub, sid, exp } = claims;
    // A token without an expiry or a session could never be ended: it is refused.
    if (typ !== 'access' || typeof sub !== 'string' || typeof sid !== 'string') return null;
    if (typeof exp !== 'number' || !Number.isFinite(exp)) return null;
    const access: AccessClaims = { sub, typ, sid, exp };
    if (this.verified.size >= MAX_REMEMBERED_TOKENS) this.verified.clear();
    this.verified.set(token, access);
    return access;
  }

  /** An access token only routes of `audience` accept; staff routes refuse it by its `typ`. */
  async signForAudience(
    audience: string,
    subjectId: string,
    sessionId: string,
  ): Promise<{ token: string; expiresIn: number }> {
    const expiresIn = this.env.accessTokenTtlSeconds;
    const token = jwt.sign({ typ: 'audience', sid: sessionId }, await this.getSecret(), {
      algorithm: 'HS256',
      subject: subjectId,
      audience,
      expiresIn,
      issuer: 'relasi',
    });
    return { token, expiresIn };
  }

  /** The claims of a valid, unexpired token for `audience`, or null for anything else. */
  async verifyForAudience(token: string, audience: string): Promise<AudienceClaims | null> {
    try {
      const claims = jwt.verify(token, await this.getSecret(), {
        algorithms: ['HS256'],
        issuer: 'relasi',
        audience,
      }) as Record<string, unknown>;
      const { typ, sub, sid, exp } = claims;
      if (typ !== 'audience' || typeof sub !== 'string' || typeof sid !== 'string') return null;
      if (typeof exp !== 'number' || !Number.isFinite(exp)) return null;
      return { sub, sid, aud: audience };
    } catch {
      return null;
    }
  }
}
