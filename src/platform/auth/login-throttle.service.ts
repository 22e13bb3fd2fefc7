import { Inject, Injectable } from '@nestjs/common';
import { ENV } from '#platform/config/config.tokens.js';
import type { Env } from '#platform/config/env.js';
import type { RequestContext } from '#platform/context/request-context.js';
import { DatabaseService } from '#platform/database/database.service.js';
import { AppError } from '#platform/http/app-error.js';

/**
 * Counts failed logins per account and per client address in PostgreSQL, so the limit holds
 * across every process. Past the limit the key is locked for CRM_LOGIN_LOCK_SECONDS.
 */
@Injectable()
export class LoginThrottleService {
  constructor(
    private readonly db: DatabaseService,
    @Inject(ENV) private readonly env: Env,
  ) {}

  private keys(email: string, ip: string) {
    return [
      { key: `account:${email}`, max: this.env.loginMaxFailuresPerAccount },
      { key: `ip:${ip}`, max: this.env.loginMaxFailuresPerIp },
    ];
  }

  async assertAllowed(ctx: RequestContext, email: string, ip: string): Promise<void> {
    const rows = await this.db.query<{ wait: number }>(
      ctx,
      `SELECT ceil(extract(epoch FROM locked_until - now()))::int AS wait FROM login_throttle
        WHERE key = ANY($1) AND locked_until > now() ORDER BY locked_until DESC LIMIT 1`,
      [this.keys(email, ip).map((k) => k.key)],
    );
    if (rows.length > 0) {
      const retryAfter = Math.max(1, rows[0].wait);
      throw new AppError(
        'rate_limited',
        { retryAfter },
        undefined,
        { retryAfter },
        { 'retry-after': String(retryAfter) },
      );
    }
  }

  async recordFailure(ctx: RequestContext, email: string, ip: string): Promise<void> {
    const window = this.env.loginLockSeconds;
    for (const { key, max } of this.keys(email, ip)) {
      await this.db.query(
        ctx,
        `INSERT INTO login_throttle AS t (key, failures, window_started_at) VALUES ($1, 1, now())
         ON CONFLICT (key) DO UPDATE SET
           failures = CASE WHEN t.window_started_at < now() - make_interval(secs => $2) THEN 1 ELSE t.failures + 1 END,
           window_started_at = CASE WHEN t.window_started_at < now() - make_interval(secs => $2) THEN now() ELSE t.window_started_at END,
           locked_until = CASE
             WHEN t.window_started_at >= now() - make_interval(secs => $2) AND t.failures + 1 >= $3
             THEN now() + make_interval(secs => $2) ELSE t.locked_until END`,
        [key, window, max],
      );
    }
  }

  async recordSuccess(ctx: RequestContext, email: string): Promise<void> {
    await this.db.query(ctx, `DELETE FROM login_throttle WHERE key = $1`, [`account:${email}`]);
  }
}
