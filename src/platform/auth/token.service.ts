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

/**
 * Signs and checks access tokens. Without CRM_JWT_SECRET the secret is generated once and
 * kept in the database, so every process of a deployment shares it and restarts keep
 * sessions valid.
 */
@Injectable()
export class TokenService {
  private secret: Promise<KeyObject> | null = null;

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
