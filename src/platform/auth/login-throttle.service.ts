import { Inject, Injectable } from '@nestjs/common';
import { ENV } from '#platform/config/config.tokens.js';
import type { Env } from '#platform/config/env.js';
import type { RequestContext } from '#platform/context/request-context.js';
import { DatabaseService } from '#platform/database/database.service.js';
import { AppError } from '#platform/http/app-error.js';

interface ThrottleRow {
  key: string;
  failures: number;
  /** The last window is over and no lock holds: counting starts again. */
  expired: boolean;
  /** Seconds a lock still holds, or null when none does. */
  wait: number | null;
}

/**
 * Counts login attempts per account and per client address in PostgreSQL, so the limit holds
 * across every process. An attempt is counted before its password is checked, under a row
 * lock, so concurrent attempts cannot all slip past the limit while each is still hashing;
 * a successful attempt is taken back. Once a key reaches its limit it is locked for
 * CRM_LOGIN_LOCK_SECONDS, and attempts while locked are refused without being evaluated.
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

  /** Counts one attempt for the account and the address, or answers 429 when either is locked. */
  async reserveAttempt(ctx: RequestContext, email: string, ip: string): Promise<void> {
    const window = this.env.loginLockSeconds;
    const keys = this.keys(email, ip);
    const names = keys.map((k) => k.key);
    const refusal = await this.db.transaction(ctx, async (tx) => {
      await this.db.query(
        tx,
        `INSERT INTO login_throttle (key, failures, window_started_at)
         SELECT k, 0, now() FROM unnest($1::text[]) AS k ON CONFLICT (key) DO NOTHING`,
        [names],
      );
      // Ordered by key, so two attempts sharing both keys lock them in the same order.
      const rows = await this.db.query<ThrottleRow>(
        tx,
        `SELECT key, failures,
                window_started_at < now() - make_interval(secs => $2)
                  AND (locked_until IS NULL OR locked_until <= now()) AS expired,
                CASE WHEN locked_until > now()
                     THEN ceil(extract(epoch FROM locked_until - now()))::int END AS wait
           FROM login_throttle WHERE key = ANY($1) ORDER BY key FOR UPDATE`,
        [names, window],
      );
      const waits = rows.map((r) => r.wait ?? 0);
      if (Math.max(...waits) > 0) return Math.max(1, ...waits);
      for (const row of rows) {
        const failures = row.expired ? 1 : row.failures + 1;
        const max = keys.find((k) => k.key === row.key)!.max;
        await this.db.query(
          tx,
          `UPDATE login_throttle SET failures = $2,
                  window_started_at = CASE WHEN $3 THEN now() ELSE window_started_at END,
                  locked_until = CASE WHEN $4 THEN now() + make_interval(secs => $5) END
            WHERE key = $1`,
          [row.key, failures, row.expired, failures >= max, window],
        );
      }
      return null;
    });
    if (refusal !== null)
      throw new AppError(
        'rate_limited',
        { retryAfter: refusal },
        undefined,
        { retryAfter: refusal },
        { 'retry-after': String(refusal) },
      );
  }

  /** A successful login clears its account and takes its attempt back from the address. */
  async recordSuccess(ctx: RequestContext, email: string, ip: string): Promise<void> {
    const [account, address] = this.keys(email, ip);
    await this.db.transaction(ctx, async (tx) => {
      await this.db.query(tx, `DELETE FROM login_throttle WHERE key = $1`, [account.key]);
      await this.db.query(
        tx,
        `UPDATE login_throttle SET failures = greatest(failures - 1, 0),
                locked_until = CASE WHEN failures - 1 < $2 THEN NULL ELSE locked_until END
          WHERE key = $1`,
        [address.key, address.max],
      );
    });
  }
}
